// Every GraphQL operation the web app sends, with its result and variable types written by hand
// against the api's schema. GraphQL codegen will replace the hand-written types later; until
// then, keep each type next to its document so a schema change is one edit here.

/** A GraphQL document tagged with the types of its result and its variables. */
export type Operation<TData, TVariables> = string & {
  readonly __data?: TData;
  readonly __variables?: TVariables;
};

type NoVariables = Record<string, never>;

function operation<TData, TVariables = NoVariables>(
  document: string,
): Operation<TData, TVariables> {
  return document as Operation<TData, TVariables>;
}

// ---- Scalars and enums ------------------------------------------------------------------

/** ISO-8601 timestamp, as the api's DateTime scalar serialises it. */
export type DateTime = string;
export type Json = unknown;

export const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'RESPONDER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ['INGEST', 'READ', 'WRITE', 'ADMIN'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

// ---- Object types -----------------------------------------------------------------------

export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
}

export interface Organization {
  id: string;
  slug: string;
  name: string;
  createdAt: DateTime;
}

export interface OrganizationMembership {
  organization: Organization;
  role: Role;
}

export interface Me {
  user: User;
  organizations: OrganizationMembership[];
  currentOrganization: Organization | null;
  role: Role | null;
}

export interface AuthPayload {
  me: Me;
}

export interface Member {
  user: User;
  role: Role;
  joinedAt: DateTime;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: DateTime;
  createdAt: DateTime;
  acceptedAt: DateTime | null;
}

