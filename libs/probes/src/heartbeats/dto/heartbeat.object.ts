import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Heartbeat', { description: 'A job that must check in on a schedule (push URL); a missed beat is an alert.' })
export class HeartbeatObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Int, { nullable: true }) periodSeconds: number | null;
  @Field(() => String, { nullable: true }) cron: string | null;
  @Field() timezone: string;
  @Field(() => Int) graceSeconds: number;
  @Field(() => Date, { nullable: true }) lastBeatAt: Date | null;
  @Field({ description: 'new (no beat yet), up, or missed.' }) status: string;
  @Field(() => Date, { description: 'When the next beat is owed, grace included.' }) dueBy: Date;
  @Field(() => ID, { nullable: true }) ruleId: string | null;
}

@ObjectType('CreatedHeartbeat')
export class CreatedHeartbeatObject {
  @Field(() => HeartbeatObject) heartbeat: HeartbeatObject;
  @Field({ description: 'The secret push URL (GET or POST). Shown once; only its hash is stored.' }) pushUrl: string;
}

@InputType()
export class HeartbeatInput {
  @Field() name: string;
  @Field(() => Int, { nullable: true, description: 'Expected period; or give cron.' }) periodSeconds?: number | null;
  @Field(() => String, { nullable: true, description: 'Cron expression (5 or 6 fields) of the expected beats.' }) cron?: string | null;
  @Field({ nullable: true, defaultValue: 'UTC' }) timezone?: string;
  @Field(() => Int, { nullable: true, defaultValue: 0 }) graceSeconds?: number;
}
