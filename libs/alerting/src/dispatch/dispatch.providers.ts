import { AlertTransitionSink } from '../alerts/alert-transition';
import { ExplainResolver } from '../explain/explain.resolver';
import { ExplainService } from '../explain/explain.service';
import { AlertIntakeService } from '../intake/intake.service';
import { MaintenanceRepository } from '../maintenance/maintenance.repository';
import { MaintenanceResolver } from '../maintenance/maintenance.resolver';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { NotificationPolicyRepository } from '../routing/notification-policy.repository';
import { NotificationPolicyResolver } from '../routing/notification-policy.resolver';
import { NotificationPolicyService } from '../routing/notification-policy.service';
import { SilencesRepository } from '../silences/silences.repository';
import { SilencesResolver } from '../silences/silences.resolver';
import { SilencesService } from '../silences/silences.service';
import { AlertingHousekeeping } from './alerting-housekeeping.service';
import { DispatchQueues } from './dispatch-queue';
import { DispatchService } from './dispatch.service';
import { DispatchStore } from './dispatch.store';
import { DispatchingTransitionSink } from './dispatching-transition-sink';
import { MuteEvaluator } from './mute-evaluator';

/**
 * Dispatch's services for the alerting core module. The last entry rebinds AlertTransitionSink
 * (Nest keeps the last provider of a token), so the evaluator's transitions are routed and
 * notified, and still published through PublishingTransitionSink.
 */
export const dispatchProviders = [
  SilencesRepository,
  SilencesService,
  MaintenanceRepository,
  MaintenanceService,
  NotificationPolicyRepository,
  NotificationPolicyService,
  DispatchStore,
  MuteEvaluator,
  DispatchQueues,
  DispatchService,
  AlertIntakeService,
  ExplainService,
  AlertingHousekeeping,
  DispatchingTransitionSink,
  { provide: AlertTransitionSink, useExisting: DispatchingTransitionSink },
];

export const dispatchExports = [
  SilencesService,
  MaintenanceService,
  NotificationPolicyService,
  DispatchService,
  AlertIntakeService,
  ExplainService,
  AlertingHousekeeping,
];

export const dispatchResolvers = [
  SilencesResolver,
  MaintenanceResolver,
  NotificationPolicyResolver,
  ExplainResolver,
];
