/**
 * The alert state machine, pure and clock-free: the live evaluator and the backtest both call
 * `stepRule` with the evaluation instant, so there is one implementation of `for`,
 * `keep_firing_for`, hysteresis and flap hold.
 */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

export interface FlapSettings {
  enabled: boolean;
  /** More state changes than this within `windowMs` mark the alert flapping. */
  maxChanges: number;
  windowMs: number;
  /** While flapping the state holds until the condition has been steady this long. */
  holdMs: number;
}

export const DEFAULT_FLAP: FlapSettings = {
  enabled: false,
  maxChanges: 6,
  windowMs: 10 * 60_000,
  holdMs: 10 * 60_000,
};

export interface StateMachineRule {
  forMs: number;
  keepFiringForMs: number;
  flap: FlapSettings;
}

export interface AlertSnapshot {
  fingerprint: string;
  labels: Record<string, string>;
  state: AlertState;
  activeSince: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  lastValue: number | null;
  lastEval: number;
  keepFiringUntil: number | null;
  flapping: boolean;
  flapHoldUntil: number | null;
  /** Instants of recent state changes (only kept when flap detection is on). */
  flapChanges: number[];
  /** Whether the condition (or hysteresis hold) held at the last evaluation. */
  lastActive: boolean;
}

export interface SeriesSample {
  fingerprint: string;
  labels: Record<string, string>;
  value: number;
}

export interface StepInput {
  /** Series whose firing condition holds at this instant. */
  active: Map<string, SeriesSample>;
  /** Hysteresis: series that keep an already firing alert firing (the recovery condition not yet met). */
  held?: Map<string, SeriesSample>;
}

/** One change of an alert. `from === to` means only the flapping mark changed. */
export interface StateChange {
  fingerprint: string;
  labels: Record<string, string>;
  from: AlertState;
  to: AlertState;
  value: number | null;
  at: number;
  flapping: boolean;
}

export interface StepResult {
  /** Every alert after the step, changed or not. */
  alerts: Map<string, AlertSnapshot>;
  /** Fingerprints whose snapshot differs from before (to persist). */
  updated: Set<string>;
  changes: StateChange[];
}

function fresh(sample: SeriesSample, t: number): AlertSnapshot {
  return {
    fingerprint: sample.fingerprint,
    labels: sample.labels,
    state: 'inactive',
    activeSince: null,
    firedAt: null,
    resolvedAt: null,
    lastValue: null,
    lastEval: t,
    keepFiringUntil: null,
    flapping: false,
    flapHoldUntil: null,
    flapChanges: [],
    lastActive: false,
  };
}

/** What the state would become with no flap hold. */
function target(
  prev: AlertSnapshot,
  rule: StateMachineRule,
  t: number,
  active: SeriesSample | undefined,
  held: SeriesSample | undefined,
): AlertSnapshot {
  const next: AlertSnapshot = { ...prev, lastEval: t };
  if (active) {
    next.labels = active.labels;
    next.lastValue = active.value;
    next.lastActive = true;
    next.keepFiringUntil = null;
    if (prev.state === 'inactive' || prev.state === 'resolved') {
      next.activeSince = t;
      next.resolvedAt = null;
      if (rule.forMs <= 0) {
        next.state = 'firing';
        next.firedAt = t;
      } else {
        next.state = 'pending';
        next.firedAt = null;
      }
    } else if (prev.state === 'pending' && t - (prev.activeSince ?? t) >= rule.forMs) {
      next.state = 'firing';
      next.firedAt = t;
    }
    return next;
  }
  if (prev.state === 'firing' && held) {
    // Hysteresis: above the recovery threshold, a firing alert stays firing.
    next.labels = held.labels;
    next.lastValue = held.value;
    next.lastActive = true;
    next.keepFiringUntil = null;
    return next;
  }
  next.lastActive = false;
  if (prev.state === 'pending') {
    next.state = 'inactive';
    next.activeSince = null;
  } else if (prev.state === 'firing') {
    const until = prev.keepFiringUntil ?? t + rule.keepFiringForMs;
    if (rule.keepFiringForMs > 0 && t < until) {
      next.keepFiringUntil = until;
    } else {
      next.state = 'resolved';
      next.resolvedAt = t;
      next.keepFiringUntil = null;
      next.activeSince = null;
    }
  }
  return next;
}

