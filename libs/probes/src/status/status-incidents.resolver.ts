import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { StatusIncidentInput, StatusIncidentObject } from './dto/status-incident.object';
import { StatusIncidentsService } from './status-incidents.service';

@Resolver()
export class StatusIncidentsResolver {
  constructor(private readonly service: StatusIncidentsService) {}

  @Query(() => [StatusIncidentObject], { description: 'Status-page incidents and maintenance open during the last `days` days.' })
  @RequirePermission(Permission.ConfigRead)
  statusIncidents(@Args('days', { type: () => Int, nullable: true, defaultValue: 90 }) days: number): Promise<StatusIncidentObject[]> {
    return this.service.list(Math.min(Math.max(days, 1), 366));
  }

  @Mutation(() => StatusIncidentObject)
  @RequirePermission(Permission.ConfigWrite)
  createStatusIncident(@Args('input') input: StatusIncidentInput): Promise<StatusIncidentObject> {
    return this.service.create(input);
  }

  @Mutation(() => StatusIncidentObject, { description: 'Posts an update; resolved/completed closes the incident or maintenance.' })
  @RequirePermission(Permission.ConfigWrite)
  addStatusIncidentUpdate(
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('status') status: string,
    @Args('body') body: string,
  ): Promise<StatusIncidentObject> {
    return this.service.addUpdate(incidentId, status, body);
  }
}
