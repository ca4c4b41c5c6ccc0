import type { PromQLEngine, QueryResult } from '@tocsin/promql';
import { alertLabels, type LabelSources } from '../alerts/alert-labels';
import { fingerprintOf } from '../alerts/fingerprint';
import {
  stepRule,
  type AlertSnapshot,
  type AlertState,
  type SeriesSample,
  type StateMachineRule,
  type StepInput,
} from '../alerts/state-machine';

export interface BacktestInterval {
  state: 'pending' | 'firing';
  from: number;
  /** Exclusive; null when still open at the end of the range. */
  to: number | null;
}

export interface BacktestEvent {
  at: number;
  from: AlertState;
  to: AlertState;
  flapping: boolean;
  value: number | null;
}

export interface BacktestSeries {
  fingerprint: string;
  labels: Record<string, string>;
  intervals: BacktestInterval[];
  events: BacktestEvent[];
}

export interface BacktestResult {
  steps: number;
  series: BacktestSeries[];
  transitions: number;
  /**
   * Notifications the rule would have sent if its alerts formed one group: one per evaluation
   * with at least one alert starting to fire, and one per evaluation with at least one resolving.
   */
  notifications: number;
}

export interface TimelineStep extends StepInput {
  t: number;
}

/** Replays the live state machine over a timeline of evaluations (pure; fake clocks welcome). */
export function replay(rule: StateMachineRule, timeline: TimelineStep[]): BacktestResult {
  let alerts = new Map<string, AlertSnapshot>();
  const out = new Map<string, BacktestSeries>();
  let transitions = 0;
  let notifications = 0;
  for (const step of timeline) {
    const r = stepRule(alerts, rule, step, step.t);
    alerts = r.alerts;
    let fired = false;
    let resolved = false;
    for (const c of r.changes) {
      let s = out.get(c.fingerprint);
      if (!s)
        out.set(
          c.fingerprint,
          (s = { fingerprint: c.fingerprint, labels: c.labels, intervals: [], events: [] }),
        );
      s.events.push({ at: c.at, from: c.from, to: c.to, flapping: c.flapping, value: c.value });
      if (c.from === c.to) continue;
      transitions++;
      const open = s.intervals[s.intervals.length - 1];
      if (open && open.to === null) open.to = c.at;
      if (c.to === 'pending' || c.to === 'firing')
        s.intervals.push({ state: c.to, from: c.at, to: null });
      if (c.to === 'firing') fired = true;
      if (c.to === 'resolved') resolved = true;
    }
    notifications += (fired ? 1 : 0) + (resolved ? 1 : 0);
  }
  return { steps: timeline.length, series: [...out.values()], transitions, notifications };
}

function matrixToTimeline(
  result: QueryResult,
  src: LabelSources,
  into: Map<number, Map<string, SeriesSample>>,
): void {
  if (result.resultType !== 'matrix')
    throw new Error(`a range query returned a ${result.resultType}`);
  for (const s of result.series) {
    for (let i = 0; i < s.timestamps.length; i++) {
      const value = s.values[i];
      const labels = alertLabels(s.labels, value, src);
      const fingerprint = fingerprintOf(labels);
      let at = into.get(s.timestamps[i]);
      if (!at) into.set(s.timestamps[i], (at = new Map()));
      at.set(fingerprint, { fingerprint, labels, value });
    }
  }
}

export interface BacktestRule extends StateMachineRule {
  name: string;
  expr: string;
  recoveryExpr: string | null;
  labels: Record<string, string>;
}

/** Evaluates the rule's expressions over [from, to] with one range query each, then replays. */
export async function runBacktest(
  engine: PromQLEngine,
  orgId: string,
  rule: BacktestRule,
  from: number,
  to: number,
  stepMs: number,
): Promise<BacktestResult> {
  const src: LabelSources = { ruleName: rule.name, groupLabels: {}, ruleLabels: rule.labels };
  const active = new Map<number, Map<string, SeriesSample>>();
  const held = new Map<number, Map<string, SeriesSample>>();
  matrixToTimeline(await engine.rangeQueryRaw(orgId, rule.expr, from, to, stepMs), src, active);
  if (rule.recoveryExpr)
    matrixToTimeline(
      await engine.rangeQueryRaw(orgId, rule.recoveryExpr, from, to, stepMs),
      src,
      held,
    );
  const timeline: TimelineStep[] = [];
  for (let t = from; t <= to; t += stepMs)
    timeline.push({ t, active: active.get(t) ?? new Map(), held: held.get(t) });
  return replay(rule, timeline);
}
