/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptInvitationInput = {
  /** For a new account: your name. */
  name?: string | null | undefined;
  /** For a new account: your password. */
  password?: string | null | undefined;
  token: string;
};

export type AlertFilterInput = {
  /** Label name → value; every one must match exactly. */
  labels?: unknown;
  /** At most 1000; default 500. */
  limit?: number | null | undefined;
  ruleId?: string | number | null | undefined;
  severities?: Array<string> | null | undefined;
  /** Default: pending and firing. */
  states?: Array<AlertState> | null | undefined;
};

export type AlertState =
  | 'FIRING'
  | 'INACTIVE'
  | 'PENDING'
  | 'RESOLVED';

/** INGEST pushes metrics; READ queries; WRITE changes configuration; ADMIN also manages keys and limits. */
export type ApiKeyScope =
  | 'ADMIN'
  | 'INGEST'
  | 'READ'
  | 'WRITE';

export type BasicAuthInput = {
  password: string;
  username: string;
};

export type ChannelTemplatesInput = {
  body?: string | null | undefined;
  title?: string | null | undefined;
};

export type CheckInput = {
  /** http: method, headers, body, expectedStatus[], keyword, keywordInvert, jsonPath, jsonPathEquals, followRedirects, tlsInsecureSkipVerify. dns: recordType, server, expect[]. */
  config?: unknown;
  enabled?: boolean | null | undefined;
  failureThreshold?: number | null | undefined;
  intervalSeconds?: number | null | undefined;
  kind: CheckKind;
  name: string;
  showOnStatusPage?: boolean | null | undefined;
  /** URL (http), host:port (tcp) or a DNS name (dns). */
  target: string;
  timeoutSeconds?: number | null | undefined;
};

export type CheckKind =
  | 'DNS'
  | 'HTTP'
  | 'TCP';

export type CreateApiKeyInput = {
  expiresAt?: string | null | undefined;
  name: string;
  scopes: Array<ApiKeyScope>;
};

export type CreateChannelInput = {
  config: unknown;
  fallbackChannelId?: string | number | null | undefined;
  kind: string;
  name: string;
  rateLimitPerMinute?: number | null | undefined;
  templates?: ChannelTemplatesInput | null | undefined;
};

export type CreateRuleGroupInput = {
  /** Prometheus duration, e.g. "1m". */
  interval: string;
  labels?: unknown;
  name: string;
};

export type CreateRuleInput = {
  annotations?: unknown;
  /** A builder condition, compiled to PromQL on save. */
  condition?: unknown;
  enabled?: boolean | null | undefined;
  errorState?: NoDataState | null | undefined;
  /** PromQL; leave out when giving a builder condition. */
  expr?: string | null | undefined;
  flap?: FlapSettingsInput | null | undefined;
  for?: string | null | undefined;
  groupId: string | number;
  keepFiringFor?: string | null | undefined;
  kind: RuleKind;
  labels?: unknown;
  name: string;
  noDataState?: NoDataState | null | undefined;
};

/** queued: waiting (or waiting to retry); sending: an attempt is in flight; delivered; failed: no attempts left; cancelled: called off before sending (an on-call page whose incident was acknowledged). */
export type DeliveryStatus =
  | 'cancelled'
  | 'delivered'
  | 'failed'
  | 'queued'
  | 'sending';

export type EscalationPolicyInput = {
  levels: unknown;
  name: string;
  repeatCount?: number;
};

export type FlapSettingsInput = {
  enabled?: boolean | null | undefined;
  hold?: string | null | undefined;
  maxChanges?: number | null | undefined;
  window?: string | null | undefined;
};

export type HeartbeatInput = {
  /** Cron expression (5 or 6 fields) of the expected beats. */
  cron?: string | null | undefined;
  graceSeconds?: number | null | undefined;
  name: string;
  /** Expected period; or give cron. */
  periodSeconds?: number | null | undefined;
  timezone?: string | null | undefined;
};

export type IncidentStatus =
  | 'ACKNOWLEDGED'
  | 'RESOLVED'
  | 'TRIGGERED';

export type InviteMemberInput = {
  email: string;
  role: Role;
};

export type LogInInput = {
  email: string;
  password: string;
};

export type MaintenanceWindowInput = {
  enabled?: boolean | null | undefined;
  /** Alertmanager matcher syntax; {} mutes every alert. */
  matchers: string;
  name: string;
  schedule: unknown;
};

/** What a rule does when its query has no data or fails: fire, count as OK, or keep the last state. */
export type NoDataState =
  | 'ALERTING'
  | 'KEEP_LAST'
  | 'OK';

export type NotificationRuleInput = {
  contactMethodId: string | number;
  delaySeconds?: number;
};

export type RangeInput = {
  /** Unix ms. */
  end: number;
  /** Unix ms. */
  start: number;
  /** Step in ms. Default: 250 points over the range, at least 1 s, with start and end moved down to a multiple of the step (as Grafana aligns them), so a chart refreshed a few seconds later asks for the same grid and is answered from the results cache. */
  step?: number | null | undefined;
};

/** What a member may do. OWNER and ADMIN manage people and keys; EDITOR changes configuration; RESPONDER acknowledges and silences; VIEWER reads. */
export type Role =
  | 'ADMIN'
  | 'EDITOR'
  | 'OWNER'
  | 'RESPONDER'
  | 'VIEWER';

export type RuleInput = {
  annotations?: unknown;
  /** A builder condition, compiled to PromQL on save. */
  condition?: unknown;
  enabled?: boolean | null | undefined;
  errorState?: NoDataState | null | undefined;
  /** PromQL; leave out when giving a builder condition. */
  expr?: string | null | undefined;
  flap?: FlapSettingsInput | null | undefined;
  for?: string | null | undefined;
  keepFiringFor?: string | null | undefined;
  kind: RuleKind;
  labels?: unknown;
  name: string;
  noDataState?: NoDataState | null | undefined;
};

export type RuleKind =
  | 'ALERTING'
  | 'RECORDING';

export type ScheduleInput = {
  layers: unknown;
  name: string;
  timeZone: string;
};

export type ScrapeTargetInput = {
  /** host:port */
  address: string;
  basicAuth?: BasicAuthInput | null | undefined;
  bearerToken?: string | null | undefined;
  /** On update: remove stored credentials. Without it, and without new ones, they are kept. */
  clearAuth?: boolean | null | undefined;
  enabled?: boolean | null | undefined;
  intervalSeconds?: number | null | undefined;
  job: string;
  labels?: unknown;
  /** Prometheus metric_relabel_configs (keep, drop, replace, labelmap, labeldrop, labelkeep). */
  metricRelabelConfigs?: unknown;
  metricsPath?: string | null | undefined;
  scheme?: string | null | undefined;
  timeoutSeconds?: number | null | undefined;
};

export type SignUpInput = {
  email: string;
  name: string;
  organizationName: string;
  /** At least 10 characters. */
  password: string;
};

export type SilenceInput = {
  comment?: string | null | undefined;
  endsAt: string;
  /** Alertmanager matcher syntax: {alertname="Down", env=~"prod|stage"} */
  matchers: string;
  /** Default: now. */
  startsAt?: string | null | undefined;
};

export type SilenceState =
  | 'active'
  | 'expired'
  | 'pending';

export type StatusIncidentInput = {
  body: string;
  checkIds?: Array<string | number> | null | undefined;
  endsAt?: string | null | undefined;
  kind?: StatusIncidentKind | null | undefined;
  startsAt?: string | null | undefined;
  /** investigating, identified, monitoring, resolved; scheduled, in_progress, completed for maintenance. */
  status: string;
  title: string;
};

export type StatusIncidentKind =
  | 'INCIDENT'
  | 'MAINTENANCE';

/** Only the fields given change. */
export type UpdateOrganizationLimitsInput = {
  alertLogRetentionDays?: number | null | undefined;
  /** Set 0 to use the server's INGEST_MAX_BODY_BYTES. */
  ingestMaxBodyBytes?: number | null | undefined;
  /** Set 0 to use the server's INGEST_MAX_DECOMPRESSED_BYTES. */
  ingestMaxDecompressedBytes?: number | null | undefined;
  ingestionBurst?: number | null | undefined;
  ingestionRate?: number | null | undefined;
  maxActiveSeries?: number | null | undefined;
  /** Set 0 to remove the limit. */
  maxSeriesPerMetric?: number | null | undefined;
  queryMaxSamples?: number | null | undefined;
  queryTimeoutSeconds?: number | null | undefined;
  retention1hDays?: number | null | undefined;
  retention1mDays?: number | null | undefined;
  retentionRawDays?: number | null | undefined;
};

export type Urgency =
  | 'high'
  | 'low';

export type AlertFieldsFragment = { id: string, ruleId: string, ruleName: string, fingerprint: string, state: AlertState, severity: string | null, labels: unknown, annotations: unknown, activeSince: string | null, firedAt: string | null, resolvedAt: string | null, lastEval: string, lastValue: number | null, flapping: boolean };

export type AlertsQueryVariables = Exact<{
  filter?: AlertFilterInput | null | undefined;
}>;


export type AlertsQuery = { alerts: Array<{ id: string, ruleId: string, ruleName: string, fingerprint: string, state: AlertState, severity: string | null, labels: unknown, annotations: unknown, activeSince: string | null, firedAt: string | null, resolvedAt: string | null, lastEval: string, lastValue: number | null, flapping: boolean }> };

export type AlertQueryVariables = Exact<{
  id: string | number;
}>;


export type AlertQuery = { alert: { id: string, ruleId: string, ruleName: string, fingerprint: string, state: AlertState, severity: string | null, labels: unknown, annotations: unknown, activeSince: string | null, firedAt: string | null, resolvedAt: string | null, lastEval: string, lastValue: number | null, flapping: boolean, history: Array<{ id: string, at: string, from: AlertState, to: AlertState, value: number | null, flapping: boolean }> }, explainAlert: { alertId: string, summary: string, source: string, state: string, decisions: unknown, deliveries: unknown, evaluations: unknown, groups: unknown } };

