import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '@tocsin/graphql';
import { ChannelObject } from '../../channels/dto/channel.object';

export enum DeliveryStatusEnum {
  queued = 'queued',
  sending = 'sending',
  delivered = 'delivered',
  failed = 'failed',
  cancelled = 'cancelled',
}
registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description:
    'queued: waiting (or waiting to retry); sending: an attempt is in flight; delivered; failed: no attempts left; cancelled: called off before sending (an on-call page whose incident was acknowledged).',
});

@ObjectType('Delivery', {
  description: 'One notification through one channel (or to one address), in the delivery log.',
})
export class DeliveryObject {
  @Field(() => ID) id: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Null for direct sends, and after the channel was deleted.',
  })
  channelId: string | null;
  @Field({ description: 'The channel kind, or email/sms/voice for direct sends.' }) kind: string;
  @Field(() => ChannelObject, {
    nullable: true,
    description: 'The channel, unless the send was direct or the channel was deleted.',
  })
  channel: ChannelObject | null;
  @Field(() => String, { nullable: true, description: 'The address of a direct send.' }) target:
    string | null;
  @Field({ description: 'Receivers see it as the Idempotency-Key header; one delivery per key.' })
  idempotencyKey: string;
  @Field(() => DeliveryStatusEnum) status: DeliveryStatusEnum;
  @Field(() => Int, { description: 'Sends tried so far.' }) attempts: number;
  @Field(() => Int, {
    description: 'Jobs for this key that arrived after it was delivered and were not sent.',
  })
  duplicates: number;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => String, { nullable: true }) providerMessageId: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Duration of the last provider request, in milliseconds.',
  })
  latencyMs: number | null;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) deliveredAt: Date | null;
}

@ObjectType()
export class DeliveryConnection {
  @Field(() => [DeliveryObject]) nodes: DeliveryObject[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@InputType()
export class DeliveryFilter {
  @Field(() => ID, { nullable: true }) channelId?: string | null;
  @Field(() => DeliveryStatusEnum, { nullable: true }) status?: DeliveryStatusEnum | null;
  @Field(() => String, { nullable: true }) idempotencyKey?: string | null;
}
