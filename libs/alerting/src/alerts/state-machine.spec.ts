import {
  DEFAULT_FLAP,
  stepRule,
  type AlertSnapshot,
  type SeriesSample,
  type StateMachineRule,
  type StepInput,
} from './state-machine';

const S = 1000;
const M = 60 * S;
const series = (value: number, fp = 'a'): SeriesSample => ({
  fingerprint: fp,
  labels: { instance: fp },
  value,
});
const on = (value = 1, fp = 'a'): StepInput => ({ active: new Map([[fp, series(value, fp)]]) });
const off = (held?: number, fp = 'a'): StepInput => ({
  active: new Map(),
  held: held === undefined ? undefined : new Map([[fp, series(held, fp)]]),
});

/** Runs a rule over evaluations at t = 0, step, 2·step …, returning the state after each. */
function run(
  rule: StateMachineRule,
  inputs: StepInput[],
  step = M,
  start = new Map<string, AlertSnapshot>(),
) {
  let alerts = start;
  const states: string[] = [];
  const changes: string[] = [];
  inputs.forEach((input, i) => {
    const r = stepRule(alerts, rule, input, i * step);
    alerts = r.alerts;
    states.push(alerts.get('a')?.state ?? 'none');
    for (const c of r.changes) changes.push(`${i}:${c.from}>${c.to}${c.flapping ? '!' : ''}`);
  });
  return { alerts, states, changes };
}

const rule = (over: Partial<StateMachineRule> = {}): StateMachineRule => ({
  forMs: 0,
  keepFiringForMs: 0,
  flap: { ...DEFAULT_FLAP },
  ...over,
});

