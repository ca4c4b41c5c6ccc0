import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

export enum IncidentStatusEnum {
  TRIGGERED = 'TRIGGERED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(IncidentStatusEnum, { name: 'IncidentStatus' });

export enum UrgencyEnum {
  high = 'high',
  low = 'low',
}
registerEnumType(UrgencyEnum, { name: 'Urgency' });

@ObjectType('Incident')
export class IncidentObject {
  @Field(() => ID) id: string;
  @Field(() => Int, { description: 'Per organization, from 1.' }) number: number;
  @Field() title: string;
  @Field(() => UrgencyEnum) urgency: string;
  @Field(() => IncidentStatusEnum) status: string;
  @Field({ description: 'alert, api or manual' }) source: string;
  @Field(() => String, { nullable: true }) groupKey: string | null;
  @Field(() => ID, { nullable: true }) escalationPolicyId: string | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The policy as it was when the incident opened.',
  })
  policySnapshot: unknown;
  @Field(() => Int, { description: 'The last escalation step run; -1 before the first.' })
  escalationStep: number;
  @Field(() => Int, { nullable: true }) ackTimeoutSeconds: number | null;
  @Field(() => [ID]) assignedUserIds: string[];
  @Field(() => GraphQLJSON, { nullable: true }) alerts: unknown;
  @Field(() => ID, { nullable: true }) acknowledgedById: string | null;
  @Field(() => Date, { nullable: true }) acknowledgedAt: Date | null;
  @Field(() => ID, { nullable: true }) resolvedById: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('IncidentEvent')
export class IncidentEventObject {
  @Field(() => ID) id: string;
  @Field({
    description:
      'opened, escalate, page, delivery, ack, resolve, retrigger, reassign, responders, note, alert, page-skipped, escalation-exhausted',
  })
  kind: string;
  @Field(() => ID, { nullable: true }) actorUserId: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) details: unknown;
  @Field() createdAt: Date;
}

@ObjectType('IncidentPage')
export class IncidentPageObject {
  @Field(() => ID) id: string;
  @Field(() => ID) userId: string;
  @Field(() => ID, { nullable: true }) scheduleId: string | null;
  @Field() kind: string;
  @Field() address: string;
  @Field(() => Int) step: number;
  @Field({
    description: 'queued (recorded) or handed (to notify; see deliveryId in the delivery log)',
  })
  status: string;
  @Field(() => ID, { nullable: true }) deliveryId: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) sentAt: Date | null;
}

@InputType()
export class CreateIncidentInput {
  @Field() title: string;
  @Field(() => UrgencyEnum, { defaultValue: 'high' }) urgency: 'high' | 'low';
  @Field(() => ID, { nullable: true }) escalationPolicyId?: string | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'Page these people directly when there is no policy.',
  })
  assignedUserIds?: string[] | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Trigger again if acknowledged but not resolved within this many seconds.',
  })
  ackTimeoutSeconds?: number | null;
}
