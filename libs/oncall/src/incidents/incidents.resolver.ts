import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Query,
  ResolveField,
  Resolver,
  Subscription,
  Parent,
} from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { PUB_SUB, type RedisPubSub } from '@tocsin/queue';
import {
  Permission,
  RequirePermission,
  currentOrgId,
  type AuthenticatedRequest,
} from '@tocsin/tenancy';
import {
  CreateIncidentInput,
  IncidentEventObject,
  IncidentObject,
  IncidentPageObject,
  IncidentStatusEnum,
} from './incident.object';
import { incidentsTopic, type IncidentUpdatedEvent } from './incident-publisher';
import { IncidentsService, contextActor } from './incidents.service';
import type { IncidentRow } from './incident-lock';

function revive(i: IncidentRow): IncidentRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    ...i,
    acknowledgedAt: date(i.acknowledgedAt),
    resolvedAt: date(i.resolvedAt),
    createdAt: date(i.createdAt)!,
    updatedAt: date(i.updatedAt)!,
  };
}

@Resolver(() => IncidentObject)
export class IncidentsResolver {
  constructor(
    private readonly service: IncidentsService,
    @Inject(PUB_SUB) private readonly pubsub: RedisPubSub,
  ) {}

  @Query(() => [IncidentObject], { description: 'Newest first.' })
  @RequirePermission(Permission.IncidentsRead)
  incidents(
    @Args('status', { type: () => IncidentStatusEnum, nullable: true })
    status: IncidentStatusEnum | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<IncidentRow[]> {
    return this.service.list({ status, first });
  }

  @Query(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRead)
  incident(@Args('id', { type: () => ID }) id: string): Promise<IncidentRow> {
    return this.service.get(id);
  }

  @ResolveField(() => [IncidentEventObject], {
    description: 'Every page, delivery, escalation, acknowledgement and note, oldest first.',
  })
  timeline(@Parent() incident: IncidentRow) {
    return this.service.timeline(incident.orgId, incident.id);
  }

  @ResolveField(() => [IncidentPageObject])
  pages(@Parent() incident: IncidentRow) {
    return this.service.pages(incident.orgId, incident.id);
  }

  @Mutation(() => IncidentObject, {
    description: 'Open an incident by hand or from an integration (API key with write scope).',
  })
  @RequirePermission(Permission.IncidentsRespond)
  createIncident(@Args('input') input: CreateIncidentInput): Promise<IncidentRow> {
    return this.service.create({
      title: input.title,
      urgency: input.urgency,
      escalationPolicyId: input.escalationPolicyId ?? null,
      assignedUserIds: input.assignedUserIds ?? [],
      ackTimeoutSeconds: input.ackTimeoutSeconds ?? null,
      source: contextActor().apiKeyId ? 'api' : 'manual',
    });
  }

  @Mutation(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRespond)
  acknowledgeIncident(@Args('id', { type: () => ID }) id: string): Promise<IncidentRow> {
    return this.service.acknowledge(currentOrgId(), id, contextActor());
  }

  @Mutation(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRespond)
  resolveIncident(@Args('id', { type: () => ID }) id: string): Promise<IncidentRow> {
    return this.service.resolve(currentOrgId(), id, contextActor());
  }

  @Mutation(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRespond)
  reassignIncident(
    @Args('id', { type: () => ID }) id: string,
    @Args('userIds', { type: () => [ID] }) userIds: string[],
  ): Promise<IncidentRow> {
    return this.service.reassign(id, userIds);
  }

  @Mutation(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRespond)
  addIncidentResponders(
    @Args('id', { type: () => ID }) id: string,
    @Args('userIds', { type: () => [ID] }) userIds: string[],
  ): Promise<IncidentRow> {
    return this.service.addResponders(id, userIds);
  }

  @Mutation(() => IncidentObject)
  @RequirePermission(Permission.IncidentsRespond)
  addIncidentNote(
    @Args('id', { type: () => ID }) id: string,
    @Args('text') text: string,
  ): Promise<IncidentRow> {
    return this.service.addNote(id, text);
  }

  /** The organization is the subscriber's own, from the handshake; there is deliberately no argument for it. */
  @Subscription(() => IncidentObject, {
    filter: (payload: IncidentUpdatedEvent, _vars: unknown, ctx: { req?: AuthenticatedRequest }) =>
      payload.orgId === ctx.req?.auth?.orgId,
    resolve: (payload: IncidentUpdatedEvent) => revive(payload.incident),
  })
  @RequirePermission(Permission.IncidentsRead)
  incidentUpdated(@Context() ctx: { req?: AuthenticatedRequest }) {
    const orgId = ctx.req?.auth?.orgId;
    if (!orgId) throw AppError.unauthenticated('Choose an organization first');
    return this.pubsub.asyncIterator<IncidentUpdatedEvent>(incidentsTopic(orgId));
  }
}
