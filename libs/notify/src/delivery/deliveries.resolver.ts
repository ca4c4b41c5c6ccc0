import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { ChannelsService } from '../channels/channels.service';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { DeliveryService } from './delivery.service';
import { DeliveryConnection, DeliveryFilter, type DeliveryStatusEnum } from './dto/delivery.object';

@Resolver()
export class DeliveriesResolver {
  constructor(
    private readonly deliveryService: DeliveryService,
    private readonly channelService: ChannelsService,
  ) {}

  @Query(() => DeliveryConnection, { description: 'The delivery log, newest first.' })
  @RequirePermission(Permission.ConfigRead)
  async deliveries(
    @Args('filter', { type: () => DeliveryFilter, nullable: true }) filter: DeliveryFilter | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<DeliveryConnection> {
    const page = await this.deliveryService.list(filter ?? {}, first, after);
    // Channels are attached here, in the request's tenant context: field resolvers run outside it.
    const channels = await this.channelService.viewsByIds(
      page.nodes.map((n) => n.channelId).filter((id): id is string => !!id),
    );
    return {
      nodes: page.nodes.map((r) => ({
        ...r,
        status: r.status as DeliveryStatusEnum,
        channel: (r.channelId && channels.get(r.channelId)) || null,
      })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
