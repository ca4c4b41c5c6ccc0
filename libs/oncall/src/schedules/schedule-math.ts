import { DateTime } from 'luxon';
import type { Layer, OverrideSpan, Restriction, ScheduleSlot } from './schedule.types';

/** Half-open [start, end) in epoch milliseconds. */
type Span = [number, number];

interface Candidate {
  userId: string;
  start: number;
  end: number;
  priority: number;
  source: 'layer' | 'override';
  layer?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Turn `k` of a layer starts at the k-th handoff. Daily and weekly rotations add calendar days in
 * the schedule's zone, so a 09:00 handoff stays at 09:00 local across DST changes (the turn that
 * spans the change is 23 or 25 hours long); hourly rotations add elapsed time.
 */
function turnStart(layer: Layer, origin: DateTime, k: number): number {
  if (layer.rotation === 'hours') return origin.toMillis() + k * layer.every * HOUR;
  const unit = layer.rotation === 'daily' ? 'days' : 'weeks';
  return origin.plus({ [unit]: k * layer.every }).toMillis();
}

function approxTurnMs(layer: Layer): number {
  return (
    layer.every * (layer.rotation === 'hours' ? HOUR : layer.rotation === 'daily' ? DAY : 7 * DAY)
  );
}

function layerTurns(
  layer: Layer,
  zone: string,
  from: number,
  to: number,
): Array<{ userId: string; span: Span }> {
  const origin = DateTime.fromISO(layer.start, { zone });
  if (!origin.isValid) throw new Error(`Invalid layer start ${layer.start}`);
  const out: Array<{ userId: string; span: Span }> = [];
  if (to <= origin.toMillis()) return out;
  let k = Math.max(0, Math.floor((from - origin.toMillis()) / approxTurnMs(layer)) - 1);
  while (k > 0 && turnStart(layer, origin, k) > from) k -= 1;
  for (; ; k += 1) {
    const s = turnStart(layer, origin, k);
    if (s >= to) break;
    const e = turnStart(layer, origin, k + 1);
    if (e <= from) continue;
    out.push({
      userId: layer.users[k % layer.users.length],
      span: [Math.max(s, from), Math.min(e, to)],
    });
  }
  return out;
}

function parseClock(clock: string): { hour: number; minute: number } {
  const [hour, minute] = clock.split(':').map(Number);
  return { hour, minute };
}

/** The restriction windows in [from, to), in the schedule's zone, merged and sorted. */
export function restrictionWindows(
  restrictions: Restriction[],
  zone: string,
  from: number,
  to: number,
): Span[] {
  const windows: Span[] = [];
  // A window may start the day before `from` and run past midnight into it.
  let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(to, { zone }).startOf('day');
  while (day <= last) {
    for (const r of restrictions) {
      if (r.days && !r.days.includes(day.weekday)) continue;
      const s = day.set(parseClock(r.start));
      let e = day.set(parseClock(r.end));
      if (e <= s) e = day.plus({ days: 1 }).set(parseClock(r.end));
      const span: Span = [Math.max(s.toMillis(), from), Math.min(e.toMillis(), to)];
      if (span[0] < span[1]) windows.push(span);
    }
    day = day.plus({ days: 1 });
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const w of windows) {
    const prev = merged[merged.length - 1];
    if (prev && w[0] <= prev[1]) prev[1] = Math.max(prev[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

function intersect(span: Span, windows: Span[]): Span[] {
  const out: Span[] = [];
  for (const w of windows) {
    const s = Math.max(span[0], w[0]);
    const e = Math.min(span[1], w[1]);
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** What one layer contributes in [from, to): its turns cut to its restriction windows. */
export function layerSlots(
  layer: Layer,
  zone: string,
  from: Date,
  to: Date,
): Array<{ userId: string; start: number; end: number }> {
  const f = from.getTime();
  const t = to.getTime();
  const turns = layerTurns(layer, zone, f, t);
  const windows = layer.restrictions.length
    ? restrictionWindows(layer.restrictions, zone, f, t)
    : null;
  const out: Array<{ userId: string; start: number; end: number }> = [];
  for (const turn of turns) {
    for (const [s, e] of windows ? intersect(turn.span, windows) : [turn.span])
      out.push({ userId: turn.userId, start: s, end: e });
  }
  return out;
}

/**
 * The final schedule in [from, to): overrides beat every layer (a later override beats an
 * earlier one), a later layer beats an earlier one where it has someone, and adjacent slots of
 * the same person from the same source are merged.
 */
export function computeFinalSchedule(input: {
  timeZone: string;
  layers: Layer[];
  overrides: OverrideSpan[];
  from: Date;
  to: Date;
}): ScheduleSlot[] {
  const { timeZone, layers, overrides, from, to } = input;
  if (to.getTime() <= from.getTime()) return [];
  const candidates: Candidate[] = [];
  layers.forEach((layer, i) => {
    for (const s of layerSlots(layer, timeZone, from, to))
      candidates.push({ ...s, priority: i, source: 'layer', layer: i });
  });
  overrides.forEach((o, i) => {
    const start = Math.max(o.start.getTime(), from.getTime());
    const end = Math.min(o.end.getTime(), to.getTime());
    if (start < end)
      candidates.push({
        userId: o.userId,
        start,
        end,
        priority: layers.length + i,
        source: 'override',
      });
  });
  const points = [...new Set(candidates.flatMap((c) => [c.start, c.end]))].sort((a, b) => a - b);
  const slots: ScheduleSlot[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [s, e] = [points[i], points[i + 1]];
    let best: Candidate | undefined;
    for (const c of candidates)
      if (c.start <= s && c.end >= e && (!best || c.priority > best.priority)) best = c;
    if (!best) continue;
    const prev = slots[slots.length - 1];
    if (
      prev &&
      prev.end.getTime() === s &&
      prev.userId === best.userId &&
      prev.source === best.source &&
      prev.layer === best.layer
    ) {
      prev.end = new Date(e);
    } else {
      slots.push({
        userId: best.userId,
        start: new Date(s),
        end: new Date(e),
        source: best.source,
        ...(best.layer !== undefined ? { layer: best.layer } : {}),
      });
    }
  }
  return slots;
}

/** Who is on call at `at` (at most one person per schedule). */
export function onCallAt(
  input: { timeZone: string; layers: Layer[]; overrides: OverrideSpan[] },
  at: Date,
): string | null {
  const slots = computeFinalSchedule({ ...input, from: at, to: new Date(at.getTime() + 1) });
  return slots[0]?.userId ?? null;
}
