import { stepInputFor, type QueryOutcome } from './data-modes';
import { DEFAULT_FLAP, stepRule, type AlertSnapshot, type StateMachineRule } from './state-machine';

const M = 60_000;
const src = { ruleName: 'DiskFull', groupLabels: { team: 'db' }, ruleLabels: { severity: 'page' } };
const rule: StateMachineRule = { forMs: 2 * M, keepFiringForMs: 0, flap: DEFAULT_FLAP };
const data: QueryOutcome = {
  kind: 'data',
  active: new Map([
    ['x', { fingerprint: 'x', labels: { alertname: 'DiskFull', host: 'h' }, value: 99 }],
  ]),
};

/** Evaluations at 0, M, 2M … with the given outcomes and modes; returns states by fingerprint. */
function run(
  outcomes: QueryOutcome[],
  noData: 'alerting' | 'ok' | 'keep_last',
  onError: 'alerting' | 'ok' | 'keep_last',
) {
  let alerts = new Map<string, AlertSnapshot>();
  outcomes.forEach((o, i) => {
    const input = stepInputFor(o, noData, onError, src);
    if (input) alerts = stepRule(alerts, rule, input, i * M).alerts;
  });
  return alerts;
}

describe('no-data and error modes', () => {
  it('ok: no data counts as healthy, a pending alert drops and a firing one resolves', () => {
    const alerts = run([data, data, data, { kind: 'no_data' }], 'ok', 'ok');
    expect(alerts.get('x')!.state).toBe('resolved');
  });

  it('keep_last: no data and errors leave state and timers untouched', () => {
    const alerts = run(
      [data, { kind: 'no_data' }, { kind: 'error', message: 'boom' }, data],
      'keep_last',
      'keep_last',
    );
    // Pending since 0; the gaps did not reset the timer, so at 3M (≥ for) it fires.
    expect(alerts.get('x')).toMatchObject({ state: 'firing', activeSince: 0, firedAt: 3 * M });
    expect(stepInputFor({ kind: 'no_data' }, 'keep_last', 'ok', src)).toBeNull();
  });

  it('alerting: no data fires its own alert after `for`, labelled with the reason', () => {
    const alerts = run(
      [{ kind: 'no_data' }, { kind: 'no_data' }, { kind: 'no_data' }],
      'alerting',
      'ok',
    );
    const [noData] = [...alerts.values()];
    expect(noData.labels).toEqual({
      tocsin_reason: 'no_data',
      team: 'db',
      severity: 'page',
      alertname: 'DiskFull',
    });
    expect(noData.state).toBe('firing');
  });

  it('errors follow the error mode, independent of the no-data mode', () => {
    const input = stepInputFor(
      { kind: 'error', message: 'timeout' },
      'keep_last',
      'alerting',
      src,
    )!;
    expect([...input.active.values()][0].labels.tocsin_reason).toBe('error');
    expect(stepInputFor({ kind: 'error', message: 'x' }, 'alerting', 'ok', src)).toEqual({
      active: new Map(),
    });
  });
});
