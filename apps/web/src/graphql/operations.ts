// Every GraphQL operation the web app sends. The documents live in ./documents/*.graphql; `npm run
// codegen` turns them into ./generated/graphql.ts: each one a TypedDocumentString whose result
// and variable types come from docs/schema.graphql. This file gives them the names the pages use
// and, for the schema's JSON scalar (typed `unknown`), states the shape the web relies on, once.
// `Narrowed` only lets a declared shape replace `unknown`: a field renamed or retyped in the schema
// stops the build with an error that says so.

import {
  AcceptInvitationDocument,
  AcknowledgeIncidentDocument,
  AddContactMethodDocument,
  AddIncidentNoteDocument,
  AddScheduleOverrideDocument,
  AddStatusIncidentUpdateDocument,
  AlertDocument,
  AlertsDocument,
  AlertTransitionsDocument,
  ApiKeysDocument,
  AuditLogDocument,
  BacktestRuleDocument,
  ChangeMemberRoleDocument,
  ChannelsDocument,
  CompileConditionDocument,
  CreateApiKeyDocument,
  CreateChannelDocument,
  CreateCheckDocument,
  CreateHeartbeatDocument,
  CreateScrapeTargetDocument,
  CreateStatusIncidentDocument,
  CreateDashboardDocument,
  CreateEscalationPolicyDocument,
  CreateMaintenanceWindowDocument,
  CreateRuleDocument,
  CreateRuleGroupDocument,
  CreateScheduleDocument,
  CreateSilenceDocument,
  DashboardDocument,
  DashboardsDocument,
  DeleteChannelDocument,
  DeleteCheckDocument,
  DeleteHeartbeatDocument,
  DeleteScrapeTargetDocument,
  DeleteDashboardDocument,
  DeleteEscalationPolicyDocument,
  DeleteMaintenanceWindowDocument,
  DeleteRuleDocument,
  DeleteScheduleDocument,
  DeliveriesDocument,
  DuplicateDashboardDocument,
  ExpireSilenceDocument,
  FinalScheduleDocument,
  FiringAlertsDocument,
  ImportGrafanaDashboardDocument,
  IncidentDocument,
  IncidentsDocument,
  IncidentUpdatedDocument,
  InvitationPreviewDocument,
  InvitationsDocument,
  InviteMemberDocument,
  LabelNamesDocument,
  LabelValuesDocument,
  LogInDocument,
  LogOutDocument,
  MaintenanceWindowsDocument,
  MeDocument,
  MembersDocument,
  MetricNamesDocument,
  MyNotificationRulesDocument,
  NotificationPolicyDocument,
  OnCallDocument,
  OncallAnalyticsDocument,
  OncallOverviewDocument,
  ProbesDocument,
  QueryInstantDocument,
  QueryRangeDocument,
  ReassignIncidentDocument,
  RemoveContactMethodDocument,
  RemoveMemberDocument,
  RemoveScheduleOverrideDocument,
  ResolveIncidentDocument,
  RevokeApiKeyDocument,
  RevokeInvitationDocument,
  RouteTestDocument,
  RuleDocument,
  RuleGroupsDocument,
  SchedulesDocument,
  SetNotificationRulesDocument,
  SignUpDocument,
  SilencesDocument,
  StatusIncidentsDocument,
  SwitchOrganizationDocument,
  TestChannelDocument,
  UpdateCheckDocument,
  UpdateDashboardDocument,
  UpdateEscalationPolicyDocument,
  UpdateMaintenanceWindowDocument,
  UpdateNotificationPolicyDocument,
  UpdateRuleDocument,
  UpdateScheduleDocument,
  UpdateScrapeTargetDocument,
  UsageDocument,
  OrganizationLimitsDocument,
  UpdateOrganizationLimitsDocument,
  type LimitsFieldsFragment,
  VerifyContactMethodDocument,
  MyQuietHoursDocument,
  SetQuietHoursDocument,
  RunCheckDocument,
  type RunCheckMutation,
  type NoDataState,
  type AlertFieldsFragment,
  type AlertQuery,
  type ApiKeyFieldsFragment,
  type AuditLogQuery,
  type BacktestRuleQuery,
  type ChannelFieldsFragment,
  type ChannelsQuery,
  type ChartFieldsFragment,
  type CheckFieldsFragment,
  type ContactMethodFieldsFragment,
  type CreateApiKeyMutation,
  type DashboardFieldsFragment,
  type DeliveryFieldsFragment,
  type EscalationPolicyFieldsFragment,
  type HeartbeatFieldsFragment,
  type IncidentDetailFieldsFragment,
  type IncidentFieldsFragment,
  type InvitationFieldsFragment,
  type InvitationPreviewQuery,
  type InviteMemberMutation,
  type MaintenanceWindowFieldsFragment,
  type MeFieldsFragment,
  type MemberFieldsFragment,
  type OncallAnalyticsQuery,
  type RouteTestQuery,
  type RuleFieldsFragment,
  type RuleGroupsQuery,
  type ScheduleFieldsFragment,
  type ScheduleSlotFieldsFragment,
  type ScrapeTargetFieldsFragment,
  type SilenceFieldsFragment,
  type StatusIncidentFieldsFragment,
  type TypedDocumentString,
  type UsageQuery,
  type UserFieldsFragment,
} from './generated/graphql';

