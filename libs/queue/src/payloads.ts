import type { OrgJob } from './queues';

/**
 * Job payloads that cross domain libraries. Alerting sits below notify and on-call in the
 * dependency order, so it hands work up by enqueueing these (queue names in queues.ts) rather
 * than by calling their services.
 */

/** One alert inside a notification, in Alertmanager's webhook shape. */
export interface AlertPayload {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO 8601. */
  startsAt: string;
  /** ISO 8601; "0001-01-01T00:00:00Z" while firing, as Alertmanager sends it. */
  endsAt: string;
  generatorURL: string;
  /** The evaluated value that made it fire, when known. */
  value?: number;
}

/** A notification for one alert group (Alertmanager's webhook "message"). */
export interface AlertGroupNotification {
  kind: 'alert-group';
  /** Stable id of the group: the route path plus the group_by label values. */
  groupKey: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertPayload[];
  /** How many alerts were left out of `alerts` for size. */
  truncatedAlerts: number;
}

/** Sent by the testChannel mutation. */
export interface TestNotification {
  kind: 'test';
  message: string;
}

export type ChannelNotification = AlertGroupNotification | TestNotification;

/**
 * Deliver one notification through one configured channel (queue `notify`). The idempotency key
 * is deterministic per (group, transition, channel): a retried or duplicated job with the same
 * key is delivered once, and the key travels to receivers that can dedupe on it.
 */
export interface NotifyJob extends OrgJob {
  channelId: string;
  idempotencyKey: string;
  notification: ChannelNotification;
  /** Where the request came from, for the delivery log and explainAlert. */
  source?: { ruleId?: string; alertFingerprint?: string; policyId?: string; incidentId?: string };
}

/**
 * Open, update or resolve the incident of an alert group on an escalation policy (queue
 * `oncall-escalate`). Repeats for the same group update the same open incident.
 */
export interface AlertGroupIncidentJob extends OrgJob {
  kind: 'alert-group-incident';
  escalationPolicyId: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  title: string;
  urgency: 'high' | 'low';
  alerts: AlertPayload[];
  idempotencyKey: string;
}
