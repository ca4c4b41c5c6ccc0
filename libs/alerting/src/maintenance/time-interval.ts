import { DateTime, IANAZone } from 'luxon';

/**
 * When something is in effect: one-off ranges, and/or a weekly recurrence (weekdays and times of
 * day in an IANA time zone). Used by maintenance windows and by the policy tree's mute time
 * intervals, like Alertmanager's time_intervals. Times are wall-clock times in `timeZone`, so a
 * "09:00–17:00" window stays 09:00–17:00 local across DST changes.
 */
export interface TimeInterval {
  /** IANA zone, e.g. "Europe/Berlin"; default UTC. */
  timeZone?: string;
  /** "monday", or an inclusive range "monday:friday". Empty or absent with `times` = every day. */
  weekdays?: string[];
  /** Times of day "HH:MM"–"HH:MM" (end exclusive, "24:00" allowed). Absent with `weekdays` = all day. */
  times?: { start: string; end: string }[];
  /** One-off ranges, ISO 8601 instants, end exclusive. */
  ranges?: { startsAt: string; endsAt: string }[];
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

interface Compiled {
  zone: string;
  days: Set<number> | null;
  times: { start: number; end: number }[] | null;
  recurring: boolean;
  ranges: { start: number; end: number }[];
}

function minutesOf(hhmm: string, what: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`${what}: ${JSON.stringify(hhmm)} is not a time "HH:MM"`);
  const min = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || min > 24 * 60) throw new Error(`${what}: ${hhmm} is not a time of day`);
  return min;
}

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.trim().toLowerCase());
  if (i < 0) throw new Error(`unknown weekday ${JSON.stringify(name)}`);
  return i + 1; // luxon: Monday = 1
}

/** Validates and compiles; throws an Error with a message fit for the caller. */
export function compileInterval(t: TimeInterval): Compiled {
  const zone = t.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) throw new Error(`unknown time zone ${JSON.stringify(zone)}`);
  let days: Set<number> | null = null;
  if (t.weekdays?.length) {
    days = new Set();
    for (const spec of t.weekdays) {
      const [a, b] = spec.split(':');
      const from = dayIndex(a);
      const to = b === undefined ? from : dayIndex(b);
      if (to < from) throw new Error(`weekday range ${spec} runs backwards`);
      for (let d = from; d <= to; d++) days.add(d);
    }
  }
  let times: Compiled['times'] = null;
  if (t.times?.length) {
    times = t.times.map((r) => {
      const start = minutesOf(r.start, 'times.start');
      const end = minutesOf(r.end, 'times.end');
      if (end <= start) throw new Error(`time range ${r.start}–${r.end} must end after it starts`);
      return { start, end };
    });
  }
  const ranges = (t.ranges ?? []).map((r) => {
    const start = Date.parse(r.startsAt);
    const end = Date.parse(r.endsAt);
    if (Number.isNaN(start) || Number.isNaN(end))
      throw new Error('ranges need ISO 8601 startsAt and endsAt');
    if (end <= start) throw new Error('a range must end after it starts');
    return { start, end };
  });
  const recurring = days !== null || times !== null;
  if (!recurring && ranges.length === 0)
    throw new Error('a time interval needs weekdays, times or ranges');
  return { zone, days, times, recurring, ranges };
}

/** The recurring period containing `at`, as [start, end) epoch ms, or null. */
function recurringPeriod(c: Compiled, at: number): { start: number; end: number } | null {
  if (!c.recurring) return null;
  const local = DateTime.fromMillis(at, { zone: c.zone });
  if (c.days && !c.days.has(local.weekday)) return null;
  const day = local.startOf('day');
  const minute = local.hour * 60 + local.minute;
  const ranges = c.times ?? [{ start: 0, end: 24 * 60 }];
  for (const r of ranges) {
    if (minute >= r.start && minute < r.end) {
      // set() keeps wall-clock times across a DST change, where adding minutes would not.
      const at0 = (m: number) =>
        m >= 24 * 60
          ? day.plus({ days: 1 }).toMillis()
          : day.set({ hour: Math.floor(m / 60), minute: m % 60 }).toMillis();
      return { start: at0(r.start), end: at0(r.end) };
    }
  }
  return null;
}

export function isActive(c: Compiled, at: number): boolean {
  return c.ranges.some((r) => at >= r.start && at < r.end) || recurringPeriod(c, at) !== null;
}

/**
 * When the interval stops being in effect, if it is in effect at `at` (null otherwise). Adjacent
 * periods (Monday 00:00–24:00 then Tuesday) are joined, up to two weeks ahead.
 */
export function activeUntil(c: Compiled, at: number): number | null {
  let end: number | null = null;
  let t = at;
  for (let step = 0; step < 64; step++) {
    let next: number | null = null;
    for (const r of c.ranges) if (t >= r.start && t < r.end) next = Math.max(next ?? 0, r.end);
    const p = recurringPeriod(c, t);
    if (p) next = Math.max(next ?? 0, p.end);
    if (next === null || next <= t) break;
    end = next;
    t = next;
    if (t - at > 14 * 86_400_000) break;
  }
  return end;
}

/** Whether any of the intervals is active, and until when the active ones last. */
export function activeAmong(
  intervals: readonly Compiled[],
  at: number,
): { active: boolean; until: number | null } {
  let until: number | null = null;
  for (const c of intervals) {
    const u = activeUntil(c, at);
    if (u !== null) until = Math.max(until ?? 0, u);
  }
  return { active: until !== null, until };
}

export type CompiledInterval = Compiled;