export type {
  AlertState,
  ApiKeyScope,
  CheckKind,
  IncidentStatus,
  NoDataState,
  Role,
  RuleKind,
} from './generated/graphql';

/** A GraphQL document tagged with the types of its result and its variables. */
export type Operation<TData, TVariables> = TypedDocumentString<TData, TVariables>;

type Replace<T, R> = Omit<T, keyof R> & R;

/**
 * A generated document re-tagged with a result type that differs only where the schema says JSON
 * (`unknown`). `TData` must still be assignable to what the schema promises; otherwise this is
 * an error type naming the problem, and every use of the constant fails to compile. Types only: the constant stays the
 * generated (pure) document, so routes still bundle only what they use.
 */
type Narrowed<TDocument, TData> =
  TDocument extends Operation<infer TGenerated, infer TVariables>
    ? TData extends TGenerated
      ? Operation<TData, TVariables>
      : { error: 'the declared shape does not fit the schema'; shape: TData }
    : never;

// ---- Scalars and enums ------------------------------------------------------------------

/** ISO-8601 timestamp, as the api's DateTime scalar serialises it. */
export type DateTime = string;
export type Json = unknown;
export type Labels = Record<string, string>;

export const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'RESPONDER', 'VIEWER'] as const;
export const API_KEY_SCOPES = ['INGEST', 'READ', 'WRITE', 'ADMIN'] as const;
export const ALERT_STATES = ['PENDING', 'FIRING', 'RESOLVED', 'INACTIVE'] as const;
export const INCIDENT_STATUSES = ['TRIGGERED', 'ACKNOWLEDGED', 'RESOLVED'] as const;

// ---- Session, members, keys, audit --------------------------------------------------------

export type User = UserFieldsFragment;
export type Me = MeFieldsFragment;
export type Member = MemberFieldsFragment;
export type Invitation = InvitationFieldsFragment;
export type InvitationLink = InviteMemberMutation['inviteMember'];
export type InvitationPreview = InvitationPreviewQuery['invitationPreview'];
export type ApiKey = ApiKeyFieldsFragment;
export type CreatedApiKey = CreateApiKeyMutation['createApiKey'];
export type AuditLogEntry = AuditLogQuery['auditLog']['nodes'][number];

export const ME_QUERY = MeDocument;
export const SIGN_UP = SignUpDocument;
export const LOG_IN = LogInDocument;
export const LOG_OUT = LogOutDocument;
export const SWITCH_ORGANIZATION = SwitchOrganizationDocument;
export const MEMBERS_QUERY = MembersDocument;
export const INVITATIONS_QUERY = InvitationsDocument;
export const INVITE_MEMBER = InviteMemberDocument;
export const REVOKE_INVITATION = RevokeInvitationDocument;
export const CHANGE_MEMBER_ROLE = ChangeMemberRoleDocument;
export const REMOVE_MEMBER = RemoveMemberDocument;
export const INVITATION_PREVIEW_QUERY = InvitationPreviewDocument;
export const ACCEPT_INVITATION = AcceptInvitationDocument;
export const API_KEYS_QUERY = ApiKeysDocument;
export const CREATE_API_KEY = CreateApiKeyDocument;
export const REVOKE_API_KEY = RevokeApiKeyDocument;
export const AUDIT_LOG_QUERY = AuditLogDocument;

