import { alertsFromTransitions } from './dispatch.types';

const t = (from: string, to: string, extra: Record<string, unknown> = {}) =>
  ({
    alertId: 'a1',
    ruleId: 'r1',
    ruleName: 'R',
    groupId: 'g1',
    fingerprint: 'f1',
    labels: { alertname: 'R' },
    annotations: {},
    from,
    to,
    value: 1,
    at: '2026-11-26T20:00:10Z',
    flapping: false,
    activeSince: '2026-11-26T20:00:00Z',
    firedAt: '2026-11-26T20:00:05Z',
    resolvedAt: null,
    severity: null,
    ...extra,
  }) as never;

describe('alertsFromTransitions', () => {
  it('keeps firing edges and resolutions of firing alerts only', () => {
    const out = alertsFromTransitions([
      t('inactive', 'pending'),
      t('pending', 'firing'),
      t('firing', 'firing', { flapping: true }),
      t('pending', 'inactive'),
      t('firing', 'resolved', { resolvedAt: '2026-11-26T20:01:00Z' }),
    ]);
    expect(out.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(out[0]).toMatchObject({
      startsAt: '2026-11-26T20:00:05Z',
      endsAt: null,
      source: 'rule',
      ruleId: 'r1',
    });
    expect(out[1].endsAt).toBe('2026-11-26T20:01:00Z');
  });
});