export type FiringAlertsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FiringAlertsSubscription = { firingAlerts: Array<{ id: string, ruleId: string, ruleName: string, fingerprint: string, state: AlertState, severity: string | null, labels: unknown, annotations: unknown, activeSince: string | null, firedAt: string | null, resolvedAt: string | null, lastEval: string, lastValue: number | null, flapping: boolean }> };

export type AlertTransitionsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertTransitionsSubscription = { alertTransitions: { alertId: string, ruleId: string, ruleName: string, from: AlertState, to: AlertState, severity: string | null, labels: unknown } };

export type SilenceFieldsFragment = { id: string, matchersText: string, comment: string, startsAt: string, endsAt: string, state: SilenceState, createdAt: string };

export type SilencesQueryVariables = Exact<{ [key: string]: never; }>;


export type SilencesQuery = { silences: Array<{ id: string, matchersText: string, comment: string, startsAt: string, endsAt: string, state: SilenceState, createdAt: string }> };

export type CreateSilenceMutationVariables = Exact<{
  input: SilenceInput;
}>;


export type CreateSilenceMutation = { createSilence: { id: string, matchersText: string, comment: string, startsAt: string, endsAt: string, state: SilenceState, createdAt: string } };

export type ExpireSilenceMutationVariables = Exact<{
  id: string | number;
}>;


export type ExpireSilenceMutation = { expireSilence: { id: string, matchersText: string, comment: string, startsAt: string, endsAt: string, state: SilenceState, createdAt: string } };

export type IncidentFieldsFragment = { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string };

export type IncidentDetailFieldsFragment = { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> };

export type IncidentsQueryVariables = Exact<{
  status?: IncidentStatus | null | undefined;
  first?: number;
}>;


export type IncidentsQuery = { incidents: Array<{ id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string }> };

export type IncidentQueryVariables = Exact<{
  id: string | number;
}>;


export type IncidentQuery = { incident: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> } };

export type IncidentUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type IncidentUpdatedSubscription = { incidentUpdated: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string } };

export type AcknowledgeIncidentMutationVariables = Exact<{
  id: string | number;
}>;


export type AcknowledgeIncidentMutation = { acknowledgeIncident: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> } };

export type ResolveIncidentMutationVariables = Exact<{
  id: string | number;
}>;


export type ResolveIncidentMutation = { resolveIncident: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> } };

export type ReassignIncidentMutationVariables = Exact<{
  id: string | number;
  userIds: Array<string | number> | string | number;
}>;


export type ReassignIncidentMutation = { reassignIncident: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> } };

export type AddIncidentNoteMutationVariables = Exact<{
  id: string | number;
  text: string;
}>;


export type AddIncidentNoteMutation = { addIncidentNote: { id: string, number: number, title: string, status: IncidentStatus, urgency: Urgency, source: string, assignedUserIds: Array<string>, acknowledgedAt: string | null, acknowledgedById: string | null, resolvedAt: string | null, createdAt: string, updatedAt: string, timeline: Array<{ id: string, kind: string, actorUserId: string | null, details: unknown, createdAt: string }> } };

export type DashboardFieldsFragment = { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string };

export type DashboardsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardsQuery = { dashboards: Array<{ id: string, title: string, definition: unknown, createdAt: string, updatedAt: string }> };

export type DashboardQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardQuery = { dashboard: { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string } };

export type CreateDashboardMutationVariables = Exact<{
  title: string;
  definition?: unknown;
}>;


export type CreateDashboardMutation = { createDashboard: { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string } };

export type UpdateDashboardMutationVariables = Exact<{
  id: string | number;
  title: string;
  definition: unknown;
}>;


export type UpdateDashboardMutation = { updateDashboard: { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string } };

export type DuplicateDashboardMutationVariables = Exact<{
  id: string | number;
}>;


export type DuplicateDashboardMutation = { duplicateDashboard: { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string } };

export type DeleteDashboardMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteDashboardMutation = { deleteDashboard: boolean };

export type ImportGrafanaDashboardMutationVariables = Exact<{
  json: unknown;
}>;


export type ImportGrafanaDashboardMutation = { importGrafanaDashboard: { skipped: Array<string>, dashboard: { id: string, title: string, definition: unknown, createdAt: string, updatedAt: string } } };

export type ChartFieldsFragment = { resultType: string, series: Array<{ labels: unknown, timestamps: Array<number>, values: Array<number | null> }> };

export type QueryRangeQueryVariables = Exact<{
  query: string;
  range: RangeInput;
}>;


export type QueryRangeQuery = { queryRange: { resultType: string, series: Array<{ labels: unknown, timestamps: Array<number>, values: Array<number | null> }> } };

export type QueryInstantQueryVariables = Exact<{
  query: string;
}>;


export type QueryInstantQuery = { queryInstant: { resultType: string, series: Array<{ labels: unknown, timestamps: Array<number>, values: Array<number | null> }> } };

export type MetricNamesQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type MetricNamesQuery = { metricNames: Array<string> };

export type LabelNamesQueryVariables = Exact<{
  match?: Array<string> | string | null | undefined;
}>;


export type LabelNamesQuery = { labelNames: Array<string> };

export type LabelValuesQueryVariables = Exact<{
  name: string;
  match?: Array<string> | string | null | undefined;
}>;


export type LabelValuesQuery = { labelValues: Array<string> };

export type UsageQueryVariables = Exact<{ [key: string]: never; }>;


export type UsageQuery = { usage: { activeSeries: number, maxActiveSeries: number, ingestionRate: number, ingestionRateLimit: number, ingestionBurst: number, maxSeriesPerMetric: number | null, lastHour: Array<{ minuteStart: number, samples: number }>, topMetrics: Array<{ metric: string, series: number }> } };

export type DeliveryFieldsFragment = { id: string, kind: string, status: DeliveryStatus, attempts: number, lastError: string | null, summary: string | null, target: string | null, createdAt: string, deliveredAt: string | null, latencyMs: number | null, channel: { id: string, name: string } | null };

export type ChannelFieldsFragment = { id: string, name: string, kind: string, config: unknown, createdAt: string };

export type ChannelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ChannelsQuery = { channels: Array<{ id: string, name: string, kind: string, config: unknown, createdAt: string }>, channelKinds: Array<{ kind: string, label: string, secretFields: Array<string>, configSchema: unknown }> };

export type CreateChannelMutationVariables = Exact<{
  input: CreateChannelInput;
}>;


export type CreateChannelMutation = { createChannel: { id: string, name: string, kind: string, config: unknown, createdAt: string } };

export type DeleteChannelMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteChannelMutation = { deleteChannel: boolean };

export type TestChannelMutationVariables = Exact<{
  id: string | number;
}>;


export type TestChannelMutation = { testChannel: { id: string, kind: string, status: DeliveryStatus, attempts: number, lastError: string | null, summary: string | null, target: string | null, createdAt: string, deliveredAt: string | null, latencyMs: number | null, channel: { id: string, name: string } | null } };

export type DeliveriesQueryVariables = Exact<{
  first?: number;
  after?: string | null | undefined;
}>;


