import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { AppError } from '@tocsin/graphql';
import { PUB_SUB, type RedisPubSub } from '@tocsin/queue';
import { Permission, RequirePermission, type RequestContext } from '@tocsin/tenancy';
import { alertsTopic, type AlertsTopicMessage } from './alert-transition';
import { AlertsService } from './alerts.service';
import {
  AlertFilterInput,
  AlertHistoryObject,
  AlertObject,
  AlertStateEnum,
  AlertTransitionObject,
} from './dto/alert.object';

/**
 * The organization of a subscriber, from its authenticated connection (graphql-ws handshake).
 * Never from arguments: a subscriber cannot name another organization's topic.
 */
function subscriberOrg(ctx: { req?: { auth?: RequestContext | null } }): string {
  const auth = ctx?.req?.auth;
  if (!auth) throw AppError.unauthenticated();
  if (!auth.orgId) throw AppError.unauthenticated('Choose an organization first');
  if (!auth.permissions.has(Permission.ConfigRead)) throw AppError.forbidden();
  return auth.orgId;
}

/** Maps each pub/sub message to zero or more subscription events; closing it unsubscribes. */
async function* expand<T, U>(
  source: AsyncIterableIterator<T>,
  map: (m: T) => Promise<U[]> | U[],
): AsyncGenerator<U> {
  try {
    for await (const message of source) for (const out of await map(message)) yield out;
  } finally {
    await source.return?.();
  }
}

@Resolver(() => AlertObject)
export class AlertsResolver {
  constructor(
    private readonly service: AlertsService,
    @Inject(PUB_SUB) private readonly pubsub: RedisPubSub,
  ) {}

  @Query(() => [AlertObject], {
    description: 'Alert instances of the current organization; default pending and firing.',
  })
  @RequirePermission(Permission.ConfigRead)
  alerts(@Args('filter', { nullable: true }) filter?: AlertFilterInput): Promise<AlertObject[]> {
    return this.service.list(filter ?? {});
  }

  @Query(() => AlertObject)
  @RequirePermission(Permission.ConfigRead)
  alert(@Args('id', { type: () => ID }) id: string): Promise<AlertObject> {
    return this.service.get(id);
  }

  @ResolveField(() => [AlertHistoryObject], {
    description: 'Every transition, newest first (at most 500).',
  })
  history(
    @Parent() alert: AlertObject,
    @Context() ctx: { req?: { auth?: RequestContext | null } },
  ): Promise<AlertHistoryObject[]> {
    const orgId = ctx?.req?.auth?.orgId;
    if (!orgId) throw AppError.unauthenticated();
    return this.service.history(orgId, alert.id);
  }

  @Subscription(() => AlertTransitionObject, {
    description: "Transitions of the current organization's alerts as they happen.",
  })
  @RequirePermission(Permission.ConfigRead)
  alertTransitions(
    @Context() ctx: { req?: { auth?: RequestContext | null } },
  ): AsyncIterableIterator<unknown> {
    const orgId = subscriberOrg(ctx);
    const source = this.pubsub.asyncIterator<AlertsTopicMessage>(
      alertsTopic(orgId),
      (m) => m?.orgId === orgId,
    );
    // Transitions cross Redis as JSON, where `at` becomes a string; DateTime serialises only Dates.
    return expand(source, (m) =>
      m.transitions.map((t) => ({ alertTransitions: { ...t, at: new Date(t.at as unknown as string) } })),
    );
  }

  @Subscription(() => [AlertObject], {
    description: 'The firing alerts of the current organization: now, then after every change.',
  })
  @RequirePermission(Permission.ConfigRead)
  firingAlerts(
    @Context() ctx: { req?: { auth?: RequestContext | null } },
  ): AsyncIterableIterator<unknown> {
    const orgId = subscriberOrg(ctx);
    const service = this.service;
    const source = this.pubsub.asyncIterator<AlertsTopicMessage>(
      alertsTopic(orgId),
      (m) => m?.orgId === orgId,
    );
    const firing = async () => ({
      firingAlerts: await service.listFor(orgId, { states: [AlertStateEnum.FIRING] }),
    });
    async function* stream() {
      try {
        yield await firing();
        // A burst of transitions may be behind one list; every message re-reads the current list.
        for await (const _message of source) yield await firing();
      } finally {
        await source.return?.();
      }
    }
    return stream();
  }
}
