import { evaluationEveryMs, heartbeatDeadline, heartbeatSeries, validateCron } from './heartbeat-schedule';

describe('heartbeat schedule math', () => {
  const t0 = Date.UTC(2026, 10, 26, 12, 0, 0);
  it('owes the next beat one period (plus grace) after the last', () => {
    expect(heartbeatDeadline({ periodMs: 60_000, cron: null, timezone: 'UTC', graceMs: 5000, since: t0 })).toBe(t0 + 65_000);
  });
  it('owes a cron beat at the next firing after the last beat, in the heartbeat\'s zone', () => {
    // Daily at 02:00 Paris = 01:00 UTC in November.
    const d = heartbeatDeadline({ periodMs: null, cron: '0 2 * * *', timezone: 'Europe/Paris', graceMs: 600_000, since: t0 });
    expect(new Date(d).toISOString()).toBe('2026-11-27T01:10:00.000Z');
  });
  it('evaluates twice per period, within 1–30 s, and refuses a bad cron', () => {
    expect(evaluationEveryMs({ periodMs: 2000, cron: null, timezone: 'UTC' })).toBe(1000);
    expect(evaluationEveryMs({ periodMs: 3_600_000, cron: null, timezone: 'UTC' })).toBe(30_000);
    expect(evaluationEveryMs({ periodMs: null, cron: '*/4 * * * * *', timezone: 'UTC' })).toBe(2000);
    expect(() => validateCron('61 * * * *', 'UTC')).toThrow();
  });
  it('writes heartbeat_up and heartbeat_last_seen_seconds', () => {
    const s = heartbeatSeries({ id: 'h', name: 'backup' }, false, 5000, 9000);
    expect(s.map((x) => [x.labels.__name__, x.values[0]])).toEqual([['heartbeat_up', 0], ['heartbeat_last_seen_seconds', 5]]);
  });
});