export type DeliveriesQuery = { deliveries: { nodes: Array<{ id: string, kind: string, status: DeliveryStatus, attempts: number, lastError: string | null, summary: string | null, target: string | null, createdAt: string, deliveredAt: string | null, latencyMs: number | null, channel: { id: string, name: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type NotificationPolicyQueryVariables = Exact<{ [key: string]: never; }>;


export type NotificationPolicyQuery = { notificationPolicy: { document: unknown, version: number, updatedAt: string | null } };

export type UpdateNotificationPolicyMutationVariables = Exact<{
  document: unknown;
}>;


export type UpdateNotificationPolicyMutation = { updateNotificationPolicy: { document: unknown, version: number } };

export type RouteTestQueryVariables = Exact<{
  labels: unknown;
}>;


export type RouteTestQuery = { routeTest: Array<{ id: string, receiver: string, matchers: string, groupBy: Array<string>, channelIds: Array<string>, escalationPolicyId: string | null }> };

export type MaintenanceWindowFieldsFragment = { id: string, name: string, matchersText: string, enabled: boolean, schedule: unknown, activeNow: boolean, activeUntil: string | null };

export type MaintenanceWindowsQueryVariables = Exact<{ [key: string]: never; }>;


export type MaintenanceWindowsQuery = { maintenanceWindows: Array<{ id: string, name: string, matchersText: string, enabled: boolean, schedule: unknown, activeNow: boolean, activeUntil: string | null }> };

export type CreateMaintenanceWindowMutationVariables = Exact<{
  input: MaintenanceWindowInput;
}>;


export type CreateMaintenanceWindowMutation = { createMaintenanceWindow: { id: string, name: string, matchersText: string, enabled: boolean, schedule: unknown, activeNow: boolean, activeUntil: string | null } };

export type UpdateMaintenanceWindowMutationVariables = Exact<{
  id: string | number;
  input: MaintenanceWindowInput;
}>;


export type UpdateMaintenanceWindowMutation = { updateMaintenanceWindow: { id: string, name: string, matchersText: string, enabled: boolean, schedule: unknown, activeNow: boolean, activeUntil: string | null } };

export type DeleteMaintenanceWindowMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteMaintenanceWindowMutation = { deleteMaintenanceWindow: boolean };

export type ScheduleSlotFieldsFragment = { userId: string, start: string, end: string, source: string, layer: number | null };

export type ScheduleFieldsFragment = { id: string, name: string, timeZone: string, layers: unknown };

export type EscalationPolicyFieldsFragment = { id: string, name: string, repeatCount: number, levels: unknown };

export type ContactMethodFieldsFragment = { id: string, kind: string, address: string, verifiedAt: string | null };

export type SchedulesQueryVariables = Exact<{ [key: string]: never; }>;


export type SchedulesQuery = { schedules: Array<{ id: string, name: string, timeZone: string, layers: unknown }> };

export type OnCallQueryVariables = Exact<{
  scheduleId: string | number;
}>;


export type OnCallQuery = { onCall: { now: { userId: string, start: string, end: string, source: string, layer: number | null } | null, next: { userId: string, start: string, end: string, source: string, layer: number | null } | null } };

export type OncallOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type OncallOverviewQuery = { schedules: Array<{ id: string, name: string, timeZone: string, layers: unknown }>, escalationPolicies: Array<{ id: string, name: string, repeatCount: number, levels: unknown }>, myContactMethods: Array<{ id: string, kind: string, address: string, verifiedAt: string | null }>, members: Array<{ role: Role, joinedAt: string, user: { id: string, email: string, name: string, timeZone: string } }>, channels: Array<{ id: string, name: string }> };

export type FinalScheduleQueryVariables = Exact<{
  scheduleId: string | number;
  from: string;
  to: string;
}>;


export type FinalScheduleQuery = { finalSchedule: Array<{ userId: string, start: string, end: string, source: string, layer: number | null }>, scheduleLayerShifts: Array<{ userId: string, start: string, end: string, source: string, layer: number | null }>, scheduleOverrides: Array<{ id: string, userId: string, startsAt: string, endsAt: string }> };

export type CreateScheduleMutationVariables = Exact<{
  input: ScheduleInput;
}>;


export type CreateScheduleMutation = { createSchedule: { id: string, name: string, timeZone: string, layers: unknown } };

export type UpdateScheduleMutationVariables = Exact<{
  id: string | number;
  input: ScheduleInput;
}>;


export type UpdateScheduleMutation = { updateSchedule: { id: string, name: string, timeZone: string, layers: unknown } };

export type DeleteScheduleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteScheduleMutation = { deleteSchedule: boolean };

export type AddScheduleOverrideMutationVariables = Exact<{
  scheduleId: string | number;
  userId: string | number;
  start: string;
  end: string;
}>;


export type AddScheduleOverrideMutation = { addScheduleOverride: { id: string } };

export type RemoveScheduleOverrideMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveScheduleOverrideMutation = { removeScheduleOverride: boolean };

export type CreateEscalationPolicyMutationVariables = Exact<{
  input: EscalationPolicyInput;
}>;


export type CreateEscalationPolicyMutation = { createEscalationPolicy: { id: string, name: string, repeatCount: number, levels: unknown } };

export type UpdateEscalationPolicyMutationVariables = Exact<{
  id: string | number;
  input: EscalationPolicyInput;
}>;


export type UpdateEscalationPolicyMutation = { updateEscalationPolicy: { id: string, name: string, repeatCount: number, levels: unknown } };

export type DeleteEscalationPolicyMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteEscalationPolicyMutation = { deleteEscalationPolicy: boolean };

export type AddContactMethodMutationVariables = Exact<{
  kind: string;
  address: string;
}>;


export type AddContactMethodMutation = { addContactMethod: { id: string, kind: string, address: string, verifiedAt: string | null } };

export type VerifyContactMethodMutationVariables = Exact<{
  id: string | number;
  code: string;
}>;


export type VerifyContactMethodMutation = { verifyContactMethod: { id: string, kind: string, address: string, verifiedAt: string | null } };

export type RemoveContactMethodMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveContactMethodMutation = { removeContactMethod: boolean };

export type OncallAnalyticsQueryVariables = Exact<{
  from: string;
  to: string;
  timeZone?: string | null | undefined;
}>;


export type OncallAnalyticsQuery = { oncallStatsByUser: Array<{ key: string, name: string, pages: number, nightPages: number, incidents: number, acknowledged: number, meanSecondsToAck: number | null }>, noisiestIncidentSources: Array<{ source: string, incidents: number, ackedQuickly: number, ignored: number, meanSecondsToAck: number | null }>, oncallResponseSummary: { incidents: number, acknowledged: number, secondsToAckP50: number | null, secondsToAckP90: number | null, secondsToResolveP50: number | null, incidentsByHour: Array<number>, outOfHoursIncidents: number } };

export type MyNotificationRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyNotificationRulesQuery = { high: Array<{ ruleId: string, contactMethodId: string, kind: string, address: string, delaySeconds: number }>, low: Array<{ ruleId: string, contactMethodId: string, kind: string, address: string, delaySeconds: number }> };

export type QuietHoursFieldsFragment = { quietHoursStart: string | null, quietHoursEnd: string | null, timeZone: string };

export type MyQuietHoursQueryVariables = Exact<{ [key: string]: never; }>;


export type MyQuietHoursQuery = { myQuietHours: { quietHoursStart: string | null, quietHoursEnd: string | null, timeZone: string } };

export type SetQuietHoursMutationVariables = Exact<{
  start?: string | null | undefined;
  end?: string | null | undefined;
}>;


export type SetQuietHoursMutation = { setQuietHours: { quietHoursStart: string | null, quietHoursEnd: string | null, timeZone: string } };

export type SetNotificationRulesMutationVariables = Exact<{
  urgency: Urgency;
  rules: Array<NotificationRuleInput> | NotificationRuleInput;
}>;


export type SetNotificationRulesMutation = { setNotificationRules: Array<{ ruleId: string }> };

export type CheckFieldsFragment = { id: string, name: string, kind: CheckKind, target: string, enabled: boolean, intervalSeconds: number, timeoutSeconds: number, failureThreshold: number, showOnStatusPage: boolean, config: unknown, status: string, consecutiveFailures: number, lastCheckedAt: string | null, lastDurationSeconds: number | null, lastStatusCode: number | null, lastError: string | null, certDaysLeft: number | null, ruleId: string | null };

export type HeartbeatFieldsFragment = { id: string, name: string, periodSeconds: number | null, cron: string | null, timezone: string, graceSeconds: number, status: string, lastBeatAt: string | null, dueBy: string, ruleId: string | null };

export type ScrapeTargetFieldsFragment = { id: string, job: string, address: string, scheme: string, metricsPath: string, intervalSeconds: number, timeoutSeconds: number, enabled: boolean, labels: unknown, metricRelabelConfigs: unknown, authKind: string | null, health: string, lastScrapeAt: string | null, lastDurationSeconds: number | null, lastSamples: number | null, lastError: string | null };

export type StatusIncidentFieldsFragment = { id: string, kind: StatusIncidentKind, title: string, status: string, startsAt: string, endsAt: string | null, checkIds: Array<string>, updates: Array<{ id: string, status: string, body: string, createdAt: string }> };

export type ProbesQueryVariables = Exact<{ [key: string]: never; }>;


export type ProbesQuery = { checks: Array<{ id: string, name: string, kind: CheckKind, target: string, enabled: boolean, intervalSeconds: number, timeoutSeconds: number, failureThreshold: number, showOnStatusPage: boolean, config: unknown, status: string, consecutiveFailures: number, lastCheckedAt: string | null, lastDurationSeconds: number | null, lastStatusCode: number | null, lastError: string | null, certDaysLeft: number | null, ruleId: string | null }>, heartbeats: Array<{ id: string, name: string, periodSeconds: number | null, cron: string | null, timezone: string, graceSeconds: number, status: string, lastBeatAt: string | null, dueBy: string, ruleId: string | null }>, scrapeTargets: Array<{ id: string, job: string, address: string, scheme: string, metricsPath: string, intervalSeconds: number, timeoutSeconds: number, enabled: boolean, labels: unknown, metricRelabelConfigs: unknown, authKind: string | null, health: string, lastScrapeAt: string | null, lastDurationSeconds: number | null, lastSamples: number | null, lastError: string | null }> };

export type CreateCheckMutationVariables = Exact<{
  input: CheckInput;
  alertWhenDown?: boolean | null | undefined;
}>;


export type CreateCheckMutation = { createCheck: { id: string, name: string, kind: CheckKind, target: string, enabled: boolean, intervalSeconds: number, timeoutSeconds: number, failureThreshold: number, showOnStatusPage: boolean, config: unknown, status: string, consecutiveFailures: number, lastCheckedAt: string | null, lastDurationSeconds: number | null, lastStatusCode: number | null, lastError: string | null, certDaysLeft: number | null, ruleId: string | null } };

export type UpdateCheckMutationVariables = Exact<{
  id: string | number;
  input: CheckInput;
}>;


export type UpdateCheckMutation = { updateCheck: { id: string, name: string, kind: CheckKind, target: string, enabled: boolean, intervalSeconds: number, timeoutSeconds: number, failureThreshold: number, showOnStatusPage: boolean, config: unknown, status: string, consecutiveFailures: number, lastCheckedAt: string | null, lastDurationSeconds: number | null, lastStatusCode: number | null, lastError: string | null, certDaysLeft: number | null, ruleId: string | null } };

export type RunCheckMutationVariables = Exact<{
  id: string | number;
}>;


export type RunCheckMutation = { runCheck: { success: boolean, error: string | null, durationSeconds: number, statusCode: number | null, check: { id: string, name: string, kind: CheckKind, target: string, enabled: boolean, intervalSeconds: number, timeoutSeconds: number, failureThreshold: number, showOnStatusPage: boolean, config: unknown, status: string, consecutiveFailures: number, lastCheckedAt: string | null, lastDurationSeconds: number | null, lastStatusCode: number | null, lastError: string | null, certDaysLeft: number | null, ruleId: string | null } } };

export type DeleteCheckMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteCheckMutation = { deleteCheck: boolean };

export type CreateHeartbeatMutationVariables = Exact<{
  input: HeartbeatInput;
  alertWhenMissed?: boolean | null | undefined;
}>;


export type CreateHeartbeatMutation = { createHeartbeat: { pushUrl: string, heartbeat: { id: string, name: string, periodSeconds: number | null, cron: string | null, timezone: string, graceSeconds: number, status: string, lastBeatAt: string | null, dueBy: string, ruleId: string | null } } };

export type DeleteHeartbeatMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteHeartbeatMutation = { deleteHeartbeat: boolean };

export type CreateScrapeTargetMutationVariables = Exact<{
  input: ScrapeTargetInput;
}>;


export type CreateScrapeTargetMutation = { createScrapeTarget: { id: string, job: string, address: string, scheme: string, metricsPath: string, intervalSeconds: number, timeoutSeconds: number, enabled: boolean, labels: unknown, metricRelabelConfigs: unknown, authKind: string | null, health: string, lastScrapeAt: string | null, lastDurationSeconds: number | null, lastSamples: number | null, lastError: string | null } };

export type UpdateScrapeTargetMutationVariables = Exact<{
  id: string | number;
  input: ScrapeTargetInput;
}>;


export type UpdateScrapeTargetMutation = { updateScrapeTarget: { id: string, job: string, address: string, scheme: string, metricsPath: string, intervalSeconds: number, timeoutSeconds: number, enabled: boolean, labels: unknown, metricRelabelConfigs: unknown, authKind: string | null, health: string, lastScrapeAt: string | null, lastDurationSeconds: number | null, lastSamples: number | null, lastError: string | null } };

export type DeleteScrapeTargetMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteScrapeTargetMutation = { deleteScrapeTarget: boolean };

export type StatusIncidentsQueryVariables = Exact<{ [key: string]: never; }>;


export type StatusIncidentsQuery = { statusIncidents: Array<{ id: string, kind: StatusIncidentKind, title: string, status: string, startsAt: string, endsAt: string | null, checkIds: Array<string>, updates: Array<{ id: string, status: string, body: string, createdAt: string }> }> };

export type CreateStatusIncidentMutationVariables = Exact<{
  input: StatusIncidentInput;
}>;


export type CreateStatusIncidentMutation = { createStatusIncident: { id: string, kind: StatusIncidentKind, title: string, status: string, startsAt: string, endsAt: string | null, checkIds: Array<string>, updates: Array<{ id: string, status: string, body: string, createdAt: string }> } };

export type AddStatusIncidentUpdateMutationVariables = Exact<{
  incidentId: string | number;
  status: string;
  body: string;
}>;


export type AddStatusIncidentUpdateMutation = { addStatusIncidentUpdate: { id: string, kind: StatusIncidentKind, title: string, status: string, startsAt: string, endsAt: string | null, checkIds: Array<string>, updates: Array<{ id: string, status: string, body: string, createdAt: string }> } };

export type RuleFieldsFragment = { id: string, groupId: string, name: string, kind: RuleKind, expr: string, recoveryExpr: string | null, condition: unknown, for: string, keepFiringFor: string, enabled: boolean, noDataState: NoDataState, errorState: NoDataState, labels: unknown, annotations: unknown, lastError: string | null, updatedAt: string, flap: { enabled: boolean, maxChanges: number, window: string, hold: string } | null };

export type RuleGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type RuleGroupsQuery = { ruleGroups: Array<{ id: string, name: string, interval: string, lastEvalAt: string | null, lastError: string | null, rules: Array<{ id: string, groupId: string, name: string, kind: RuleKind, expr: string, recoveryExpr: string | null, condition: unknown, for: string, keepFiringFor: string, enabled: boolean, noDataState: NoDataState, errorState: NoDataState, labels: unknown, annotations: unknown, lastError: string | null, updatedAt: string, flap: { enabled: boolean, maxChanges: number, window: string, hold: string } | null }> }> };

export type RuleQueryVariables = Exact<{
  id: string | number;
}>;


export type RuleQuery = { rule: { id: string, groupId: string, name: string, kind: RuleKind, expr: string, recoveryExpr: string | null, condition: unknown, for: string, keepFiringFor: string, enabled: boolean, noDataState: NoDataState, errorState: NoDataState, labels: unknown, annotations: unknown, lastError: string | null, updatedAt: string, flap: { enabled: boolean, maxChanges: number, window: string, hold: string } | null } };

export type CreateRuleGroupMutationVariables = Exact<{
  input: CreateRuleGroupInput;
}>;


export type CreateRuleGroupMutation = { createRuleGroup: { id: string, name: string } };

export type CreateRuleMutationVariables = Exact<{
  input: CreateRuleInput;
}>;


export type CreateRuleMutation = { createRule: { id: string, groupId: string, name: string, kind: RuleKind, expr: string, recoveryExpr: string | null, condition: unknown, for: string, keepFiringFor: string, enabled: boolean, noDataState: NoDataState, errorState: NoDataState, labels: unknown, annotations: unknown, lastError: string | null, updatedAt: string, flap: { enabled: boolean, maxChanges: number, window: string, hold: string } | null } };

export type UpdateRuleMutationVariables = Exact<{
  id: string | number;
  input: RuleInput;
}>;


export type UpdateRuleMutation = { updateRule: { id: string, groupId: string, name: string, kind: RuleKind, expr: string, recoveryExpr: string | null, condition: unknown, for: string, keepFiringFor: string, enabled: boolean, noDataState: NoDataState, errorState: NoDataState, labels: unknown, annotations: unknown, lastError: string | null, updatedAt: string, flap: { enabled: boolean, maxChanges: number, window: string, hold: string } | null } };

export type DeleteRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteRuleMutation = { deleteRule: boolean };

export type CompileConditionQueryVariables = Exact<{
  condition: unknown;
}>;


export type CompileConditionQuery = { compileCondition: { expr: string, recoveryExpr: string | null, for: string | null } };

export type BacktestRuleQueryVariables = Exact<{
  rule: RuleInput;
  from: string;
  to: string;
  step?: string | null | undefined;
}>;


export type BacktestRuleQuery = { backtestRule: { steps: number, transitions: number, notifications: number, series: Array<{ fingerprint: string, labels: unknown, intervals: Array<{ from: string, to: string | null, state: AlertState }> }> } };

export type OrganizationFieldsFragment = { id: string, slug: string, name: string, createdAt: string };

export type UserFieldsFragment = { id: string, email: string, name: string, timeZone: string };

export type MeFieldsFragment = { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { me: { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null } } };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { me: { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null } } };

export type LogOutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogOutMutation = { logOut: boolean };

export type SwitchOrganizationMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type SwitchOrganizationMutation = { switchOrganization: { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null } };

export type MemberFieldsFragment = { role: Role, joinedAt: string, user: { id: string, email: string, name: string, timeZone: string } };

export type InvitationFieldsFragment = { id: string, email: string, role: Role, expiresAt: string, createdAt: string, acceptedAt: string | null };

export type ApiKeyFieldsFragment = { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null };

export type MembersQueryVariables = Exact<{ [key: string]: never; }>;


export type MembersQuery = { members: Array<{ role: Role, joinedAt: string, user: { id: string, email: string, name: string, timeZone: string } }> };

export type InvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type InvitationsQuery = { invitations: Array<{ id: string, email: string, role: Role, expiresAt: string, createdAt: string, acceptedAt: string | null }> };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember: { url: string, invitation: { id: string, email: string, role: Role, expiresAt: string, createdAt: string, acceptedAt: string | null } } };

export type RevokeInvitationMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeInvitationMutation = { revokeInvitation: boolean };

export type ChangeMemberRoleMutationVariables = Exact<{
  userId: string | number;
  role: Role;
}>;


export type ChangeMemberRoleMutation = { changeMemberRole: { role: Role, joinedAt: string, user: { id: string, email: string, name: string, timeZone: string } } };

export type RemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: boolean };

export type InvitationPreviewQueryVariables = Exact<{
  token: string;
}>;


export type InvitationPreviewQuery = { invitationPreview: { organizationName: string, email: string, role: Role, expiresAt: string } };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { me: { role: Role | null, user: { id: string, email: string, name: string, timeZone: string }, organizations: Array<{ role: Role, organization: { id: string, slug: string, name: string, createdAt: string } }>, currentOrganization: { id: string, slug: string, name: string, createdAt: string } | null } } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null } };

