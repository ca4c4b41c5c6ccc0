import { parseMatchers } from '../routing/matchers';
import { inhibitedBy, type InhibitRule } from './inhibitor';

const rule: InhibitRule = {
  source: parseMatchers('severity="critical"'),
  target: parseMatchers('severity="warning"'),
  equal: ['cluster'],
};
const a = (fingerprint: string, labels: Record<string, string>) => ({ fingerprint, labels });

describe('inhibition (Alertmanager semantics)', () => {
  it('a firing source mutes targets with equal values of the equal labels', () => {
    const src = a('s', { severity: 'critical', cluster: 'eu' });
    expect(inhibitedBy([rule], [src], a('t', { severity: 'warning', cluster: 'eu' }))).toEqual({
      rule: 0,
      sourceFingerprint: 's',
    });
    expect(inhibitedBy([rule], [src], a('t', { severity: 'warning', cluster: 'us' }))).toBeNull();
    expect(inhibitedBy([rule], [src], a('t', { severity: 'info', cluster: 'eu' }))).toBeNull();
    expect(inhibitedBy([rule], [], a('t', { severity: 'warning', cluster: 'eu' }))).toBeNull();
  });

  it('a label missing on both sides counts as equal', () => {
    expect(
      inhibitedBy([rule], [a('s', { severity: 'critical' })], a('t', { severity: 'warning' })),
    ).not.toBeNull();
  });

  it('an alert does not inhibit itself, nor peers matching both sides', () => {
    const both: InhibitRule = {
      source: parseMatchers('alertname="Down"'),
      target: parseMatchers('alertname="Down"'),
      equal: [],
    };
    const x = a('x', { alertname: 'Down', instance: '1' });
    const y = a('y', { alertname: 'Down', instance: '2' });
    expect(inhibitedBy([both], [x, y], x)).toBeNull();
    expect(inhibitedBy([both], [x, y], y)).toBeNull();
    // A source that only matches the source side still inhibits such a target.
    const wide: InhibitRule = {
      source: parseMatchers('alertname=~"Down|NodeDown"'),
      target: parseMatchers('alertname="Down"'),
      equal: [],
    };
    expect(inhibitedBy([wide], [a('n', { alertname: 'NodeDown' })], x)).toEqual({
      rule: 0,
      sourceFingerprint: 'n',
    });
  });
});