describe('alert state machine', () => {
  it('fires at once without for, and resolves on absence', () => {
    const { states, changes } = run(rule(), [on(), on(), off()]);
    expect(states).toEqual(['firing', 'firing', 'resolved']);
    expect(changes).toEqual(['0:inactive>firing', '2:firing>resolved']);
  });

  it('waits `for` in pending, from the first active evaluation', () => {
    const { states, alerts } = run(rule({ forMs: 2 * M }), [on(), on(), on(), on()]);
    expect(states).toEqual(['pending', 'pending', 'firing', 'firing']);
    expect(alerts.get('a')!.activeSince).toBe(0);
    expect(alerts.get('a')!.firedAt).toBe(2 * M);
  });

  it('drops a pending alert back to inactive and restarts its timer', () => {
    const { states } = run(rule({ forMs: 2 * M }), [on(), on(), off(), on(), on(), on()]);
    expect(states).toEqual(['pending', 'pending', 'inactive', 'pending', 'pending', 'firing']);
  });

  it('keeps the pending timer across a restart: the snapshot is all the state there is', () => {
    const first = run(rule({ forMs: 2 * M }), [on(), on()]);
    // A new evaluator resumes from the persisted snapshot at the next instant.
    const r = stepRule(first.alerts, rule({ forMs: 2 * M }), on(), 2 * M);
    expect(r.alerts.get('a')!.state).toBe('firing');
  });

  it('keeps firing for keep_firing_for after the condition clears', () => {
    const { states, alerts } = run(rule({ keepFiringForMs: 2 * M }), [on(), off(), off(), off()]);
    expect(states).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(alerts.get('a')!.resolvedAt).toBe(3 * M);
  });

  it('clears keep_firing_for when the condition comes back', () => {
    const { states, alerts } = run(rule({ keepFiringForMs: 2 * M }), [
      on(),
      off(),
      on(),
      off(),
      off(),
    ]);
    expect(states).toEqual(['firing', 'firing', 'firing', 'firing', 'firing']);
    expect(alerts.get('a')!.keepFiringUntil).toBe(5 * M);
  });

  it('holds a firing alert while the recovery condition is not met (hysteresis)', () => {
    // Fires above 90, recovers below 80: 95 fires, 85 holds, 75 resolves.
    const { states } = run(rule(), [on(95), off(85), off(85), off()]);
    expect(states).toEqual(['firing', 'firing', 'firing', 'resolved']);
  });

  it('does not start an alert from the recovery band alone', () => {
    const { states } = run(rule(), [off(85), off(85)]);
    expect(states).toEqual(['none', 'none']);
  });

  it('re-fires after resolution with a new active-since', () => {
    const { alerts, changes } = run(rule({ forMs: M }), [on(), on(), off(), on(), on()]);
    expect(changes).toEqual([
      '0:inactive>pending',
      '1:pending>firing',
      '2:firing>resolved',
      '3:resolved>pending',
      '4:pending>firing',
    ]);
    expect(alerts.get('a')!.activeSince).toBe(3 * M);
  });

  it('tracks series independently', () => {
    const both: StepInput = {
      active: new Map([
        ['a', series(1, 'a')],
        ['b', series(1, 'b')],
      ]),
    };
    let r = stepRule(new Map(), rule(), both, 0);
    r = stepRule(r.alerts, rule(), on(1, 'a'), M);
    expect(r.alerts.get('a')!.state).toBe('firing');
    expect(r.alerts.get('b')!.state).toBe('resolved');
    expect(r.changes.map((c) => `${c.fingerprint}:${c.to}`)).toEqual(['b:resolved']);
  });

  it('marks an alert flapping after too many changes and holds its state', () => {
    const flap = { enabled: true, maxChanges: 3, windowMs: 10 * M, holdMs: 3 * M };
    // on/off every minute: changes at 0,1,2 are allowed, the 4th is held.
    const { states, changes, alerts } = run(rule({ flap }), [
      on(),
      off(),
      on(),
      off(),
      on(),
      off(),
    ]);
    expect(changes).toEqual([
      '0:inactive>firing',
      '1:firing>resolved',
      '2:resolved>firing',
      '3:firing>firing!',
    ]);
    expect(states).toEqual(['firing', 'resolved', 'firing', 'firing', 'firing', 'firing']);
    expect(alerts.get('a')!.flapping).toBe(true);
  });

  it('leaves flapping once the condition has been steady for the hold time', () => {
    const flap = { enabled: true, maxChanges: 3, windowMs: 10 * M, holdMs: 3 * M };
    const inputs = [on(), off(), on(), off(), off(), off(), off(), off()];
    const { states, changes, alerts } = run(rule({ flap }), inputs);
    // Flapping detected at 3 (off); steady off since 3 → released at 6 as resolved.
    expect(changes).toEqual([
      '0:inactive>firing',
      '1:firing>resolved',
      '2:resolved>firing',
      '3:firing>firing!',
      '6:firing>resolved',
    ]);
    expect(states.slice(3)).toEqual(['firing', 'firing', 'firing', 'resolved', 'resolved']);
    expect(alerts.get('a')!.flapping).toBe(false);
  });

  it('extends the flap hold whenever the condition changes again', () => {
    const flap = { enabled: true, maxChanges: 1, windowMs: 10 * M, holdMs: 2 * M };
    const { changes } = run(rule({ flap }), [on(), off(), on(), off(), on(), on(), on()]);
    // Held at 1; the condition changes at 2, 3, 4 (hold until 6); released at 6, still firing.
    expect(changes).toEqual(['0:inactive>firing', '1:firing>firing!', '6:firing>firing']);
  });

  it('does not count changes outside the window', () => {
    const flap = { enabled: true, maxChanges: 2, windowMs: 90 * S, holdMs: M };
    const { changes } = run(rule({ flap }), [on(), off(), on(), off()]);
    expect(changes.some((c) => c.endsWith('!'))).toBe(false);
  });

  it('reports unchanged alerts as not updated', () => {
    let r = stepRule(new Map(), rule(), on(5), 0);
    r = stepRule(r.alerts, rule(), on(5), M);
    expect(r.updated.size).toBe(0);
    r = stepRule(r.alerts, rule(), on(6), 2 * M);
    expect([...r.updated]).toEqual(['a']);
  });
});