// ---- Metrics (PromQL) -------------------------------------------------------------------

/** Unix milliseconds; the api's RangeInput. */
export interface TimeRange {
  start: number;
  end: number;
  step?: number;
}

export type ChartSeries = Replace<ChartFieldsFragment['series'][number], { labels: Labels }>;
export type ChartData = Replace<ChartFieldsFragment, { series: ChartSeries[] }>;

export const QUERY_RANGE = QueryRangeDocument as Narrowed<
  typeof QueryRangeDocument,
  { queryRange: ChartData }
>;
export const QUERY_INSTANT = QueryInstantDocument as Narrowed<
  typeof QueryInstantDocument,
  { queryInstant: ChartData }
>;
export const METRIC_NAMES = MetricNamesDocument;
export const LABEL_NAMES = LabelNamesDocument;
export const LABEL_VALUES = LabelValuesDocument;

export type IngestUsage = UsageQuery['usage'];
export const USAGE_QUERY = UsageDocument;
export type OrganizationLimits = LimitsFieldsFragment;
export const ORGANIZATION_LIMITS_QUERY = OrganizationLimitsDocument;
export const UPDATE_ORGANIZATION_LIMITS = UpdateOrganizationLimitsDocument;

// ---- Alerts, silences, incidents ----------------------------------------------------------

export type Alert = Replace<AlertFieldsFragment, { labels: Labels; annotations: Labels }>;
export type AlertWithHistory = Alert & Pick<AlertQuery['alert'], 'history'>;
export type AlertExplanation = Replace<
  AlertQuery['explainAlert'],
  {
    decisions: Array<{ at: string; kind: string; detail: unknown }>;
    deliveries: Array<Record<string, unknown>>;
    evaluations: Array<{ at: string; from: string; to: string; value: number | null }>;
    groups: Array<Record<string, unknown>>;
  }
>;

export const ALERTS_QUERY = AlertsDocument as Narrowed<typeof AlertsDocument, { alerts: Alert[] }>;
export const ALERT_QUERY = AlertDocument as Narrowed<
  typeof AlertDocument,
  { alert: AlertWithHistory; explainAlert: AlertExplanation }
>;
export const FIRING_ALERTS_SUBSCRIPTION = FiringAlertsDocument as Narrowed<
  typeof FiringAlertsDocument,
  { firingAlerts: Alert[] }
>;
export const ALERT_TRANSITIONS_SUBSCRIPTION = AlertTransitionsDocument as Narrowed<
  typeof AlertTransitionsDocument,
  {
    alertTransitions: Omit<AlertTransition, 'at'>;
  }
>;

export interface AlertTransition {
  alertId: string;
  ruleId: string;
  ruleName: string;
  from: import('./generated/graphql').AlertState;
  to: import('./generated/graphql').AlertState;
  at: DateTime;
  severity: string | null;
  labels: Labels;
}

export type Silence = SilenceFieldsFragment;
export const SILENCES_QUERY = SilencesDocument;
export const CREATE_SILENCE = CreateSilenceDocument;
export const EXPIRE_SILENCE = ExpireSilenceDocument;

export type Incident = IncidentFieldsFragment;
export type IncidentWithTimeline = IncidentDetailFieldsFragment;
export type IncidentEvent = IncidentWithTimeline['timeline'][number];
export const INCIDENTS_QUERY = IncidentsDocument;
export const INCIDENT_QUERY = IncidentDocument;
export const INCIDENT_UPDATED_SUBSCRIPTION = IncidentUpdatedDocument;
export const ACKNOWLEDGE_INCIDENT = AcknowledgeIncidentDocument;
export const RESOLVE_INCIDENT = ResolveIncidentDocument;
export const REASSIGN_INCIDENT = ReassignIncidentDocument;
export const ADD_INCIDENT_NOTE = AddIncidentNoteDocument;