export type AuditLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  action?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { nodes: Array<{ id: string, action: string, apiKeyId: string | null, targetType: string | null, targetId: string | null, details: unknown, createdAt: string, actor: { id: string, email: string, name: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type LimitsFieldsFragment = { ingestionRate: number, ingestionBurst: number, maxActiveSeries: number, maxSeriesPerMetric: number | null, ingestMaxBodyBytes: number | null, ingestMaxDecompressedBytes: number | null, retentionRawDays: number, retention1mDays: number, retention1hDays: number, alertLogRetentionDays: number, queryTimeoutSeconds: number, queryMaxSamples: number };

export type OrganizationLimitsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationLimitsQuery = { organizationLimits: { ingestionRate: number, ingestionBurst: number, maxActiveSeries: number, maxSeriesPerMetric: number | null, ingestMaxBodyBytes: number | null, ingestMaxDecompressedBytes: number | null, retentionRawDays: number, retention1mDays: number, retention1hDays: number, alertLogRetentionDays: number, queryTimeoutSeconds: number, queryMaxSamples: number } };

export type UpdateOrganizationLimitsMutationVariables = Exact<{
  input: UpdateOrganizationLimitsInput;
}>;


export type UpdateOrganizationLimitsMutation = { updateOrganizationLimits: { ingestionRate: number, ingestionBurst: number, maxActiveSeries: number, maxSeriesPerMetric: number | null, ingestMaxBodyBytes: number | null, ingestMaxDecompressedBytes: number | null, retentionRawDays: number, retention1mDays: number, retention1hDays: number, alertLogRetentionDays: number, queryTimeoutSeconds: number, queryMaxSamples: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AlertFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment AlertFields on Alert {
  id
  ruleId
  ruleName
  fingerprint
  state
  severity
  labels
  annotations
  activeSince
  firedAt
  resolvedAt
  lastEval
  lastValue
  flapping
}
    `, {"fragmentName":"AlertFields"}) as unknown as TypedDocumentString<AlertFieldsFragment, unknown>;
export const SilenceFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment SilenceFields on Silence {
  id
  matchersText
  comment
  startsAt
  endsAt
  state
  createdAt
}
    `, {"fragmentName":"SilenceFields"}) as unknown as TypedDocumentString<SilenceFieldsFragment, unknown>;
export const IncidentFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
    `, {"fragmentName":"IncidentFields"}) as unknown as TypedDocumentString<IncidentFieldsFragment, unknown>;
export const IncidentDetailFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}`, {"fragmentName":"IncidentDetailFields"}) as unknown as TypedDocumentString<IncidentDetailFieldsFragment, unknown>;
export const DashboardFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}
    `, {"fragmentName":"DashboardFields"}) as unknown as TypedDocumentString<DashboardFieldsFragment, unknown>;
export const ChartFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ChartFields on ChartData {
  resultType
  series {
    labels
    timestamps
    values
  }
}
    `, {"fragmentName":"ChartFields"}) as unknown as TypedDocumentString<ChartFieldsFragment, unknown>;
export const DeliveryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DeliveryFields on Delivery {
  id
  kind
  status
  attempts
  lastError
  summary
  target
  createdAt
  deliveredAt
  latencyMs
  channel {
    id
    name
  }
}
    `, {"fragmentName":"DeliveryFields"}) as unknown as TypedDocumentString<DeliveryFieldsFragment, unknown>;
export const ChannelFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ChannelFields on Channel {
  id
  name
  kind
  config
  createdAt
}
    `, {"fragmentName":"ChannelFields"}) as unknown as TypedDocumentString<ChannelFieldsFragment, unknown>;
