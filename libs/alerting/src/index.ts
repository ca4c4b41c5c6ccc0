export { AlertingCoreModule, AlertingModule } from './alerting.module';
export { AlertTransitionSink, PublishingTransitionSink, alertsTopic } from './alerts/alert-transition';
export type { AlertTransition, AlertsTopicMessage } from './alerts/alert-transition';
export { DEFAULT_FLAP, stepAlert, stepRule } from './alerts/state-machine';
export type { AlertSnapshot, AlertState, FlapSettings, SeriesSample, StateChange, StateMachineRule, StepInput, StepResult } from './alerts/state-machine';
export { fingerprintOf } from './alerts/fingerprint';
export { renderTemplate, renderAll, validateTemplate, humanize, humanizeDuration, humanizePercentage } from './alerts/templates';
export type { TemplateData } from './alerts/templates';
export { AlertsService } from './alerts/alerts.service';
export { AlertingTrigger, TRIGGER_DEBOUNCE_MS } from './evaluation/alerting-trigger.service';
export { alignedInstant, EvaluationScheduler, EVALUATE_GROUP_JOB, evaluationPhase, schedulerId, tickDueAt } from './evaluation/evaluation-scheduler.service';
export type { EvaluateGroupJob } from './evaluation/evaluation-scheduler.service';
export { RuleEvaluator } from './evaluation/rule-evaluator.service';
export {
  TransitionOutbox,
  SWEEP_OUTBOX_JOB,
  OUTBOX_SCHEDULER_ID,
  OUTBOX_SWEEP_AGE_MS,
  type SweepOutcome,
} from './evaluation/transition-outbox.service';
export type { GroupEvaluation } from './evaluation/rule-evaluator.service';
export { ALERTING_ENGINE, ALERTING_READER, RECORDING_WRITER } from './evaluation/evaluation.tokens';
export type { RecordingWriter } from './evaluation/evaluation.tokens';
export { metricNamesOf } from './evaluation/metric-names';
export { RulesService } from './rules/rules.service';
export { compileCondition, builderConditionSchema } from './rules/condition-builder';
export type { BuilderCondition, CompiledCondition } from './rules/condition-builder';
export { parsePrometheusRules, toPrometheusYaml } from './rules/prometheus-yaml';
export type { GroupSpec } from './rules/prometheus-yaml';
export type { NoDataState, RuleDraft, RuleKind, RuleSpec } from './rules/rule.types';
export { BacktestService } from './backtest/backtest.service';
export { replay, runBacktest } from './backtest/backtest';
export type { BacktestResult, BacktestSeries, TimelineStep } from './backtest/backtest';
// Part 2: noise control, routing, grouping, dispatch, intake, explain.
export { MatcherError, matches, matchesAll, matchersFromLabels, parseMatchers, printMatchers, toMatchers } from './routing/matchers';
export type { MatchType, Matcher } from './routing/matchers';
export { DEFAULT_POLICY, ROUTE_DEFAULTS, PolicyError, compilePolicy, describeRoute, groupKeyOf, groupLabelsFor, matchRoutes } from './routing/route-tree';
export type { CompiledPolicy, InhibitRuleConfig, PolicyDocument, ReceiverConfig, Route, RouteConfig } from './routing/route-tree';
export { parseDuration, formatDuration } from './routing/duration';
export { activeUntil, compileInterval, isActive } from './maintenance/time-interval';
export type { TimeInterval } from './maintenance/time-interval';
export { inhibitedBy } from './inhibition/inhibitor';
export type { InhibitRule } from './inhibition/inhibitor';
export { firstFlushAt, needsUpdate, nextFlushAt } from './dispatch/group-timers';
export { SilencesService, silenceState } from './silences/silences.service';
export { MaintenanceService } from './maintenance/maintenance.service';
export { NotificationPolicyService } from './routing/notification-policy.service';
export { DispatchService, flushJobId } from './dispatch/dispatch.service';
export { AlertingHousekeeping, HOUSEKEEPING_EVERY_MS, HOUSEKEEPING_JOB, ORPHAN_GROUP_GRACE_MS } from './dispatch/alerting-housekeeping.service';
export type { HousekeepingResult } from './dispatch/alerting-housekeeping.service';
export type { FlushOutcome } from './dispatch/dispatch.service';
export { DispatchingTransitionSink } from './dispatch/dispatching-transition-sink';
export { alertsFromTransitions } from './dispatch/dispatch.types';
export type { AlertDispatchJob, DispatchAlert, DispatchJob, FlushJob } from './dispatch/dispatch.types';
export { AlertIntakeService, RESOLVE_TIMEOUT_MS, parseAlertmanagerBody, parseWebhookBody } from './intake/intake.service';
export { ExplainService } from './explain/explain.service';
export type { AlertExplanation } from './explain/explain.service';