// ---- Rules ------------------------------------------------------------------------------

/** What the builder sends; the api compiles it to PromQL (libs/alerting condition-builder.ts). */
export type BuilderCondition =
  | {
      kind: 'threshold';
      query: string;
      direction: 'above' | 'below';
      warning?: { threshold: number; recovery?: number };
      critical?: { threshold: number; recovery?: number };
    }
  | {
      kind: 'rate_of_change';
      query: string;
      window: string;
      mode: 'absolute' | 'percent';
      direction: 'up' | 'down' | 'either';
      threshold: number;
      severity?: string;
    }
  | { kind: 'no_data'; query: string; duration: string; for?: string; severity?: string }
  | {
      kind: 'anomaly';
      query: string;
      window: string;
      k: number;
      baseline: 'rolling' | 'last_week';
      severity?: string;
    };

export type Rule = Replace<
  RuleFieldsFragment,
  { labels: Labels; annotations: Labels; condition: BuilderCondition | null }
>;
export type RuleGroup = Replace<RuleGroupsQuery['ruleGroups'][number], { rules: Rule[] }>;

/** The rule fields shared by create, update and backtest. */
export interface RuleInput {
  kind: 'ALERTING' | 'RECORDING';
  name: string;
  expr?: string;
  condition?: BuilderCondition;
  for?: string;
  keepFiringFor?: string;
  noDataState?: NoDataState;
  errorState?: NoDataState;
  labels?: Labels;
  annotations?: Labels;
  /** Not edited by the form; sent back as loaded so an update does not reset them. */
  enabled?: boolean;
  flap?: { enabled: boolean; maxChanges: number; window: string; hold: string } | null;
}

export type BacktestResult = Replace<
  BacktestRuleQuery['backtestRule'],
  {
    series: Array<Replace<BacktestRuleQuery['backtestRule']['series'][number], { labels: Labels }>>;
  }
>;

export const RULE_GROUPS_QUERY = RuleGroupsDocument as Narrowed<
  typeof RuleGroupsDocument,
  { ruleGroups: RuleGroup[] }
>;
export const RULE_QUERY = RuleDocument as Narrowed<typeof RuleDocument, { rule: Rule }>;
export const CREATE_RULE_GROUP = CreateRuleGroupDocument;
export const CREATE_RULE = CreateRuleDocument as Narrowed<
  typeof CreateRuleDocument,
  { createRule: Rule }
>;
export const UPDATE_RULE = UpdateRuleDocument as Narrowed<
  typeof UpdateRuleDocument,
  { updateRule: Rule }
>;
export const DELETE_RULE = DeleteRuleDocument;
export const COMPILE_CONDITION = CompileConditionDocument;
export const BACKTEST_RULE = BacktestRuleDocument as Narrowed<
  typeof BacktestRuleDocument,
  { backtestRule: BacktestResult }
>;

// ---- Dashboards -------------------------------------------------------------------------

export const PANEL_TYPES = ['timeseries', 'stat', 'gauge', 'table', 'heatmap'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

export interface DashboardPanel {
  id: string;
  title: string;
  type: PanelType;
  query: string;
  unit?: string;
  min?: number;
  max?: number;
  /** Columns of a 12-column grid. */
  width: number;
}

export interface DashboardVariable {
  name: string;
  label: string;
  match?: string;
}

export interface DashboardDefinition {
  panels: DashboardPanel[];
  variables: DashboardVariable[];
  time: { rangeMs: number; refreshSeconds: number };
}

export type Dashboard = Replace<DashboardFieldsFragment, { definition: DashboardDefinition }>;

export const DASHBOARDS_QUERY = DashboardsDocument as Narrowed<
  typeof DashboardsDocument,
  { dashboards: Dashboard[] }
>;
export const DASHBOARD_QUERY = DashboardDocument as Narrowed<
  typeof DashboardDocument,
  { dashboard: Dashboard }
>;
export const CREATE_DASHBOARD = CreateDashboardDocument as Narrowed<
  typeof CreateDashboardDocument,
  { createDashboard: Dashboard }
>;
export const UPDATE_DASHBOARD = UpdateDashboardDocument as Narrowed<
  typeof UpdateDashboardDocument,
  { updateDashboard: Dashboard }
>;
export const DUPLICATE_DASHBOARD = DuplicateDashboardDocument as Narrowed<
  typeof DuplicateDashboardDocument,
  { duplicateDashboard: Dashboard }
>;
export const DELETE_DASHBOARD = DeleteDashboardDocument;
export const IMPORT_GRAFANA_DASHBOARD = ImportGrafanaDashboardDocument as Narrowed<
  typeof ImportGrafanaDashboardDocument,
  {
    importGrafanaDashboard: { dashboard: Dashboard; skipped: string[] };
  }
>;

// ---- Notifications ----------------------------------------------------------------------

/** The subset of JSON Schema the providers' configs use: an object of simple properties. */
export interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  secret?: boolean;
  minimum?: number;
  maximum?: number;
}