function sameSnapshot(a: AlertSnapshot, b: AlertSnapshot): boolean {
  return (
    a.state === b.state &&
    a.activeSince === b.activeSince &&
    a.firedAt === b.firedAt &&
    a.resolvedAt === b.resolvedAt &&
    Object.is(a.lastValue, b.lastValue) &&
    a.keepFiringUntil === b.keepFiringUntil &&
    a.flapping === b.flapping &&
    a.flapHoldUntil === b.flapHoldUntil &&
    a.lastActive === b.lastActive &&
    a.flapChanges.length === b.flapChanges.length &&
    sameLabels(a.labels, b.labels)
  );
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Advances one alert by one evaluation at instant `t`. */
export function stepAlert(
  prevOrNull: AlertSnapshot | undefined,
  rule: StateMachineRule,
  t: number,
  active: SeriesSample | undefined,
  held: SeriesSample | undefined,
): { next: AlertSnapshot; change: StateChange | null } {
  const sample = active ?? held;
  const prev = prevOrNull ?? fresh(sample!, t);
  const flap = rule.flap;
  let next = target(prev, rule, t, active, held);
  const change = (from: AlertState, to: AlertState, flapping: boolean): StateChange => ({
    fingerprint: next.fingerprint,
    labels: next.labels,
    from,
    to,
    value: next.lastValue,
    at: t,
    flapping,
  });

  if (!flap.enabled) {
    next.flapChanges = [];
    next.flapping = false;
    next.flapHoldUntil = null;
    return {
      next,
      change: next.state !== prev.state ? change(prev.state, next.state, false) : null,
    };
  }

  const recent = prev.flapChanges.filter((c) => c > t - flap.windowMs);
  if (prev.flapping) {
    let holdUntil = prev.flapHoldUntil ?? t + flap.holdMs;
    if (next.lastActive !== prev.lastActive) holdUntil = t + flap.holdMs;
    if (t < holdUntil) {
      // Holding: the state and its timers stay as they were; only the value and the raw condition move.
      next = {
        ...prev,
        lastEval: t,
        lastValue: next.lastValue,
        labels: next.labels,
        lastActive: next.lastActive,
        flapHoldUntil: holdUntil,
        flapChanges: recent,
      };
      return { next, change: null };
    }
    // Steady for the hold time: leave flapping and let the state catch up in one change.
    const steadySince = holdUntil - flap.holdMs;
    const released = target(
      { ...prev, flapping: false, flapHoldUntil: null },
      rule,
      t,
      active,
      held,
    );
    if (released.state === 'pending' && prev.state === 'pending' && released.lastActive) {
      released.activeSince = Math.max(prev.activeSince ?? steadySince, steadySince);
      if (t - released.activeSince >= rule.forMs) {
        released.state = 'firing';
        released.firedAt = t;
      }
    }
    released.flapping = false;
    released.flapHoldUntil = null;
    released.flapChanges = released.state !== prev.state ? [t] : [];
    next = released;
    return { next, change: change(prev.state, next.state, false) };
  }

  if (next.state === prev.state) {
    next.flapChanges = recent;
    return { next, change: null };
  }
  if (recent.length + 1 > flap.maxChanges) {
    next = {
      ...prev,
      lastEval: t,
      lastValue: next.lastValue,
      labels: next.labels,
      lastActive: next.lastActive,
      flapping: true,
      flapHoldUntil: t + flap.holdMs,
      flapChanges: recent,
    };
    return { next, change: change(prev.state, prev.state, true) };
  }
  next.flapChanges = [...recent, t];
  return { next, change: change(prev.state, next.state, false) };
}

/** Advances every alert of one rule by one evaluation at instant `t`. */
export function stepRule(
  prev: Map<string, AlertSnapshot>,
  rule: StateMachineRule,
  input: StepInput,
  t: number,
): StepResult {
  const alerts = new Map<string, AlertSnapshot>();
  const updated = new Set<string>();
  const changes: StateChange[] = [];
  const held = input.held ?? new Map<string, SeriesSample>();
  const keys = new Set<string>([...prev.keys(), ...input.active.keys()]);
  for (const fp of held.keys()) if (prev.get(fp)?.state === 'firing') keys.add(fp);
  for (const fp of keys) {
    const before = prev.get(fp);
    const active = input.active.get(fp);
    const hold = held.get(fp);
    // Idle alerts (inactive/resolved, not active now, not flapping) need no step.
    if (
      before &&
      !active &&
      (before.state === 'inactive' || before.state === 'resolved') &&
      !before.flapping
    ) {
      alerts.set(fp, before);
      continue;
    }
    const { next, change } = stepAlert(before, rule, t, active, hold);
    alerts.set(fp, next);
    if (!before || !sameSnapshot(before, next)) updated.add(fp);
    if (change) changes.push(change);
  }
  return { alerts, updated, changes };
}
