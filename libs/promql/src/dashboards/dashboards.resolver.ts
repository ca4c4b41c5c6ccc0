import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { DashboardsService } from './dashboards.service';
import type { DashboardRow } from './dashboards.repository';

@ObjectType('Dashboard', {
  description: 'Panels of PromQL queries, with variables and time settings.',
})
export class DashboardObject {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field(() => GraphQLJSON, {
    description:
      '{ panels: [{ id, title, type: timeseries|stat|gauge|table|heatmap, query, unit?, min?, max?, width 1–12 }], variables: [{ name, label, match? }], time: { rangeMs, refreshSeconds } }',
  })
  definition: unknown;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('GrafanaImportResult')
export class GrafanaImportObject {
  @Field(() => DashboardObject) dashboard: DashboardRow;
  @Field(() => [String], { description: 'Titles of panels left out (no Prometheus query).' })
  skipped: string[];
}

@Resolver()
export class DashboardsResolver {
  constructor(private readonly service: DashboardsService) {}

  @Query(() => [DashboardObject], { description: 'The organization’s dashboards, by title.' })
  @RequirePermission(Permission.ConfigRead)
  dashboards(): Promise<DashboardRow[]> {
    return this.service.list();
  }

  @Query(() => DashboardObject)
  @RequirePermission(Permission.ConfigRead)
  dashboard(@Args('id', { type: () => ID }) id: string): Promise<DashboardRow> {
    return this.service.get(id);
  }

  @Mutation(() => DashboardObject)
  @RequirePermission(Permission.ConfigWrite)
  createDashboard(
    @Args('title') title: string,
    @Args('definition', { type: () => GraphQLJSON, nullable: true }) definition?: unknown,
  ): Promise<DashboardRow> {
    return this.service.create(title, definition ?? {});
  }

  @Mutation(() => DashboardObject, { description: 'Replaces the title and the whole definition.' })
  @RequirePermission(Permission.ConfigWrite)
  updateDashboard(
    @Args('id', { type: () => ID }) id: string,
    @Args('title') title: string,
    @Args('definition', { type: () => GraphQLJSON }) definition: unknown,
  ): Promise<DashboardRow> {
    return this.service.update(id, title, definition);
  }

  @Mutation(() => DashboardObject)
  @RequirePermission(Permission.ConfigWrite)
  duplicateDashboard(@Args('id', { type: () => ID }) id: string): Promise<DashboardRow> {
    return this.service.duplicate(id);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteDashboard(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }

  @Mutation(() => GrafanaImportObject, {
    description: 'Creates a dashboard from a Grafana dashboard JSON with Prometheus queries.',
  })
  @RequirePermission(Permission.ConfigWrite)
  importGrafanaDashboard(
    @Args('json', { type: () => GraphQLJSON }) json: unknown,
  ): Promise<{ dashboard: DashboardRow; skipped: string[] }> {
    return this.service.importGrafana(json);
  }
}