export const MaintenanceWindowFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment MaintenanceWindowFields on MaintenanceWindow {
  id
  name
  matchersText
  enabled
  schedule
  activeNow
  activeUntil
}
    `, {"fragmentName":"MaintenanceWindowFields"}) as unknown as TypedDocumentString<MaintenanceWindowFieldsFragment, unknown>;
export const ScheduleSlotFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ScheduleSlotFields on ScheduleSlot {
  userId
  start
  end
  source
  layer
}
    `, {"fragmentName":"ScheduleSlotFields"}) as unknown as TypedDocumentString<ScheduleSlotFieldsFragment, unknown>;
export const ScheduleFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ScheduleFields on Schedule {
  id
  name
  timeZone
  layers
}
    `, {"fragmentName":"ScheduleFields"}) as unknown as TypedDocumentString<ScheduleFieldsFragment, unknown>;
export const EscalationPolicyFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment EscalationPolicyFields on EscalationPolicy {
  id
  name
  repeatCount
  levels
}
    `, {"fragmentName":"EscalationPolicyFields"}) as unknown as TypedDocumentString<EscalationPolicyFieldsFragment, unknown>;
export const ContactMethodFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ContactMethodFields on ContactMethod {
  id
  kind
  address
  verifiedAt
}
    `, {"fragmentName":"ContactMethodFields"}) as unknown as TypedDocumentString<ContactMethodFieldsFragment, unknown>;
export const QuietHoursFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment QuietHoursFields on QuietHours {
  quietHoursStart
  quietHoursEnd
  timeZone
}
    `, {"fragmentName":"QuietHoursFields"}) as unknown as TypedDocumentString<QuietHoursFieldsFragment, unknown>;
export const CheckFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment CheckFields on Check {
  id
  name
  kind
  target
  enabled
  intervalSeconds
  timeoutSeconds
  failureThreshold
  showOnStatusPage
  config
  status
  consecutiveFailures
  lastCheckedAt
  lastDurationSeconds
  lastStatusCode
  lastError
  certDaysLeft
  ruleId
}
    `, {"fragmentName":"CheckFields"}) as unknown as TypedDocumentString<CheckFieldsFragment, unknown>;
export const HeartbeatFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment HeartbeatFields on Heartbeat {
  id
  name
  periodSeconds
  cron
  timezone
  graceSeconds
  status
  lastBeatAt
  dueBy
  ruleId
}
    `, {"fragmentName":"HeartbeatFields"}) as unknown as TypedDocumentString<HeartbeatFieldsFragment, unknown>;
export const ScrapeTargetFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ScrapeTargetFields on ScrapeTarget {
  id
  job
  address
  scheme
  metricsPath
  intervalSeconds
  timeoutSeconds
  enabled
  labels
  metricRelabelConfigs
  authKind
  health
  lastScrapeAt
  lastDurationSeconds
  lastSamples
  lastError
}
    `, {"fragmentName":"ScrapeTargetFields"}) as unknown as TypedDocumentString<ScrapeTargetFieldsFragment, unknown>;
export const StatusIncidentFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment StatusIncidentFields on StatusIncident {
  id
  kind
  title
  status
  startsAt
  endsAt
  checkIds
  updates {
    id
    status
    body
    createdAt
  }
}
    `, {"fragmentName":"StatusIncidentFields"}) as unknown as TypedDocumentString<StatusIncidentFieldsFragment, unknown>;
export const RuleFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment RuleFields on Rule {
  id
  groupId
  name
  kind
  expr
  recoveryExpr
  condition
  for
  keepFiringFor
  enabled
  noDataState
  errorState
  flap {
    enabled
    maxChanges
    window
    hold
  }
  labels
  annotations
  lastError
  updatedAt
}
    `, {"fragmentName":"RuleFields"}) as unknown as TypedDocumentString<RuleFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const OrganizationFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
    `, {"fragmentName":"OrganizationFields"}) as unknown as TypedDocumentString<OrganizationFieldsFragment, unknown>;
export const MeFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}`, {"fragmentName":"MeFields"}) as unknown as TypedDocumentString<MeFieldsFragment, unknown>;
export const MemberFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment MemberFields on Member {
  role
  joinedAt
  user {
    ...UserFields
  }
}
    fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}`, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const InvitationFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  createdAt
  acceptedAt
}
    `, {"fragmentName":"InvitationFields"}) as unknown as TypedDocumentString<InvitationFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const LimitsFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment LimitsFields on OrganizationLimits {
  ingestionRate
  ingestionBurst
  maxActiveSeries
  maxSeriesPerMetric
  ingestMaxBodyBytes
  ingestMaxDecompressedBytes
  retentionRawDays
  retention1mDays
  retention1hDays
  alertLogRetentionDays
  queryTimeoutSeconds
  queryMaxSamples
}
    `, {"fragmentName":"LimitsFields"}) as unknown as TypedDocumentString<LimitsFieldsFragment, unknown>;
export const AlertsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Alerts($filter: AlertFilterInput) {
  alerts(filter: $filter) {
    ...AlertFields
  }
}
    fragment AlertFields on Alert {
  id
  ruleId
  ruleName
  fingerprint
  state
  severity
  labels
  annotations
  activeSince
  firedAt
  resolvedAt
  lastEval
  lastValue
  flapping
}`) as unknown as TypedDocumentString<AlertsQuery, AlertsQueryVariables>;
export const AlertDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Alert($id: ID!) {
  alert(id: $id) {
    ...AlertFields
    history {
      id
      at
      from
      to
      value
      flapping
    }
  }
  explainAlert(alertId: $id) {
    alertId
    summary
    source
    state
    decisions
    deliveries
    evaluations
    groups
  }
}
    fragment AlertFields on Alert {
  id
  ruleId
  ruleName
  fingerprint
  state
  severity
  labels
  annotations
  activeSince
  firedAt
  resolvedAt
  lastEval
  lastValue
  flapping
}`) as unknown as TypedDocumentString<AlertQuery, AlertQueryVariables>;
export const FiringAlertsDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription FiringAlerts {
  firingAlerts {
    ...AlertFields
  }
}
    fragment AlertFields on Alert {
  id
  ruleId
  ruleName
  fingerprint
  state
  severity
  labels
  annotations
  activeSince
  firedAt
  resolvedAt
  lastEval
  lastValue
  flapping
}`) as unknown as TypedDocumentString<FiringAlertsSubscription, FiringAlertsSubscriptionVariables>;
export const AlertTransitionsDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription AlertTransitions {
  alertTransitions {
    alertId
    ruleId
    ruleName
    from
    to
    severity
    labels
  }
}
    `) as unknown as TypedDocumentString<AlertTransitionsSubscription, AlertTransitionsSubscriptionVariables>;
export const SilencesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Silences {
  silences {
    ...SilenceFields
  }
}
    fragment SilenceFields on Silence {
  id
  matchersText
  comment
  startsAt
  endsAt
  state
  createdAt
}`) as unknown as TypedDocumentString<SilencesQuery, SilencesQueryVariables>;
export const CreateSilenceDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateSilence($input: SilenceInput!) {
  createSilence(input: $input) {
    ...SilenceFields
  }
}
    fragment SilenceFields on Silence {
  id
  matchersText
  comment
  startsAt
  endsAt
  state
  createdAt
}`) as unknown as TypedDocumentString<CreateSilenceMutation, CreateSilenceMutationVariables>;
export const ExpireSilenceDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ExpireSilence($id: ID!) {
  expireSilence(id: $id) {
    ...SilenceFields
  }
}
    fragment SilenceFields on Silence {
  id
  matchersText
  comment
  startsAt
  endsAt
  state
  createdAt
}`) as unknown as TypedDocumentString<ExpireSilenceMutation, ExpireSilenceMutationVariables>;
export const IncidentsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Incidents($status: IncidentStatus, $first: Int! = 50) {
  incidents(status: $status, first: $first) {
    ...IncidentFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<IncidentsQuery, IncidentsQueryVariables>;
export const IncidentDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Incident($id: ID!) {
  incident(id: $id) {
    ...IncidentDetailFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}`) as unknown as TypedDocumentString<IncidentQuery, IncidentQueryVariables>;