export type ChannelKind = Replace<
  ChannelsQuery['channelKinds'][number],
  { configSchema: { properties?: Record<string, JsonSchemaProperty>; required?: string[] } }
>;
export type Channel = Replace<ChannelFieldsFragment, { config: Record<string, unknown> }>;
export type Delivery = DeliveryFieldsFragment;
export type RouteMatch = RouteTestQuery['routeTest'][number];

export const CHANNELS_QUERY = ChannelsDocument as Narrowed<
  typeof ChannelsDocument,
  { channels: Channel[]; channelKinds: ChannelKind[] }
>;
export const CREATE_CHANNEL = CreateChannelDocument;
export const DELETE_CHANNEL = DeleteChannelDocument;
export const TEST_CHANNEL = TestChannelDocument;
export const DELIVERIES_QUERY = DeliveriesDocument;
export const NOTIFICATION_POLICY_QUERY = NotificationPolicyDocument;
export const UPDATE_NOTIFICATION_POLICY = UpdateNotificationPolicyDocument;
export const ROUTE_TEST = RouteTestDocument;

/** A maintenance window's recurrence (libs/alerting/src/maintenance). */
export interface MaintenanceSchedule {
  timeZone?: string;
  weekdays?: string[];
  times?: Array<{ start: string; end: string }>;
  ranges?: Array<{ startsAt: DateTime; endsAt: DateTime }>;
}

export type MaintenanceWindow = Replace<
  MaintenanceWindowFieldsFragment,
  { schedule: MaintenanceSchedule }
>;

export const MAINTENANCE_WINDOWS_QUERY = MaintenanceWindowsDocument as Narrowed<
  typeof MaintenanceWindowsDocument,
  { maintenanceWindows: MaintenanceWindow[] }
>;
export const CREATE_MAINTENANCE_WINDOW = CreateMaintenanceWindowDocument;
export const UPDATE_MAINTENANCE_WINDOW = UpdateMaintenanceWindowDocument;
export const DELETE_MAINTENANCE_WINDOW = DeleteMaintenanceWindowDocument;

// ---- On call ----------------------------------------------------------------------------

/** One rotation layer (libs/oncall/README.md); later layers win. */
export interface ScheduleLayer {
  name?: string;
  users: string[];
  rotation: 'daily' | 'weekly' | 'hours';
  every?: number;
  /** Local time of the first handoff, "2026-03-01T09:00". */
  start: string;
  restrictions?: Array<{ days?: number[]; start: string; end: string }>;
}

export type Schedule = Replace<ScheduleFieldsFragment, { layers: ScheduleLayer[] }>;
export type ScheduleSlot = ScheduleSlotFieldsFragment;

export interface EscalationTarget {
  type: 'user' | 'schedule' | 'channel';
  id: string;
}
export interface EscalationLevel {
  delaySeconds: number;
  targets: EscalationTarget[];
}
export type EscalationPolicy = Replace<
  EscalationPolicyFieldsFragment,
  { levels: EscalationLevel[] }
>;
export type ContactMethod = ContactMethodFieldsFragment;

export const SCHEDULES_QUERY = SchedulesDocument as Narrowed<
  typeof SchedulesDocument,
  { schedules: Schedule[] }