export interface InvitationLink {
  invitation: Invitation;
  url: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  expiresAt: DateTime;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: DateTime;
  lastUsedAt: DateTime | null;
  expiresAt: DateTime | null;
  revokedAt: DateTime | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

export interface AuditLogEntry {
  id: string;
  action: string;
  actor: Pick<User, 'id' | 'email' | 'name'> | null;
  apiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Json;
  createdAt: DateTime;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

// ---- Fragments --------------------------------------------------------------------------

const ORGANIZATION_FIELDS = 'id slug name createdAt';
const USER_FIELDS = 'id email name timeZone';
const ME_FIELDS = `
  user { ${USER_FIELDS} }
  organizations { role organization { ${ORGANIZATION_FIELDS} } }
  currentOrganization { ${ORGANIZATION_FIELDS} }
  role
`;
const INVITATION_FIELDS = 'id email role expiresAt createdAt acceptedAt';
const API_KEY_FIELDS = 'id name prefix scopes createdAt lastUsedAt expiresAt revokedAt';

// ---- Session ----------------------------------------------------------------------------

export const ME_QUERY = operation<{ me: Me }>(`query Me { me { ${ME_FIELDS} } }`);

// The AuthPayload's token is for API clients without cookies; the browser relies on the
// httpOnly cookie the api sets, so the web app never asks for the token.
export const SIGN_UP = operation<
  { signUp: AuthPayload },
  { input: { email: string; password: string; name: string; organizationName: string } }
>(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { me { ${ME_FIELDS} } } }`);

export const LOG_IN = operation<
  { logIn: AuthPayload },
  { input: { email: string; password: string } }
>(`mutation LogIn($input: LogInInput!) { logIn(input: $input) { me { ${ME_FIELDS} } } }`);

export const LOG_OUT = operation<{ logOut: boolean }>(`mutation LogOut { logOut }`);

export const SWITCH_ORGANIZATION = operation<
  { switchOrganization: Me },
  { organizationId: string }
>(
  `mutation SwitchOrganization($organizationId: ID!) {
    switchOrganization(organizationId: $organizationId) { ${ME_FIELDS} }
  }`,
);

// ---- Members and invitations ------------------------------------------------------------

export const MEMBERS_QUERY = operation<{ members: Member[] }>(
  `query Members { members { role joinedAt user { ${USER_FIELDS} } } }`,
);

export const INVITATIONS_QUERY = operation<{ invitations: Invitation[] }>(
  `query Invitations { invitations { ${INVITATION_FIELDS} } }`,
);

export const INVITE_MEMBER = operation<
  { inviteMember: InvitationLink },
  { input: { email: string; role: Role } }
>(
  `mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) { url invitation { ${INVITATION_FIELDS} } }
  }`,
);

export const REVOKE_INVITATION = operation<{ revokeInvitation: boolean }, { id: string }>(
  `mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }`,
);

export const CHANGE_MEMBER_ROLE = operation<
  { changeMemberRole: Member },
  { userId: string; role: Role }
>(
  `mutation ChangeMemberRole($userId: ID!, $role: Role!) {
    changeMemberRole(userId: $userId, role: $role) { role joinedAt user { ${USER_FIELDS} } }
  }`,
);

export const REMOVE_MEMBER = operation<{ removeMember: boolean }, { userId: string }>(
  `mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }`,
);

export const INVITATION_PREVIEW_QUERY = operation<
  { invitationPreview: InvitationPreview },
  { token: string }
>(
  `query InvitationPreview($token: String!) {
    invitationPreview(token: $token) { organizationName email role expiresAt }
  }`,
);

export const ACCEPT_INVITATION = operation<
  { acceptInvitation: AuthPayload },
  { input: { token: string; name?: string; password?: string } }
>(
  `mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { me { ${ME_FIELDS} } }
  }`,
);

// ---- API keys ---------------------------------------------------------------------------

export const API_KEYS_QUERY = operation<{ apiKeys: ApiKey[] }>(
  `query ApiKeys { apiKeys { ${API_KEY_FIELDS} } }`,
);

export const CREATE_API_KEY = operation<
  { createApiKey: CreatedApiKey },
  { input: { name: string; scopes: ApiKeyScope[]; expiresAt?: DateTime | null } }
>(
  `mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
  }`,
);

export const REVOKE_API_KEY = operation<{ revokeApiKey: ApiKey }, { id: string }>(
  `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }`,
);

// ---- Audit log --------------------------------------------------------------------------

export const AUDIT_LOG_QUERY = operation<
  { auditLog: { nodes: AuditLogEntry[]; pageInfo: PageInfo } },
  { first?: number; after?: string | null; action?: string | null }
>(
  `query AuditLog($first: Int, $after: String, $action: String) {
    auditLog(first: $first, after: $after, action: $action) {
      nodes {
        id action apiKeyId targetType targetId details createdAt
        actor { id email name }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`,
);

// ---- Metrics (PromQL) -------------------------------------------------------------------

/** Unix milliseconds; the api's RangeInput. */
export interface TimeRange {
  start: number;
  end: number;
  step?: number;
}

export interface ChartSeries {
  labels: Record<string, string>;
  timestamps: number[];
  values: Array<number | null>;
}

export interface ChartData {
  resultType: string;
  series: ChartSeries[];
}

const CHART_FIELDS = 'resultType series { labels timestamps values }';

export const QUERY_RANGE = operation<
  { queryRange: ChartData },
  { query: string; range: TimeRange }
>(
  `query QueryRange($query: String!, $range: RangeInput!) {
    queryRange(query: $query, range: $range) { ${CHART_FIELDS} }
  }`,
);

export const QUERY_INSTANT = operation<{ queryInstant: ChartData }, { query: string }>(
  `query QueryInstant($query: String!) { queryInstant(query: $query) { ${CHART_FIELDS} } }`,
);

export const METRIC_NAMES = operation<{ metricNames: string[] }, { search?: string | null }>(
  `query MetricNames($search: String) { metricNames(search: $search) }`,
);

export const LABEL_NAMES = operation<{ labelNames: string[] }, { match?: string[] | null }>(
  `query LabelNames($match: [String!]) { labelNames(match: $match) }`,
);

export const LABEL_VALUES = operation<
  { labelValues: string[] },
  { name: string; match?: string[] | null }
>(
  `query LabelValues($name: String!, $match: [String!]) { labelValues(name: $name, match: $match) }`,
);

export interface MetricSeriesCount {
  metric: string;
  series: number;
}

export interface IngestUsage {
  activeSeries: number;
  maxActiveSeries: number;
  ingestionRate: number;
  ingestionRateLimit: number;
  ingestionBurst: number;
  maxSeriesPerMetric: number | null;
  lastHour: Array<{ minuteStart: number; samples: number }>;
  topMetrics: MetricSeriesCount[];
}

export const USAGE_QUERY = operation<{ usage: IngestUsage }>(
  `query Usage {
    usage {
      activeSeries maxActiveSeries ingestionRate ingestionRateLimit ingestionBurst
      maxSeriesPerMetric lastHour { minuteStart samples } topMetrics { metric series }
    }
  }`,
);

// ---- Alerts -----------------------------------------------------------------------------

export const ALERT_STATES = ['PENDING', 'FIRING', 'RESOLVED', 'INACTIVE'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertHistoryEntry {
  id: string;
  at: DateTime;
  from: AlertState;
  to: AlertState;
  value: number | null;
  flapping: boolean;
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  fingerprint: string;
  state: AlertState;
  severity: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  activeSince: DateTime | null;
  firedAt: DateTime | null;
  resolvedAt: DateTime | null;
  lastEval: DateTime;
  lastValue: number | null;
  flapping: boolean;
}

export interface AlertWithHistory extends Alert {
  history: AlertHistoryEntry[];
}

export interface AlertExplanation {
  alertId: string;
  summary: string;
  source: string;
  state: string;
  decisions: Array<{ at: string; kind: string; detail: unknown }>;
  deliveries: Array<Record<string, unknown>>;
  evaluations: Array<{ at: string; from: string; to: string; value: number | null }>;
  groups: Array<Record<string, unknown>>;
}

export interface AlertTransition {
  alertId: string;
  ruleId: string;
  ruleName: string;
  from: AlertState;
  to: AlertState;
  at: DateTime;
  severity: string | null;
  labels: Record<string, string>;
}

const ALERT_FIELDS = `id ruleId ruleName fingerprint state severity labels annotations activeSince
  firedAt resolvedAt lastEval lastValue flapping`;

export interface AlertFilter {
  states?: AlertState[];
  severities?: string[];
  labels?: Record<string, string>;
  ruleId?: string;
  limit?: number;
}

export const ALERTS_QUERY = operation<{ alerts: Alert[] }, { filter?: AlertFilter | null }>(
  `query Alerts($filter: AlertFilterInput) { alerts(filter: $filter) { ${ALERT_FIELDS} } }`,
);

export const ALERT_QUERY = operation<
  { alert: AlertWithHistory; explainAlert: AlertExplanation },
  { id: string }
>(
  `query Alert($id: ID!) {
    alert(id: $id) { ${ALERT_FIELDS} history { id at from to value flapping } }
    explainAlert(alertId: $id) { alertId summary source state decisions deliveries evaluations groups }
  }`,
);

export const FIRING_ALERTS_SUBSCRIPTION = operation<{ firingAlerts: Alert[] }>(
  `subscription FiringAlerts { firingAlerts { ${ALERT_FIELDS} } }`,
);

// `at` is left out: over the Redis hop it arrives as a string and the api's DateTime scalar
// refuses to serialise it (reported to libs/alerting); the list reads times from the query.
export const ALERT_TRANSITIONS_SUBSCRIPTION = operation<{
  alertTransitions: Omit<AlertTransition, 'at'>;
}>(
  `subscription AlertTransitions {
    alertTransitions { alertId ruleId ruleName from to severity labels }
  }`,
);

// ---- Silences ---------------------------------------------------------------------------

export interface Silence {
  id: string;
  matchersText: string;
  comment: string;
  startsAt: DateTime;
  endsAt: DateTime;
  state: 'active' | 'expired' | 'pending';
  createdAt: DateTime;
}

const SILENCE_FIELDS = 'id matchersText comment startsAt endsAt state createdAt';

export const SILENCES_QUERY = operation<{ silences: Silence[] }>(
  `query Silences { silences { ${SILENCE_FIELDS} } }`,
);

export const CREATE_SILENCE = operation<
  { createSilence: Silence },
  { input: { matchers: string; endsAt: DateTime; startsAt?: DateTime | null; comment?: string } }
>(
  `mutation CreateSilence($input: SilenceInput!) { createSilence(input: $input) { ${SILENCE_FIELDS} } }`,
);

export const EXPIRE_SILENCE = operation<{ expireSilence: Silence }, { id: string }>(
  `mutation ExpireSilence($id: ID!) { expireSilence(id: $id) { ${SILENCE_FIELDS} } }`,
);

// ---- Incidents --------------------------------------------------------------------------

export const INCIDENT_STATUSES = ['TRIGGERED', 'ACKNOWLEDGED', 'RESOLVED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentEvent {
  id: string;
  kind: string;
  actorUserId: string | null;
  details: unknown;
  createdAt: DateTime;
}

export interface Incident {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  urgency: 'high' | 'low';
  source: string;
  assignedUserIds: string[];
  acknowledgedAt: DateTime | null;
  acknowledgedById: string | null;
  resolvedAt: DateTime | null;
  createdAt: DateTime;
  updatedAt: DateTime;
}

export interface IncidentWithTimeline extends Incident {
  timeline: IncidentEvent[];
}

const INCIDENT_FIELDS = `id number title status urgency source assignedUserIds acknowledgedAt
  acknowledgedById resolvedAt createdAt updatedAt`;
const INCIDENT_DETAIL_FIELDS = `${INCIDENT_FIELDS} timeline { id kind actorUserId details createdAt }`;

export const INCIDENTS_QUERY = operation<
  { incidents: Incident[] },
  { status?: IncidentStatus | null; first?: number }
>(
  `query Incidents($status: IncidentStatus, $first: Int! = 50) {
    incidents(status: $status, first: $first) { ${INCIDENT_FIELDS} }
  }`,
);

export const INCIDENT_QUERY = operation<{ incident: IncidentWithTimeline }, { id: string }>(
  `query Incident($id: ID!) { incident(id: $id) { ${INCIDENT_DETAIL_FIELDS} } }`,
);

// Without the timeline: pages that show it read it again, through the query and its checks.
export const INCIDENT_UPDATED_SUBSCRIPTION = operation<{ incidentUpdated: Incident }>(
  `subscription IncidentUpdated { incidentUpdated { ${INCIDENT_FIELDS} } }`,
);

export const ACKNOWLEDGE_INCIDENT = operation<
  { acknowledgeIncident: IncidentWithTimeline },
  { id: string }
>(
  `mutation AcknowledgeIncident($id: ID!) { acknowledgeIncident(id: $id) { ${INCIDENT_DETAIL_FIELDS} } }`,
);

export const RESOLVE_INCIDENT = operation<
  { resolveIncident: IncidentWithTimeline },
  { id: string }
>(`mutation ResolveIncident($id: ID!) { resolveIncident(id: $id) { ${INCIDENT_DETAIL_FIELDS} } }`);

export const REASSIGN_INCIDENT = operation<
  { reassignIncident: IncidentWithTimeline },
  { id: string; userIds: string[] }
>(
  `mutation ReassignIncident($id: ID!, $userIds: [ID!]!) {
    reassignIncident(id: $id, userIds: $userIds) { ${INCIDENT_DETAIL_FIELDS} }
  }`,
);

export const ADD_INCIDENT_NOTE = operation<
  { addIncidentNote: IncidentWithTimeline },
  { id: string; text: string }
>(
  `mutation AddIncidentNote($id: ID!, $text: String!) {
    addIncidentNote(id: $id, text: $text) { ${INCIDENT_DETAIL_FIELDS} }
  }`,
);

// ---- On call ----------------------------------------------------------------------------

export interface ScheduleSlot {
  userId: string;
  start: DateTime;
  end: DateTime;
  source: string;
}

export interface ScheduleSummary {
  id: string;
  name: string;
  timeZone: string;
}

export const SCHEDULES_QUERY = operation<{ schedules: ScheduleSummary[] }>(
  `query Schedules { schedules { id name timeZone } }`,
);

export const ON_CALL_QUERY = operation<
  { onCall: { now: ScheduleSlot | null; next: ScheduleSlot | null } },
  { scheduleId: string }
>(
  `query OnCall($scheduleId: ID!) {
    onCall(scheduleId: $scheduleId) { now { userId start end source } next { userId start end source } }
  }`,
);

// ---- Rules ------------------------------------------------------------------------------

export type NoDataState = 'ALERTING' | 'OK' | 'KEEP_LAST';

export interface Rule {
  id: string;
  groupId: string;
  name: string;
  kind: 'ALERTING' | 'RECORDING';
  expr: string;
  recoveryExpr: string | null;
  condition: unknown;
  for: string;
  keepFiringFor: string;
  enabled: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  lastError: string | null;
  updatedAt: DateTime;
}

export interface RuleGroup {
  id: string;
  name: string;
  interval: string;
  lastEvalAt: DateTime | null;
  lastError: string | null;
  rules: Rule[];
}

const RULE_FIELDS = `id groupId name kind expr recoveryExpr condition for keepFiringFor enabled
  labels annotations lastError updatedAt`;

export const RULE_GROUPS_QUERY = operation<{ ruleGroups: RuleGroup[] }>(
  `query RuleGroups { ruleGroups { id name interval lastEvalAt lastError rules { ${RULE_FIELDS} } } }`,
);

export const CREATE_RULE_GROUP = operation<
  { createRuleGroup: { id: string; name: string } },
  { input: { name: string; interval: string } }
>(
  `mutation CreateRuleGroup($input: CreateRuleGroupInput!) { createRuleGroup(input: $input) { id name } }`,
);

/** The rule fields shared by create, update and backtest. */
export interface RuleInput {
  kind: 'ALERTING' | 'RECORDING';
  name: string;
  expr?: string;
  condition?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const CREATE_RULE = operation<
  { createRule: Rule },
  { input: RuleInput & { groupId: string } }
>(`mutation CreateRule($input: CreateRuleInput!) { createRule(input: $input) { ${RULE_FIELDS} } }`);

export const DELETE_RULE = operation<{ deleteRule: boolean }, { id: string }>(
  `mutation DeleteRule($id: ID!) { deleteRule(id: $id) }`,
);

export const COMPILE_CONDITION = operation<
  { compileCondition: { expr: string; recoveryExpr: string | null; for: string | null } },
  { condition: unknown }
>(
  `query CompileCondition($condition: JSON!) {
    compileCondition(condition: $condition) { expr recoveryExpr for }
  }`,
);

export interface BacktestSeries {
  fingerprint: string;
  labels: Record<string, string>;
  intervals: Array<{ from: DateTime; to: DateTime | null; state: AlertState }>;
}

export interface BacktestResult {
  steps: number;
  transitions: number;
  notifications: number;
  series: BacktestSeries[];
}

export const BACKTEST_RULE = operation<
  { backtestRule: BacktestResult },
  { rule: RuleInput; from: DateTime; to: DateTime; step?: string }
>(
  `query BacktestRule($rule: RuleInput!, $from: DateTime!, $to: DateTime!, $step: String) {
    backtestRule(rule: $rule, from: $from, to: $to, step: $step) {
      steps transitions notifications
      series { fingerprint labels intervals { from to state } }
    }
  }`,
);

export const RULE_QUERY = operation<{ rule: Rule }, { id: string }>(
  `query Rule($id: ID!) { rule(id: $id) { ${RULE_FIELDS} } }`,
);

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

export interface Dashboard {
  id: string;
  title: string;
  definition: DashboardDefinition;
  createdAt: DateTime;
  updatedAt: DateTime;
}

const DASHBOARD_FIELDS = 'id title definition createdAt updatedAt';

export const DASHBOARDS_QUERY = operation<{ dashboards: Dashboard[] }>(
  `query Dashboards { dashboards { ${DASHBOARD_FIELDS} } }`,
);

export const DASHBOARD_QUERY = operation<{ dashboard: Dashboard }, { id: string }>(
  `query Dashboard($id: ID!) { dashboard(id: $id) { ${DASHBOARD_FIELDS} } }`,
);

export const CREATE_DASHBOARD = operation<
  { createDashboard: Dashboard },
  { title: string; definition?: DashboardDefinition }
>(
  `mutation CreateDashboard($title: String!, $definition: JSON) {
    createDashboard(title: $title, definition: $definition) { ${DASHBOARD_FIELDS} }
  }`,
);

export const UPDATE_DASHBOARD = operation<
  { updateDashboard: Dashboard },
  { id: string; title: string; definition: DashboardDefinition }
>(
  `mutation UpdateDashboard($id: ID!, $title: String!, $definition: JSON!) {
    updateDashboard(id: $id, title: $title, definition: $definition) { ${DASHBOARD_FIELDS} }
  }`,
);

export const DUPLICATE_DASHBOARD = operation<{ duplicateDashboard: Dashboard }, { id: string }>(
  `mutation DuplicateDashboard($id: ID!) { duplicateDashboard(id: $id) { ${DASHBOARD_FIELDS} } }`,
);

export const DELETE_DASHBOARD = operation<{ deleteDashboard: boolean }, { id: string }>(
  `mutation DeleteDashboard($id: ID!) { deleteDashboard(id: $id) }`,
);

export const IMPORT_GRAFANA_DASHBOARD = operation<
  { importGrafanaDashboard: { dashboard: Dashboard; skipped: string[] } },
  { json: unknown }
>(
  `mutation ImportGrafanaDashboard($json: JSON!) {
    importGrafanaDashboard(json: $json) { skipped dashboard { ${DASHBOARD_FIELDS} } }
  }`,
);

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

export interface ChannelKind {
  kind: string;
  label: string;
  secretFields: string[];
  configSchema: { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
}

export interface Channel {
  id: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  createdAt: DateTime;
}

export interface Delivery {
  id: string;
  kind: string;
  status: 'queued' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  summary: string | null;
  target: string | null;
  channel: { id: string; name: string } | null;
  createdAt: DateTime;
  deliveredAt: DateTime | null;
  latencyMs: number | null;
}

const DELIVERY_FIELDS = `id kind status attempts lastError summary target createdAt deliveredAt latencyMs
  channel { id name }`;

export const CHANNELS_QUERY = operation<{ channels: Channel[]; channelKinds: ChannelKind[] }>(
  `query Channels {
    channels { id name kind config createdAt }
    channelKinds { kind label secretFields configSchema }
  }`,
);

export const CREATE_CHANNEL = operation<
  { createChannel: Channel },
  { input: { name: string; kind: string; config: Record<string, unknown> } }
>(
  `mutation CreateChannel($input: CreateChannelInput!) {
    createChannel(input: $input) { id name kind config createdAt }
  }`,
);

export const DELETE_CHANNEL = operation<{ deleteChannel: boolean }, { id: string }>(
  `mutation DeleteChannel($id: ID!) { deleteChannel(id: $id) }`,
);

export const TEST_CHANNEL = operation<{ testChannel: Delivery }, { id: string }>(
  `mutation TestChannel($id: ID!) { testChannel(id: $id, waitMs: 5000) { ${DELIVERY_FIELDS} } }`,
);

export const DELIVERIES_QUERY = operation<
  { deliveries: { nodes: Delivery[]; pageInfo: PageInfo } },
  { first?: number; after?: string | null }
>(
  `query Deliveries($first: Int! = 50, $after: String) {
    deliveries(first: $first, after: $after) { nodes { ${DELIVERY_FIELDS} } pageInfo { hasNextPage endCursor } }
  }`,
);

export interface RouteMatch {
  id: string;
  receiver: string;
  matchers: string;
  groupBy: string[];
  channelIds: string[];
  escalationPolicyId: string | null;
}

export const NOTIFICATION_POLICY_QUERY = operation<{
  notificationPolicy: { document: unknown; version: number; updatedAt: DateTime | null };
}>(`query NotificationPolicy { notificationPolicy { document version updatedAt } }`);

export const UPDATE_NOTIFICATION_POLICY = operation<
  { updateNotificationPolicy: { document: unknown; version: number } },
  { document: unknown }
>(
  `mutation UpdateNotificationPolicy($document: JSON!) {
    updateNotificationPolicy(document: $document) { document version }
  }`,
);

export const ROUTE_TEST = operation<
  { routeTest: RouteMatch[] },
  { labels: Record<string, string> }
>(
  `query RouteTest($labels: JSON!) {
    routeTest(labels: $labels) { id receiver matchers groupBy channelIds escalationPolicyId }
  }`,
);

export interface MaintenanceWindow {
  id: string;
  name: string;
  matchersText: string;
  enabled: boolean;
  activeNow: boolean;
  activeUntil: DateTime | null;
}

export const MAINTENANCE_WINDOWS_QUERY = operation<{ maintenanceWindows: MaintenanceWindow[] }>(
  `query MaintenanceWindows { maintenanceWindows { id name matchersText enabled activeNow activeUntil } }`,
);

// ---- On-call configuration --------------------------------------------------------------

export interface EscalationPolicy {
  id: string;
  name: string;
  repeatCount: number;
  levels: Array<{ delaySeconds: number; targets: Array<{ type: string; id: string }> }>;
}

export interface ContactMethod {
  id: string;
  kind: string;
  address: string;
  verifiedAt: DateTime | null;
}

export const ONCALL_OVERVIEW_QUERY = operation<{
  schedules: ScheduleSummary[];
  escalationPolicies: EscalationPolicy[];
  myContactMethods: ContactMethod[];
  members: Member[];
}>(
  `query OncallOverview {
    schedules { id name timeZone }
    escalationPolicies { id name repeatCount levels }
    myContactMethods { id kind address verifiedAt }
    members { role joinedAt user { ${USER_FIELDS} } }
  }`,
);

export const FINAL_SCHEDULE = operation<
  { finalSchedule: ScheduleSlot[] },
  { scheduleId: string; from: DateTime; to: DateTime }
>(
  `query FinalSchedule($scheduleId: ID!, $from: DateTime!, $to: DateTime!) {
    finalSchedule(scheduleId: $scheduleId, from: $from, to: $to) { userId start end source }
  }`,
);

export const ADD_CONTACT_METHOD = operation<
  { addContactMethod: ContactMethod },
  { kind: string; address: string }
>(
  `mutation AddContactMethod($kind: String!, $address: String!) {
    addContactMethod(kind: $kind, address: $address) { id kind address verifiedAt }
  }`,
);

export const VERIFY_CONTACT_METHOD = operation<
  { verifyContactMethod: ContactMethod },
  { id: string; code: string }
>(
  `mutation VerifyContactMethod($id: ID!, $code: String!) {
    verifyContactMethod(id: $id, code: $code) { id kind address verifiedAt }
  }`,
);

export const REMOVE_CONTACT_METHOD = operation<{ removeContactMethod: boolean }, { id: string }>(
  `mutation RemoveContactMethod($id: ID!) { removeContactMethod(id: $id) }`,
);
