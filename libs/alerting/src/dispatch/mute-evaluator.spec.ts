import { parseMatchers } from '../routing/matchers';
import { compilePolicy, matchRoutes } from '../routing/route-tree';
import { MuteEvaluator } from './mute-evaluator';

const at = Date.parse('2026-11-28T10:00:00Z'); // a Saturday
const policy = compilePolicy({
  receivers: [{ name: 'r' }],
  timeIntervals: [
    { name: 'weekends', interval: { weekdays: ['saturday:sunday'] } },
    {
      name: 'office',
      interval: {
        timeZone: 'Europe/Berlin',
        weekdays: ['monday:friday'],
        times: [{ start: '09:00', end: '17:00' }],
      },
    },
  ],
  inhibitRules: [
    {
      sourceMatchers: ['severity="critical"'],
      targetMatchers: ['severity="warning"'],
      equal: ['cluster'],
    },
  ],
  route: {
    receiver: 'r',
    routes: [
      { matchers: ['team="db"'], muteTimeIntervals: ['weekends'] },
      { matchers: ['team="web"'], activeTimeIntervals: ['office'] },
    ],
  },
});
const ctx = {
  policy: null,
  silences: [
    { id: 's1', matchers: parseMatchers('alertname="Noisy"'), ends_at: new Date(at + 60_000) },
  ],
  windows: [
    {
      id: 'w1',
      name: 'upgrade',
      matchers: parseMatchers('host="db1"'),
      schedule: { ranges: [{ startsAt: '2026-11-28T09:00:00Z', endsAt: '2026-11-28T11:00:00Z' }] },
    },
  ],
  firing: [{ fingerprint: 'crit', labels: { severity: 'critical', cluster: 'eu' } }],
};
const muter = new MuteEvaluator().build(ctx, policy, at);
const mutes = (labels: Record<string, string>) =>
  muter({ fingerprint: 'x', labels }, matchRoutes(policy.root, labels)[0]);

describe('MuteEvaluator', () => {
  it('applies silences, maintenance windows and inhibition with their end times', () => {
    expect(mutes({ alertname: 'Noisy' })).toEqual([
      { kind: 'silence', silenceId: 's1', matchers: '{alertname="Noisy"}', until: at + 60_000 },
    ]);
    expect(mutes({ alertname: 'Disk', host: 'db1' })).toEqual([
      {
        kind: 'maintenance',
        windowId: 'w1',
        name: 'upgrade',
        until: Date.parse('2026-11-28T11:00:00Z'),
      },
    ]);
    expect(mutes({ severity: 'warning', cluster: 'eu' })).toEqual([
      { kind: 'inhibition', rule: 0, sourceFingerprint: 'crit', until: null },
    ]);
    expect(mutes({ alertname: 'Fine', severity: 'warning', cluster: 'us' })).toEqual([]);
  });

  it('honours a route`s mute and active time intervals', () => {
    expect(mutes({ team: 'db' })).toEqual([
      { kind: 'mute_time_interval', name: 'weekends', until: Date.parse('2026-11-30T00:00:00Z') },
    ]);
    expect(mutes({ team: 'web' })).toEqual([
      { kind: 'outside_active_time_interval', names: ['office'], until: null },
    ]);
    const monday = new MuteEvaluator().build(ctx, policy, Date.parse('2026-11-30T10:00:00Z'));
    const labels = { team: 'web' };
    expect(monday({ fingerprint: 'x', labels }, matchRoutes(policy.root, labels)[0])).toEqual([]);
  });
});
