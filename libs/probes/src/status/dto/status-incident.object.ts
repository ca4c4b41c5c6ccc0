import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum StatusIncidentKindEnum {
  INCIDENT = 'incident',
  MAINTENANCE = 'maintenance',
}
registerEnumType(StatusIncidentKindEnum, { name: 'StatusIncidentKind' });

@ObjectType('StatusIncidentUpdate')
export class StatusIncidentUpdateObject {
  @Field(() => ID) id: string;
  @Field() status: string;
  @Field() body: string;
  @Field() createdAt: Date;
}

@ObjectType('StatusIncident', { description: 'An incident or maintenance shown on the public status page.' })
export class StatusIncidentObject {
  @Field(() => ID) id: string;
  @Field(() => StatusIncidentKindEnum) kind: StatusIncidentKindEnum;
  @Field() title: string;
  @Field() status: string;
  @Field(() => [ID]) checkIds: string[];
  @Field() startsAt: Date;
  @Field(() => Date, { nullable: true }) endsAt: Date | null;
  @Field(() => [StatusIncidentUpdateObject]) updates: StatusIncidentUpdateObject[];
}

@InputType()
export class StatusIncidentInput {
  @Field(() => StatusIncidentKindEnum, { nullable: true, defaultValue: StatusIncidentKindEnum.INCIDENT }) kind?: StatusIncidentKindEnum;
  @Field() title: string;
  @Field({ description: 'investigating, identified, monitoring, resolved; scheduled, in_progress, completed for maintenance.' }) status: string;
  @Field() body: string;
  @Field(() => [ID], { nullable: true }) checkIds?: string[];
  @Field(() => Date, { nullable: true }) startsAt?: Date;
  @Field(() => Date, { nullable: true }) endsAt?: Date;
}
