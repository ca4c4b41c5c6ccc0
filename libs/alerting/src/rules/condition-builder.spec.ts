import { createEngine, MemorySeriesReader } from '@tocsin/promql';
import { compileCondition } from './condition-builder';

describe('builder conditions compile to PromQL', () => {
  it('compiles warning and critical levels as bands with a severity label, and recovery as hysteresis', () => {
    const c = compileCondition({
      kind: 'threshold',
      query: 'cpu_usage{job="api"}',
      direction: 'above',
      warning: { threshold: 80, recovery: 75 },
      critical: { threshold: 90 },
    });
    expect(c.expr).toBe(
      'label_replace(cpu_usage{job="api"} > 90, "severity", "critical", "", "") or label_replace(cpu_usage{job="api"} > 80 <= 90, "severity", "warning", "", "")',
    );
    expect(c.recoveryExpr).toBe(
      'label_replace(cpu_usage{job="api"} > 90, "severity", "critical", "", "") or label_replace(cpu_usage{job="api"} > 75 <= 90, "severity", "warning", "", "")',
    );
  });

  it('flips the comparisons for below', () => {
    const c = compileCondition({
      kind: 'threshold',
      query: 'free_bytes',
      direction: 'below',
      critical: { threshold: 10, recovery: 20 },
    });
    expect(c.expr).toBe('label_replace(free_bytes < 10, "severity", "critical", "", "")');
    expect(c.recoveryExpr).toBe('label_replace(free_bytes < 20, "severity", "critical", "", "")');
  });

  it('rejects a recovery threshold on the wrong side and inverted levels', () => {
    expect(() =>
      compileCondition({
        kind: 'threshold',
        query: 'x',
        direction: 'above',
        critical: { threshold: 90, recovery: 95 },
      }),
    ).toThrow(/recovery/);
    expect(() =>
      compileCondition({
        kind: 'threshold',
        query: 'x',
        direction: 'above',
        warning: { threshold: 95 },
        critical: { threshold: 90 },
      }),
    ).toThrow(/critical threshold/);
    expect(() => compileCondition({ kind: 'threshold', query: 'x', direction: 'above' })).toThrow(
      /warning or a critical/,
    );
    expect(() =>
      compileCondition({
        kind: 'threshold',
        query: 'x[5m]',
        direction: 'above',
        critical: { threshold: 1 },
      }),
    ).toThrow(/instant vector/);
    expect(() => compileCondition({ kind: 'nope' })).toThrow(/Invalid condition/);
  });

  it('compiles rate of change, absolute and percent', () => {
    expect(
      compileCondition({
        kind: 'rate_of_change',
        query: 'q',
        window: '10m',
        mode: 'absolute',
        direction: 'up',
        threshold: 5,
      }).expr,
    ).toBe('(q - (q offset 10m)) > 5');
    expect(
      compileCondition({
        kind: 'rate_of_change',
        query: 'q',
        window: '1h',
        mode: 'percent',
        direction: 'either',
        threshold: 20,
      }).expr,
    ).toBe('abs(100 * (q - (q offset 1h)) / abs((q offset 1h))) > 20');
  });

  it('takes the past value of an expression from a subquery (offset needs a selector)', () => {
    expect(
      compileCondition({
        kind: 'rate_of_change',
        query: 'sum(rate(x[5m]))',
        window: '1h',
        mode: 'absolute',
        direction: 'down',
        threshold: 3,
      }).expr,
    ).toBe('((sum(rate(x[5m]))) - last_over_time((sum(rate(x[5m])))[1m:] offset 1h)) < -3');
  });

  it('compiles no data with its own pending period', () => {
    const c = compileCondition({
      kind: 'no_data',
      query: 'up{job="db"}',
      duration: '5m',
      for: '2m',
      severity: 'critical',
    });
    expect(c.expr).toBe(
      'label_replace(absent_over_time(up{job="db"}[5m]), "severity", "critical", "", "")',
    );
    expect(c.forMs).toBe(120_000);
  });

  it('compiles anomaly against a rolling window or the same hour last week', () => {
    expect(
      compileCondition({ kind: 'anomaly', query: 'rps', window: '1h', k: 3, baseline: 'rolling' })
        .expr,
    ).toBe('abs(rps - avg_over_time(rps[1h])) > 3 * stddev_over_time(rps[1h])');
    expect(
      compileCondition({
        kind: 'anomaly',
        query: 'sum(rps)',
        window: '1h',
        k: 2,
        baseline: 'last_week',
      }).expr,
    ).toBe(
      'abs((sum(rps)) - avg_over_time((sum(rps))[1h:] offset 1w)) > 2 * stddev_over_time((sum(rps))[1h:] offset 1w)',
    );
  });

  it('evaluates the compiled threshold as intended', async () => {
    const reader = new MemorySeriesReader();
    const t = 1_700_000_000_000;
    reader.add('org', { __name__: 'cpu', host: 'a' }, [{ t, v: 95 }]);
    reader.add('org', { __name__: 'cpu', host: 'b' }, [{ t, v: 85 }]);
    reader.add('org', { __name__: 'cpu', host: 'c' }, [{ t, v: 50 }]);
    const engine = createEngine({ reader });
    const c = compileCondition({
      kind: 'threshold',
      query: 'cpu',
      direction: 'above',
      warning: { threshold: 80 },
      critical: { threshold: 90 },
    });
    const r = await engine.instantQueryRaw('org', c.expr, t);
    if (r.resultType !== 'vector') throw new Error('expected a vector');
    expect(r.samples.map((s) => `${s.labels.host}:${s.labels.severity}`).sort()).toEqual([
      'a:critical',
      'b:warning',
    ]);
  });
});
