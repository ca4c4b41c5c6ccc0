import { Module } from '@nestjs/common';
import { ChannelsRepository } from './channels/channels.repository';
import { ChannelsResolver } from './channels/channels.resolver';
import { ChannelsService } from './channels/channels.service';
import { ChannelRateLimiter } from './delivery/channel-rate-limiter';
import { DeliveriesRepository } from './delivery/deliveries.repository';
import { DeliveriesResolver } from './delivery/deliveries.resolver';
import { DeliveryRetention } from './delivery/delivery-retention';
import { SendFences } from './delivery/send-fences';
import { DeliveryRunner } from './delivery/delivery-runner';
import { DeliveryService } from './delivery/delivery.service';
import { TemplatePreviewService } from './templates/template-preview.service';

const services = [
  ChannelsRepository,
  ChannelsService,
  DeliveriesRepository,
  DeliveryService,
  TemplatePreviewService,
];

/** Channels and deliveries without the GraphQL surface: for the worker and for other libs. Needs DbModule, RedisModule, TenancyModule. */
@Module({
  providers: [...services, ChannelRateLimiter, DeliveryRunner, SendFences, DeliveryRetention],
  exports: [...services, ChannelRateLimiter, DeliveryRunner, SendFences, DeliveryRetention],
})
export class NotifyModule {}

/** NotifyModule plus its GraphQL resolvers, for the api. */
@Module({
  imports: [NotifyModule],
  providers: [ChannelsResolver, DeliveriesResolver],
  exports: [NotifyModule],
})
export class NotifyApiModule {}