export const IncidentUpdatedDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription IncidentUpdated {
  incidentUpdated {
    ...IncidentFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<IncidentUpdatedSubscription, IncidentUpdatedSubscriptionVariables>;
export const AcknowledgeIncidentDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AcknowledgeIncident($id: ID!) {
  acknowledgeIncident(id: $id) {
    ...IncidentDetailFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}`) as unknown as TypedDocumentString<AcknowledgeIncidentMutation, AcknowledgeIncidentMutationVariables>;
export const ResolveIncidentDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ResolveIncident($id: ID!) {
  resolveIncident(id: $id) {
    ...IncidentDetailFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}`) as unknown as TypedDocumentString<ResolveIncidentMutation, ResolveIncidentMutationVariables>;
export const ReassignIncidentDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ReassignIncident($id: ID!, $userIds: [ID!]!) {
  reassignIncident(id: $id, userIds: $userIds) {
    ...IncidentDetailFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}`) as unknown as TypedDocumentString<ReassignIncidentMutation, ReassignIncidentMutationVariables>;
export const AddIncidentNoteDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AddIncidentNote($id: ID!, $text: String!) {
  addIncidentNote(id: $id, text: $text) {
    ...IncidentDetailFields
  }
}
    fragment IncidentFields on Incident {
  id
  number
  title
  status
  urgency
  source
  assignedUserIds
  acknowledgedAt
  acknowledgedById
  resolvedAt
  createdAt
  updatedAt
}
fragment IncidentDetailFields on Incident {
  ...IncidentFields
  timeline {
    id
    kind
    actorUserId
    details
    createdAt
  }
}`) as unknown as TypedDocumentString<AddIncidentNoteMutation, AddIncidentNoteMutationVariables>;
export const DashboardsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Dashboards {
  dashboards {
    ...DashboardFields
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DashboardsQuery, DashboardsQueryVariables>;
export const DashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Dashboard($id: ID!) {
  dashboard(id: $id) {
    ...DashboardFields
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const CreateDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateDashboard($title: String!, $definition: JSON) {
  createDashboard(title: $title, definition: $definition) {
    ...DashboardFields
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateDashboardMutation, CreateDashboardMutationVariables>;
export const UpdateDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateDashboard($id: ID!, $title: String!, $definition: JSON!) {
  updateDashboard(id: $id, title: $title, definition: $definition) {
    ...DashboardFields
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateDashboardMutation, UpdateDashboardMutationVariables>;
export const DuplicateDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DuplicateDashboard($id: ID!) {
  duplicateDashboard(id: $id) {
    ...DashboardFields
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DuplicateDashboardMutation, DuplicateDashboardMutationVariables>;
export const DeleteDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteDashboard($id: ID!) {
  deleteDashboard(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteDashboardMutation, DeleteDashboardMutationVariables>;
export const ImportGrafanaDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ImportGrafanaDashboard($json: JSON!) {
  importGrafanaDashboard(json: $json) {
    skipped
    dashboard {
      ...DashboardFields
    }
  }
}
    fragment DashboardFields on Dashboard {
  id
  title
  definition
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ImportGrafanaDashboardMutation, ImportGrafanaDashboardMutationVariables>;
export const QueryRangeDocument = /*#__PURE__*/ new TypedDocumentString(`
    query QueryRange($query: String!, $range: RangeInput!) {
  queryRange(query: $query, range: $range) {
    ...ChartFields
  }
}
    fragment ChartFields on ChartData {
  resultType
  series {
    labels
    timestamps
    values
  }
}`) as unknown as TypedDocumentString<QueryRangeQuery, QueryRangeQueryVariables>;
export const QueryInstantDocument = /*#__PURE__*/ new TypedDocumentString(`
    query QueryInstant($query: String!) {
  queryInstant(query: $query) {
    ...ChartFields
  }
}
    fragment ChartFields on ChartData {
  resultType
  series {
    labels
    timestamps
    values
  }
}`) as unknown as TypedDocumentString<QueryInstantQuery, QueryInstantQueryVariables>;
export const MetricNamesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query MetricNames($search: String) {
  metricNames(search: $search)
}
    `) as unknown as TypedDocumentString<MetricNamesQuery, MetricNamesQueryVariables>;
export const LabelNamesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query LabelNames($match: [String!]) {
  labelNames(match: $match)
}
    `) as unknown as TypedDocumentString<LabelNamesQuery, LabelNamesQueryVariables>;
export const LabelValuesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query LabelValues($name: String!, $match: [String!]) {
  labelValues(name: $name, match: $match)
}
    `) as unknown as TypedDocumentString<LabelValuesQuery, LabelValuesQueryVariables>;
export const UsageDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Usage {
  usage {
    activeSeries
    maxActiveSeries
    ingestionRate
    ingestionRateLimit
    ingestionBurst
    maxSeriesPerMetric
    lastHour {
      minuteStart
      samples
    }
    topMetrics {
      metric
      series
    }
  }
}
    `) as unknown as TypedDocumentString<UsageQuery, UsageQueryVariables>;
export const ChannelsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Channels {
  channels {
    ...ChannelFields
  }
  channelKinds {
    kind
    label
    secretFields
    configSchema
  }
}
    fragment ChannelFields on Channel {
  id
  name
  kind
  config
  createdAt
}`) as unknown as TypedDocumentString<ChannelsQuery, ChannelsQueryVariables>;
export const CreateChannelDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateChannel($input: CreateChannelInput!) {
  createChannel(input: $input) {
    ...ChannelFields
  }
}
    fragment ChannelFields on Channel {
  id
  name
  kind
  config
  createdAt
}`) as unknown as TypedDocumentString<CreateChannelMutation, CreateChannelMutationVariables>;
export const DeleteChannelDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteChannel($id: ID!) {
  deleteChannel(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteChannelMutation, DeleteChannelMutationVariables>;
export const TestChannelDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation TestChannel($id: ID!) {
  testChannel(id: $id, waitMs: 5000) {
    ...DeliveryFields
  }
}
    fragment DeliveryFields on Delivery {
  id
  kind
  status
  attempts
  lastError
  summary
  target
  createdAt
  deliveredAt
  latencyMs
  channel {
    id
    name
  }
}`) as unknown as TypedDocumentString<TestChannelMutation, TestChannelMutationVariables>;
export const DeliveriesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Deliveries($first: Int! = 50, $after: String) {
  deliveries(first: $first, after: $after) {
    nodes {
      ...DeliveryFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment DeliveryFields on Delivery {
  id
  kind
  status
  attempts
  lastError
  summary
  target
  createdAt
  deliveredAt
  latencyMs
  channel {
    id
    name
  }
}`) as unknown as TypedDocumentString<DeliveriesQuery, DeliveriesQueryVariables>;
export const NotificationPolicyDocument = /*#__PURE__*/ new TypedDocumentString(`
    query NotificationPolicy {
  notificationPolicy {
    document
    version
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<NotificationPolicyQuery, NotificationPolicyQueryVariables>;
export const UpdateNotificationPolicyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateNotificationPolicy($document: JSON!) {
  updateNotificationPolicy(document: $document) {
    document
    version
  }
}
    `) as unknown as TypedDocumentString<UpdateNotificationPolicyMutation, UpdateNotificationPolicyMutationVariables>;
export const RouteTestDocument = /*#__PURE__*/ new TypedDocumentString(`
    query RouteTest($labels: JSON!) {
  routeTest(labels: $labels) {
    id
    receiver
    matchers
    groupBy
    channelIds
    escalationPolicyId
  }
}
    `) as unknown as TypedDocumentString<RouteTestQuery, RouteTestQueryVariables>;
export const MaintenanceWindowsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query MaintenanceWindows {
  maintenanceWindows {
    ...MaintenanceWindowFields
  }
}
    fragment MaintenanceWindowFields on MaintenanceWindow {
  id
  name
  matchersText
  enabled
  schedule
  activeNow
  activeUntil
}`) as unknown as TypedDocumentString<MaintenanceWindowsQuery, MaintenanceWindowsQueryVariables>;
export const CreateMaintenanceWindowDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateMaintenanceWindow($input: MaintenanceWindowInput!) {
  createMaintenanceWindow(input: $input) {
    ...MaintenanceWindowFields
  }
}
    fragment MaintenanceWindowFields on MaintenanceWindow {
  id
  name
  matchersText
  enabled
  schedule
  activeNow
  activeUntil
}`) as unknown as TypedDocumentString<CreateMaintenanceWindowMutation, CreateMaintenanceWindowMutationVariables>;
export const UpdateMaintenanceWindowDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateMaintenanceWindow($id: ID!, $input: MaintenanceWindowInput!) {
  updateMaintenanceWindow(id: $id, input: $input) {
    ...MaintenanceWindowFields
  }
}
    fragment MaintenanceWindowFields on MaintenanceWindow {
  id
  name
  matchersText
  enabled
  schedule
  activeNow
  activeUntil
}`) as unknown as TypedDocumentString<UpdateMaintenanceWindowMutation, UpdateMaintenanceWindowMutationVariables>;
export const DeleteMaintenanceWindowDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteMaintenanceWindow($id: ID!) {
  deleteMaintenanceWindow(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteMaintenanceWindowMutation, DeleteMaintenanceWindowMutationVariables>;
export const SchedulesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Schedules {
  schedules {
    ...ScheduleFields
  }
}
    fragment ScheduleFields on Schedule {
  id
  name
  timeZone
  layers
}`) as unknown as TypedDocumentString<SchedulesQuery, SchedulesQueryVariables>;
export const OnCallDocument = /*#__PURE__*/ new TypedDocumentString(`
    query OnCall($scheduleId: ID!) {
  onCall(scheduleId: $scheduleId) {
    now {
      ...ScheduleSlotFields
    }
    next {
      ...ScheduleSlotFields
    }
  }
}
    fragment ScheduleSlotFields on ScheduleSlot {
  userId
  start
  end
  source
  layer
}`) as unknown as TypedDocumentString<OnCallQuery, OnCallQueryVariables>;
export const OncallOverviewDocument = /*#__PURE__*/ new TypedDocumentString(`
    query OncallOverview {
  schedules {
    ...ScheduleFields
  }
  escalationPolicies {
    ...EscalationPolicyFields
  }
  myContactMethods {
    ...ContactMethodFields
  }
  members {
    ...MemberFields
  }
  channels {
    id
    name
  }
}
    fragment ScheduleFields on Schedule {
  id
  name
  timeZone
  layers
}
fragment EscalationPolicyFields on EscalationPolicy {
  id
  name
  repeatCount
  levels
}
fragment ContactMethodFields on ContactMethod {
  id
  kind
  address
  verifiedAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MemberFields on Member {
  role
  joinedAt
  user {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<OncallOverviewQuery, OncallOverviewQueryVariables>;
export const FinalScheduleDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FinalSchedule($scheduleId: ID!, $from: DateTime!, $to: DateTime!) {
  finalSchedule(scheduleId: $scheduleId, from: $from, to: $to) {
    ...ScheduleSlotFields
  }
  scheduleLayerShifts(scheduleId: $scheduleId, from: $from, to: $to) {
    ...ScheduleSlotFields
  }
  scheduleOverrides(scheduleId: $scheduleId) {
    id
    userId
    startsAt
    endsAt
  }
}
    fragment ScheduleSlotFields on ScheduleSlot {
  userId
  start
  end
  source
  layer
}`) as unknown as TypedDocumentString<FinalScheduleQuery, FinalScheduleQueryVariables>;
export const CreateScheduleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateSchedule($input: ScheduleInput!) {
  createSchedule(input: $input) {
    ...ScheduleFields
  }
}
    fragment ScheduleFields on Schedule {
  id
  name
  timeZone
  layers
}`) as unknown as TypedDocumentString<CreateScheduleMutation, CreateScheduleMutationVariables>;
export const UpdateScheduleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateSchedule($id: ID!, $input: ScheduleInput!) {
  updateSchedule(id: $id, input: $input) {
    ...ScheduleFields
  }
}
    fragment ScheduleFields on Schedule {
  id
  name
  timeZone
  layers
}`) as unknown as TypedDocumentString<UpdateScheduleMutation, UpdateScheduleMutationVariables>;
export const DeleteScheduleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteSchedule($id: ID!) {
  deleteSchedule(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteScheduleMutation, DeleteScheduleMutationVariables>;
export const AddScheduleOverrideDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AddScheduleOverride($scheduleId: ID!, $userId: ID!, $start: DateTime!, $end: DateTime!) {
  addScheduleOverride(
    scheduleId: $scheduleId
    userId: $userId
    start: $start
    end: $end
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<AddScheduleOverrideMutation, AddScheduleOverrideMutationVariables>;
export const RemoveScheduleOverrideDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RemoveScheduleOverride($id: ID!) {
  removeScheduleOverride(id: $id)
}
    `) as unknown as TypedDocumentString<RemoveScheduleOverrideMutation, RemoveScheduleOverrideMutationVariables>;
export const CreateEscalationPolicyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateEscalationPolicy($input: EscalationPolicyInput!) {
  createEscalationPolicy(input: $input) {
    ...EscalationPolicyFields
  }
}
    fragment EscalationPolicyFields on EscalationPolicy {
  id
  name
  repeatCount
  levels
}`) as unknown as TypedDocumentString<CreateEscalationPolicyMutation, CreateEscalationPolicyMutationVariables>;
export const UpdateEscalationPolicyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateEscalationPolicy($id: ID!, $input: EscalationPolicyInput!) {
  updateEscalationPolicy(id: $id, input: $input) {
    ...EscalationPolicyFields
  }
}
    fragment EscalationPolicyFields on EscalationPolicy {
  id
  name
  repeatCount
  levels
}`) as unknown as TypedDocumentString<UpdateEscalationPolicyMutation, UpdateEscalationPolicyMutationVariables>;
export const DeleteEscalationPolicyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteEscalationPolicy($id: ID!) {
  deleteEscalationPolicy(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteEscalationPolicyMutation, DeleteEscalationPolicyMutationVariables>;
export const AddContactMethodDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AddContactMethod($kind: String!, $address: String!) {
  addContactMethod(kind: $kind, address: $address) {
    ...ContactMethodFields
  }
}
    fragment ContactMethodFields on ContactMethod {
  id
  kind
  address
  verifiedAt
}`) as unknown as TypedDocumentString<AddContactMethodMutation, AddContactMethodMutationVariables>;
export const VerifyContactMethodDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation VerifyContactMethod($id: ID!, $code: String!) {
  verifyContactMethod(id: $id, code: $code) {
    ...ContactMethodFields
  }
}
    fragment ContactMethodFields on ContactMethod {
  id
  kind
  address
  verifiedAt
}`) as unknown as TypedDocumentString<VerifyContactMethodMutation, VerifyContactMethodMutationVariables>;
export const RemoveContactMethodDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RemoveContactMethod($id: ID!) {
  removeContactMethod(id: $id)
}
    `) as unknown as TypedDocumentString<RemoveContactMethodMutation, RemoveContactMethodMutationVariables>;
export const OncallAnalyticsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query OncallAnalytics($from: DateTime!, $to: DateTime!, $timeZone: String) {
  oncallStatsByUser(from: $from, to: $to) {
    key
    name
    pages
    nightPages
    incidents
    acknowledged
    meanSecondsToAck
  }
  noisiestIncidentSources(from: $from, to: $to, limit: 10) {
    source
    incidents
    ackedQuickly
    ignored
    meanSecondsToAck
  }
  oncallResponseSummary(from: $from, to: $to, timeZone: $timeZone) {
    incidents
    acknowledged
    secondsToAckP50
    secondsToAckP90
    secondsToResolveP50
    incidentsByHour
    outOfHoursIncidents
  }
}
    `) as unknown as TypedDocumentString<OncallAnalyticsQuery, OncallAnalyticsQueryVariables>;
export const MyNotificationRulesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query MyNotificationRules {
  high: myNotificationRules(urgency: high) {
    ruleId
    contactMethodId
    kind
    address
    delaySeconds
  }
  low: myNotificationRules(urgency: low) {
    ruleId
    contactMethodId
    kind
    address
    delaySeconds
  }
}
    `) as unknown as TypedDocumentString<MyNotificationRulesQuery, MyNotificationRulesQueryVariables>;
export const MyQuietHoursDocument = /*#__PURE__*/ new TypedDocumentString(`
    query MyQuietHours {
  myQuietHours {
    ...QuietHoursFields
  }
}
    fragment QuietHoursFields on QuietHours {
  quietHoursStart
  quietHoursEnd
  timeZone
}`) as unknown as TypedDocumentString<MyQuietHoursQuery, MyQuietHoursQueryVariables>;
export const SetQuietHoursDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation SetQuietHours($start: String, $end: String) {
  setQuietHours(start: $start, end: $end) {
    ...QuietHoursFields
  }
}
    fragment QuietHoursFields on QuietHours {
  quietHoursStart
  quietHoursEnd
  timeZone
}`) as unknown as TypedDocumentString<SetQuietHoursMutation, SetQuietHoursMutationVariables>;
export const SetNotificationRulesDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation SetNotificationRules($urgency: Urgency!, $rules: [NotificationRuleInput!]!) {
  setNotificationRules(urgency: $urgency, rules: $rules) {
    ruleId
  }
}
    `) as unknown as TypedDocumentString<SetNotificationRulesMutation, SetNotificationRulesMutationVariables>;
export const ProbesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Probes {
  checks {
    ...CheckFields
  }
  heartbeats {
    ...HeartbeatFields
  }
  scrapeTargets {
    ...ScrapeTargetFields
  }
}
    fragment CheckFields on Check {
  id
  name
  kind
  target
  enabled
  intervalSeconds
  timeoutSeconds
  failureThreshold
  showOnStatusPage
  config
  status
  consecutiveFailures
  lastCheckedAt
  lastDurationSeconds
  lastStatusCode
  lastError
  certDaysLeft
  ruleId
}
fragment HeartbeatFields on Heartbeat {
  id
  name
  periodSeconds
  cron
  timezone
  graceSeconds
  status
  lastBeatAt
  dueBy
  ruleId
}
fragment ScrapeTargetFields on ScrapeTarget {
  id
  job
  address
  scheme
  metricsPath
  intervalSeconds
  timeoutSeconds
  enabled
  labels
  metricRelabelConfigs
  authKind
  health
  lastScrapeAt
  lastDurationSeconds
  lastSamples
  lastError
}`) as unknown as TypedDocumentString<ProbesQuery, ProbesQueryVariables>;
export const CreateCheckDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateCheck($input: CheckInput!, $alertWhenDown: Boolean) {
  createCheck(input: $input, alertWhenDown: $alertWhenDown) {
    ...CheckFields
  }
}
    fragment CheckFields on Check {
  id
  name
  kind
  target
  enabled
  intervalSeconds
  timeoutSeconds
  failureThreshold
  showOnStatusPage
  config
  status
  consecutiveFailures
  lastCheckedAt
  lastDurationSeconds
  lastStatusCode
  lastError
  certDaysLeft
  ruleId
}`) as unknown as TypedDocumentString<CreateCheckMutation, CreateCheckMutationVariables>;
export const UpdateCheckDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateCheck($id: ID!, $input: CheckInput!) {
  updateCheck(id: $id, input: $input) {
    ...CheckFields
  }
}
    fragment CheckFields on Check {
  id
  name
  kind
  target
  enabled
  intervalSeconds
  timeoutSeconds
  failureThreshold
  showOnStatusPage
  config
  status
  consecutiveFailures
  lastCheckedAt
  lastDurationSeconds
  lastStatusCode
  lastError
  certDaysLeft
  ruleId
}`) as unknown as TypedDocumentString<UpdateCheckMutation, UpdateCheckMutationVariables>;
export const RunCheckDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RunCheck($id: ID!) {
  runCheck(id: $id) {
    success
    error
    durationSeconds
    statusCode
    check {
      ...CheckFields
    }
  }
}
    fragment CheckFields on Check {
  id
  name
  kind
  target
  enabled
  intervalSeconds
  timeoutSeconds
  failureThreshold
  showOnStatusPage
  config
  status
  consecutiveFailures
  lastCheckedAt
  lastDurationSeconds
  lastStatusCode
  lastError
  certDaysLeft
  ruleId
}`) as unknown as TypedDocumentString<RunCheckMutation, RunCheckMutationVariables>;
export const DeleteCheckDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteCheck($id: ID!) {
  deleteCheck(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteCheckMutation, DeleteCheckMutationVariables>;
export const CreateHeartbeatDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateHeartbeat($input: HeartbeatInput!, $alertWhenMissed: Boolean) {
  createHeartbeat(input: $input, alertWhenMissed: $alertWhenMissed) {
    pushUrl
    heartbeat {
      ...HeartbeatFields
    }
  }
}
    fragment HeartbeatFields on Heartbeat {
  id
  name
  periodSeconds
  cron
  timezone
  graceSeconds
  status
  lastBeatAt
  dueBy
  ruleId
}`) as unknown as TypedDocumentString<CreateHeartbeatMutation, CreateHeartbeatMutationVariables>;
export const DeleteHeartbeatDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteHeartbeat($id: ID!) {
  deleteHeartbeat(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteHeartbeatMutation, DeleteHeartbeatMutationVariables>;
export const CreateScrapeTargetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateScrapeTarget($input: ScrapeTargetInput!) {
  createScrapeTarget(input: $input) {
    ...ScrapeTargetFields
  }
}
    fragment ScrapeTargetFields on ScrapeTarget {
  id
  job
  address
  scheme
  metricsPath
  intervalSeconds
  timeoutSeconds
  enabled
  labels
  metricRelabelConfigs
  authKind
  health
  lastScrapeAt
  lastDurationSeconds
  lastSamples
  lastError
}`) as unknown as TypedDocumentString<CreateScrapeTargetMutation, CreateScrapeTargetMutationVariables>;
export const UpdateScrapeTargetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateScrapeTarget($id: ID!, $input: ScrapeTargetInput!) {
  updateScrapeTarget(id: $id, input: $input) {
    ...ScrapeTargetFields
  }
}
    fragment ScrapeTargetFields on ScrapeTarget {
  id
  job
  address
  scheme
  metricsPath
  intervalSeconds
  timeoutSeconds
  enabled
  labels
  metricRelabelConfigs
  authKind
  health
  lastScrapeAt
  lastDurationSeconds
  lastSamples
  lastError
}`) as unknown as TypedDocumentString<UpdateScrapeTargetMutation, UpdateScrapeTargetMutationVariables>;
export const DeleteScrapeTargetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteScrapeTarget($id: ID!) {
  deleteScrapeTarget(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteScrapeTargetMutation, DeleteScrapeTargetMutationVariables>;
export const StatusIncidentsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query StatusIncidents {
  statusIncidents {
    ...StatusIncidentFields
  }
}
    fragment StatusIncidentFields on StatusIncident {
  id
  kind
  title
  status
  startsAt
  endsAt
  checkIds
  updates {
    id
    status
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<StatusIncidentsQuery, StatusIncidentsQueryVariables>;
export const CreateStatusIncidentDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateStatusIncident($input: StatusIncidentInput!) {
  createStatusIncident(input: $input) {
    ...StatusIncidentFields
  }
}
    fragment StatusIncidentFields on StatusIncident {
  id
  kind
  title
  status
  startsAt
  endsAt
  checkIds
  updates {
    id
    status
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<CreateStatusIncidentMutation, CreateStatusIncidentMutationVariables>;
export const AddStatusIncidentUpdateDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AddStatusIncidentUpdate($incidentId: ID!, $status: String!, $body: String!) {
  addStatusIncidentUpdate(incidentId: $incidentId, status: $status, body: $body) {
    ...StatusIncidentFields
  }
}
    fragment StatusIncidentFields on StatusIncident {
  id
  kind
  title
  status
  startsAt
  endsAt
  checkIds
  updates {
    id
    status
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<AddStatusIncidentUpdateMutation, AddStatusIncidentUpdateMutationVariables>;
export const RuleGroupsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query RuleGroups {
  ruleGroups {
    id
    name
    interval
    lastEvalAt
    lastError
    rules {
      ...RuleFields
    }
  }
}
    fragment RuleFields on Rule {
  id
  groupId
  name
  kind
  expr
  recoveryExpr
  condition
  for
  keepFiringFor
  enabled
  noDataState
  errorState
  flap {
    enabled
    maxChanges
    window
    hold
  }
  labels
  annotations
  lastError
  updatedAt
}`) as unknown as TypedDocumentString<RuleGroupsQuery, RuleGroupsQueryVariables>;
export const RuleDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Rule($id: ID!) {
  rule(id: $id) {
    ...RuleFields
  }
}
    fragment RuleFields on Rule {
  id
  groupId
  name
  kind
  expr
  recoveryExpr
  condition
  for
  keepFiringFor
  enabled
  noDataState
  errorState
  flap {
    enabled
    maxChanges
    window
    hold
  }
  labels
  annotations
  lastError
  updatedAt
}`) as unknown as TypedDocumentString<RuleQuery, RuleQueryVariables>;
export const CreateRuleGroupDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateRuleGroup($input: CreateRuleGroupInput!) {
  createRuleGroup(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateRuleGroupMutation, CreateRuleGroupMutationVariables>;
export const CreateRuleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateRule($input: CreateRuleInput!) {
  createRule(input: $input) {
    ...RuleFields
  }
}
    fragment RuleFields on Rule {
  id
  groupId
  name
  kind
  expr
  recoveryExpr
  condition
  for
  keepFiringFor
  enabled
  noDataState
  errorState
  flap {
    enabled
    maxChanges
    window
    hold
  }
  labels
  annotations
  lastError
  updatedAt
}`) as unknown as TypedDocumentString<CreateRuleMutation, CreateRuleMutationVariables>;
export const UpdateRuleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateRule($id: ID!, $input: RuleInput!) {
  updateRule(id: $id, input: $input) {
    ...RuleFields
  }
}
    fragment RuleFields on Rule {
  id
  groupId
  name
  kind
  expr
  recoveryExpr
  condition
  for
  keepFiringFor
  enabled
  noDataState
  errorState
  flap {
    enabled
    maxChanges
    window
    hold
  }
  labels
  annotations
  lastError
  updatedAt
}`) as unknown as TypedDocumentString<UpdateRuleMutation, UpdateRuleMutationVariables>;
export const DeleteRuleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DeleteRule($id: ID!) {
  deleteRule(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteRuleMutation, DeleteRuleMutationVariables>;
export const CompileConditionDocument = /*#__PURE__*/ new TypedDocumentString(`
    query CompileCondition($condition: JSON!) {
  compileCondition(condition: $condition) {
    expr
    recoveryExpr
    for
  }
}
    `) as unknown as TypedDocumentString<CompileConditionQuery, CompileConditionQueryVariables>;
export const BacktestRuleDocument = /*#__PURE__*/ new TypedDocumentString(`
    query BacktestRule($rule: RuleInput!, $from: DateTime!, $to: DateTime!, $step: String) {
  backtestRule(rule: $rule, from: $from, to: $to, step: $step) {
    steps
    transitions
    notifications
    series {
      fingerprint
      labels
      intervals {
        from
        to
        state
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BacktestRuleQuery, BacktestRuleQueryVariables>;
export const MeDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Me {
  me {
    ...MeFields
  }
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignUpDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    me {
      ...MeFields
    }
  }
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LogInDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    me {
      ...MeFields
    }
  }
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}`) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const LogOutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation LogOut {
  logOut
}
    `) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const SwitchOrganizationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation SwitchOrganization($organizationId: ID!) {
  switchOrganization(organizationId: $organizationId) {
    ...MeFields
  }
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}`) as unknown as TypedDocumentString<SwitchOrganizationMutation, SwitchOrganizationMutationVariables>;
export const MembersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Members {
  members {
    ...MemberFields
  }
}
    fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MemberFields on Member {
  role
  joinedAt
  user {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const InvitationsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Invitations {
  invitations {
    ...InvitationFields
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  createdAt
  acceptedAt
}`) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteMemberDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    url
    invitation {
      ...InvitationFields
    }
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  createdAt
  acceptedAt
}`) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RevokeInvitationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RevokeInvitation($id: ID!) {
  revokeInvitation(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const ChangeMemberRoleDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ChangeMemberRole($userId: ID!, $role: Role!) {
  changeMemberRole(userId: $userId, role: $role) {
    ...MemberFields
  }
}
    fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MemberFields on Member {
  role
  joinedAt
  user {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<ChangeMemberRoleMutation, ChangeMemberRoleMutationVariables>;
export const RemoveMemberDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RemoveMember($userId: ID!) {
  removeMember(userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const InvitationPreviewDocument = /*#__PURE__*/ new TypedDocumentString(`
    query InvitationPreview($token: String!) {
  invitationPreview(token: $token) {
    organizationName
    email
    role
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InvitationPreviewQuery, InvitationPreviewQueryVariables>;
export const AcceptInvitationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
    me {
      ...MeFields
    }
  }
}
    fragment OrganizationFields on OrganizationObject {
  id
  slug
  name
  createdAt
}
fragment UserFields on UserObject {
  id
  email
  name
  timeZone
}
fragment MeFields on Me {
  user {
    ...UserFields
  }
  organizations {
    role
    organization {
      ...OrganizationFields
    }
  }
  currentOrganization {
    ...OrganizationFields
  }
  role
}`) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const ApiKeysDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const AuditLogDocument = /*#__PURE__*/ new TypedDocumentString(`
    query AuditLog($first: Int, $after: String, $action: String) {
  auditLog(first: $first, after: $after, action: $action) {
    nodes {
      id
      action
      apiKeyId
      targetType
      targetId
      details
      createdAt
      actor {
        id
        email
        name
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const OrganizationLimitsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query OrganizationLimits {
  organizationLimits {
    ...LimitsFields
  }
}
    fragment LimitsFields on OrganizationLimits {
  ingestionRate
  ingestionBurst
  maxActiveSeries
  maxSeriesPerMetric
  ingestMaxBodyBytes
  ingestMaxDecompressedBytes
  retentionRawDays
  retention1mDays
  retention1hDays
  alertLogRetentionDays
  queryTimeoutSeconds
  queryMaxSamples
}`) as unknown as TypedDocumentString<OrganizationLimitsQuery, OrganizationLimitsQueryVariables>;
export const UpdateOrganizationLimitsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UpdateOrganizationLimits($input: UpdateOrganizationLimitsInput!) {
  updateOrganizationLimits(input: $input) {
    ...LimitsFields
  }
}
    fragment LimitsFields on OrganizationLimits {
  ingestionRate
  ingestionBurst
  maxActiveSeries
  maxSeriesPerMetric
  ingestMaxBodyBytes
  ingestMaxDecompressedBytes
  retentionRawDays
  retention1mDays
  retention1hDays
  alertLogRetentionDays
  queryTimeoutSeconds
  queryMaxSamples
}`) as unknown as TypedDocumentString<UpdateOrganizationLimitsMutation, UpdateOrganizationLimitsMutationVariables>;