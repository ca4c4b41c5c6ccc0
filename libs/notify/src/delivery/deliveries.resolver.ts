import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { DeliveryService } from './delivery.service';
import { DeliveryConnection, DeliveryFilter, type DeliveryStatusEnum } from './dto/delivery.object';

@Resolver()
export class DeliveriesResolver {
  constructor(private readonly deliveryService: DeliveryService) {}

  @Query(() => DeliveryConnection, { description: 'The delivery log, newest first.' })
  @RequirePermission(Permission.ConfigRead)
  async deliveries(
    @Args('filter', { type: () => DeliveryFilter, nullable: true }) filter: DeliveryFilter | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<DeliveryConnection> {
    const page = await this.deliveryService.list(filter ?? {}, first, after);
    return {
      nodes: page.nodes.map((r) => ({ ...r, status: r.status as DeliveryStatusEnum })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
