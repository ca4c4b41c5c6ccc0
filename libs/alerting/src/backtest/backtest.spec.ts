import { createEngine, MemorySeriesReader } from '@tocsin/promql';
import { DEFAULT_FLAP, type SeriesSample } from '../alerts/state-machine';
import { replay, runBacktest, type TimelineStep } from './backtest';

const M = 60_000;
const s = (fp: string, value: number): SeriesSample => ({
  fingerprint: fp,
  labels: { host: fp },
  value,
});
const timeline = (pattern: string, fp = 'a'): TimelineStep[] =>
  [...pattern].map((c, i) => ({ t: i * M, active: new Map(c === '1' ? [[fp, s(fp, 1)]] : []) }));

describe('backtest replays the live state machine', () => {
  it('honours for and keep_firing_for and counts notifications', () => {
    const r = replay(
      { forMs: 2 * M, keepFiringForMs: M, flap: DEFAULT_FLAP },
      timeline('0111100000'),
    );
    expect(r.series).toHaveLength(1);
    expect(r.series[0].intervals).toEqual([
      { state: 'pending', from: 1 * M, to: 3 * M },
      { state: 'firing', from: 3 * M, to: 6 * M },
    ]);
    expect(r.series[0].events.map((e) => `${e.from}>${e.to}`)).toEqual([
      'inactive>pending',
      'pending>firing',
      'firing>resolved',
    ]);
    expect(r.notifications).toBe(2);
    expect(r.transitions).toBe(3);
  });

  it('a blip shorter than for never fires', () => {
    const r = replay({ forMs: 3 * M, keepFiringForMs: 0, flap: DEFAULT_FLAP }, timeline('0110110'));
    expect(r.notifications).toBe(0);
    expect(r.series[0].intervals.every((i) => i.state === 'pending')).toBe(true);
  });

  it('flap hold cuts the notifications of an on/off series', () => {
    const pattern = '1010101010101';
    const plain = replay({ forMs: 0, keepFiringForMs: 0, flap: DEFAULT_FLAP }, timeline(pattern));
    const held = replay(
      {
        forMs: 0,
        keepFiringForMs: 0,
        flap: { enabled: true, maxChanges: 3, windowMs: 10 * M, holdMs: 5 * M },
      },
      timeline(pattern),
    );
    expect(plain.notifications).toBe(13);
    expect(held.notifications).toBe(3);
    expect(held.series[0].events.some((e) => e.flapping)).toBe(true);
  });

  it('runs range queries through the engine, with hysteresis from the recovery expression', async () => {
    const reader = new MemorySeriesReader();
    const t0 = 1_700_000_000_000;
    const values = [50, 95, 85, 85, 70, 95];
    reader.add(
      'org',
      { __name__: 'cpu', host: 'a' },
      values.map((v, i) => ({ t: t0 + i * M, v })),
    );
    const engine = createEngine({ reader });
    const rule = {
      name: 'Cpu',
      expr: 'cpu > 90',
      recoveryExpr: 'cpu > 80',
      labels: { severity: 'critical' },
      forMs: 0,
      keepFiringForMs: 0,
      flap: DEFAULT_FLAP,
    };
    const r = await runBacktest(engine, 'org', rule, t0, t0 + 5 * M, M);
    expect(r.series).toHaveLength(1);
    expect(r.series[0].labels).toEqual({ host: 'a', severity: 'critical', alertname: 'Cpu' });
    expect(r.series[0].intervals).toEqual([
      { state: 'firing', from: t0 + M, to: t0 + 4 * M },
      { state: 'firing', from: t0 + 5 * M, to: null },
    ]);
    expect(r.notifications).toBe(3);
  });
});
