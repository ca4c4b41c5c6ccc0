import { CronExpressionParser } from 'cron-parser';
import type { WriteSeries } from '@tocsin/tsdb';

export interface HeartbeatTiming {
  periodMs: number | null;
  cron: string | null;
  timezone: string;
  graceMs: number;
  /** The last beat, or when the heartbeat was created (the first beat is owed from then). */
  since: number;
}

/** When the next beat is owed, grace included: past this instant the heartbeat is missed. */
export function heartbeatDeadline(t: HeartbeatTiming): number {
  if (t.cron) {
    const next = CronExpressionParser.parse(t.cron, { currentDate: new Date(t.since), tz: t.timezone }).next().getTime();
    return next + t.graceMs;
  }
  return t.since + (t.periodMs ?? 0) + t.graceMs;
}

/** Throws a readable error for an expression cron-parser refuses. */
export function validateCron(cron: string, timezone: string): number {
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(0), tz: timezone });
  const a = it.next().getTime();
  return it.next().getTime() - a;
}

/**
 * How often to evaluate: twice per expected period (so a miss is seen within half a period),
 * between 1 s and 30 s.
 */
export function evaluationEveryMs(t: Pick<HeartbeatTiming, 'periodMs' | 'cron' | 'timezone'>): number {
  const period = t.cron ? validateCron(t.cron, t.timezone) : (t.periodMs ?? 60_000);
  return Math.max(1000, Math.min(30_000, Math.floor(period / 2)));
}

export function heartbeatSeries(hb: { id: string; name: string }, up: boolean, lastBeatAt: number | null, now: number): WriteSeries[] {
  const labels = { heartbeat: hb.name, heartbeat_id: hb.id, job: 'tocsin_heartbeats' };
  const out: WriteSeries[] = [{ labels: { ...labels, __name__: 'heartbeat_up' }, timestamps: [now], values: Float64Array.of(up ? 1 : 0) }];
  if (lastBeatAt !== null) out.push({ labels: { ...labels, __name__: 'heartbeat_last_seen_seconds' }, timestamps: [now], values: Float64Array.of(lastBeatAt / 1000) });
  return out;
}