>;
export const ON_CALL_QUERY = OnCallDocument;
export const ONCALL_OVERVIEW_QUERY = OncallOverviewDocument as Narrowed<
  typeof OncallOverviewDocument,
  {
    schedules: Schedule[];
    escalationPolicies: EscalationPolicy[];
    myContactMethods: ContactMethod[];
    members: Member[];
    channels: Array<{ id: string; name: string }>;
  }
>;
export const FINAL_SCHEDULE = FinalScheduleDocument;
export const CREATE_SCHEDULE = CreateScheduleDocument;
export const UPDATE_SCHEDULE = UpdateScheduleDocument;
export const DELETE_SCHEDULE = DeleteScheduleDocument;
export const ADD_SCHEDULE_OVERRIDE = AddScheduleOverrideDocument;
export const REMOVE_SCHEDULE_OVERRIDE = RemoveScheduleOverrideDocument;
export const CREATE_ESCALATION_POLICY = CreateEscalationPolicyDocument;
export const UPDATE_ESCALATION_POLICY = UpdateEscalationPolicyDocument;
export const DELETE_ESCALATION_POLICY = DeleteEscalationPolicyDocument;
export const ADD_CONTACT_METHOD = AddContactMethodDocument;
export const VERIFY_CONTACT_METHOD = VerifyContactMethodDocument;
export const REMOVE_CONTACT_METHOD = RemoveContactMethodDocument;

export const MY_NOTIFICATION_RULES_QUERY = MyNotificationRulesDocument;
export const SET_NOTIFICATION_RULES = SetNotificationRulesDocument;
export const MY_QUIET_HOURS_QUERY = MyQuietHoursDocument;
export const SET_QUIET_HOURS = SetQuietHoursDocument;

export type OncallAnalytics = OncallAnalyticsQuery;
export const ONCALL_ANALYTICS_QUERY = OncallAnalyticsDocument;

// ---- Probes -----------------------------------------------------------------------------

/**
 * A check's config (libs/probes/src/checks/check-config.ts). Header values come back masked;
 * sent back unchanged, the api keeps the stored value.
 */
export interface CheckConfig {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  expectedStatus?: number[];
  keyword?: string;
  keywordInvert?: boolean;
  jsonPath?: string;
  jsonPathEquals?: string;
  followRedirects?: boolean;
  tlsInsecureSkipVerify?: boolean;
  recordType?: string;
  server?: string;
  expect?: string[];
}

/** Prometheus metric_relabel_configs, as the api stores them. */
export type RelabelConfig = Record<string, unknown>;

export type Check = Replace<CheckFieldsFragment, { config: CheckConfig }>;
export type Heartbeat = HeartbeatFieldsFragment;
export type ScrapeTarget = Replace<
  ScrapeTargetFieldsFragment,
  { labels: Record<string, string>; metricRelabelConfigs: RelabelConfig[] }
>;
export type StatusIncident = StatusIncidentFieldsFragment;

export const PROBES_QUERY = ProbesDocument as Narrowed<
  typeof ProbesDocument,
  { checks: Check[]; heartbeats: Heartbeat[]; scrapeTargets: ScrapeTarget[] }
>;
export const CREATE_CHECK = CreateCheckDocument;
export const UPDATE_CHECK = UpdateCheckDocument;
export const RUN_CHECK = RunCheckDocument as Narrowed<
  typeof RunCheckDocument,
  { runCheck: Replace<RunCheckMutation['runCheck'], { check: Check }> }
>;
export const DELETE_CHECK = DeleteCheckDocument;
export const CREATE_HEARTBEAT = CreateHeartbeatDocument;
export const DELETE_HEARTBEAT = DeleteHeartbeatDocument;
export const CREATE_SCRAPE_TARGET = CreateScrapeTargetDocument;
export const UPDATE_SCRAPE_TARGET = UpdateScrapeTargetDocument;
export const DELETE_SCRAPE_TARGET = DeleteScrapeTargetDocument;
export const STATUS_INCIDENTS_QUERY = StatusIncidentsDocument;
export const CREATE_STATUS_INCIDENT = CreateStatusIncidentDocument;
export const ADD_STATUS_INCIDENT_UPDATE = AddStatusIncidentUpdateDocument;
