/**
 * The timer arithmetic of an aggregation group, as Alertmanager does it: the first notification
 * of a new group waits group_wait; after that the group is looked at every group_interval, and an
 * unchanged group is re-sent after repeat_interval. Pure, so the unit tests can pin it down.
 */

/** When a group that is not scheduled should flush next, now that it has an alert. */
export function firstFlushAt(
  now: number,
  groupWaitMs: number,
  lastFlushAt: number | null,
  groupIntervalMs: number,
): number {
  const wait = now + groupWaitMs;
  // A group that flushed recently keeps its rhythm: new alerts wait for its next interval.
  return lastFlushAt === null ? wait : Math.max(wait, lastFlushAt + groupIntervalMs);
}

/**
 * The next flush after the one at `slot`: the next group_interval tick, or earlier when a mute
 * (maintenance window, silence, mute interval) that hid an alert ends before it.
 */
export function nextFlushAt(
  slot: number,
  groupIntervalMs: number,
  muteEnds: readonly number[],
): number {
  let next = slot + groupIntervalMs;
  for (const end of muteEnds) if (end > slot && end < next) next = end;
  return next;
}

/** What the notification log remembers per (group, receiver). */
export interface NflogEntry {
  firing: string[];
  resolved: string[];
  sentAt: number;
}

/**
 * Alertmanager's DedupStage.needsUpdate: whether a receiver must hear about the group now, given
 * the unmuted firing and resolved fingerprints and the last notification it got.
 */
export function needsUpdate(
  entry: NflogEntry | null,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  now: number,
  repeatIntervalMs: number,
  sendResolved: boolean,
): boolean {
  if (!entry) return firing.size > 0;
  const notifiedFiring = new Set(entry.firing);
  for (const f of firing) if (!notifiedFiring.has(f)) return true;
  // All resolved: tell the receiver only if it was told something was firing.
  if (firing.size === 0) return entry.firing.length > 0;
  if (sendResolved) {
    const notifiedResolved = new Set(entry.resolved);
    for (const r of resolved) if (!notifiedResolved.has(r)) return true;
  }
  return entry.sentAt <= now - repeatIntervalMs;
}
