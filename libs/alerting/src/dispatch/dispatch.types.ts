import type { AlertTransition } from '../alerts/alert-transition';

/** One alert entering dispatch: a rule's alert instance or an external alert. JSON-safe. */
export interface DispatchAlert {
  /** alert_instances.id or external_alerts.id */
  alertId: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  /** ISO 8601 */
  startsAt: string;
  /** ISO 8601; for a firing external alert, when it resolves unless refreshed. */
  endsAt: string | null;
  generatorURL: string;
  value: number | null;
  ruleId?: string;
  /** `rule` or the intake source (`alertmanager`, `webhook`). */
  source: string;
  /** Intake: the alert was already firing and is only re-posted (keeps endsAt fresh). */
  refresh?: boolean;
}

/** Flush job payload (queue alert-dispatch). */
export interface FlushJob {
  kind: 'flush';
  orgId: string;
  groupHash: string;
  /** The group's next_flush_at in epoch ms; a job whose slot is no longer current is stale. */
  slot: number;
}

/** Retry of a dispatch that failed inline (queue alert-dispatch). */
export interface DispatchJob {
  kind: 'dispatch';
  orgId: string;
  alerts: DispatchAlert[];
}

/** The hourly housekeeping of every organization (job scheduler, see AlertingHousekeeping). */
export interface HousekeepingJob {
  kind: 'housekeeping';
  orgId?: undefined;
}

export type AlertDispatchJob = FlushJob | DispatchJob | HousekeepingJob;

/** Only firing edges and the resolution of a firing alert notify; pending and flapping marks do not. */
export function alertsFromTransitions(transitions: readonly AlertTransition[]): DispatchAlert[] {
  const out: DispatchAlert[] = [];
  for (const t of transitions) {
    let status: 'firing' | 'resolved';
    if (t.to === 'firing' && t.from !== 'firing') status = 'firing';
    else if (t.from === 'firing' && (t.to === 'resolved' || t.to === 'inactive'))
      status = 'resolved';
    else continue;
    out.push({
      alertId: t.alertId,
      fingerprint: t.fingerprint,
      labels: t.labels,
      annotations: t.annotations,
      status,
      startsAt: t.firedAt ?? t.activeSince ?? t.at,
      endsAt: status === 'resolved' ? (t.resolvedAt ?? t.at) : null,
      generatorURL: '',
      value: t.value,
      ruleId: t.ruleId,
      source: 'rule',
    });
  }
  return out;
}
