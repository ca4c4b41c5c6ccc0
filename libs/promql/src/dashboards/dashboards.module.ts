import { Module } from '@nestjs/common';
import { DashboardsRepository } from './dashboards.repository';
import { DashboardsResolver } from './dashboards.resolver';
import { DashboardsService } from './dashboards.service';

/** Dashboards of the web app: stored per organization, panels are PromQL run through queryRange. */
@Module({
  providers: [DashboardsRepository, DashboardsService, DashboardsResolver],
  exports: [DashboardsService],
})
export class DashboardsModule {}
