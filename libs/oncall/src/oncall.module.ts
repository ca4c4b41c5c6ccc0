import { Module } from '@nestjs/common';
import { NotifyModule } from '@tocsin/notify';
import { OncallAnalyticsResolver } from './analytics/oncall-analytics.resolver';
import { OncallAnalyticsService } from './analytics/oncall-analytics.service';
import { ResponseSummaryResolver } from './analytics/response-summary.resolver';
import { ResponseSummaryService } from './analytics/response-summary.service';
import { EscalationPoliciesResolver } from './escalation/escalation-policies.resolver';
import { EscalationPoliciesService } from './escalation/escalation-policies.service';
import { EscalationService } from './escalation/escalation.service';
import { IncidentPublisher } from './incidents/incident-publisher';
import { IncidentsResolver } from './incidents/incidents.resolver';
import { IncidentsService } from './incidents/incidents.service';
import { OncallQueue } from './oncall-queue';
import { NotifyPageSender } from './paging/notify-page-sender';
import { IncidentPageFence } from './paging/page-fence';
import { PAGE_SENDER } from './paging/page-sender';
import { PeopleResolver } from './people/people.resolver';
import { PeopleService } from './people/people.service';
import { SchedulesResolver } from './schedules/schedules.resolver';
import { SchedulesService } from './schedules/schedules.service';

const services = [
  OncallQueue,
  IncidentPublisher,
  PeopleService,
  SchedulesService,
  EscalationPoliciesService,
  EscalationService,
  IncidentsService,
  OncallAnalyticsService,
  ResponseSummaryService,
  { provide: PAGE_SENDER, useClass: NotifyPageSender },
  IncidentPageFence,
];

/** The domain services, for the worker (processors) and the api's HTTP routes. Needs DbModule, RedisModule, TenancyModule. */
@Module({ imports: [NotifyModule], providers: services, exports: services })
export class OncallCoreModule {}

/** Core plus the GraphQL resolvers, for the api. */
@Module({
  imports: [OncallCoreModule],
  providers: [
    IncidentsResolver,
    SchedulesResolver,
    EscalationPoliciesResolver,
    PeopleResolver,
    OncallAnalyticsResolver,
    ResponseSummaryResolver,
  ],
  exports: [OncallCoreModule],
})
export class OncallModule {}
