import { ruleFieldOf, severityLabelConflict } from './rule-errors';

// The messages as libs/alerting/src/rules/rule.types.ts words them.
describe('ruleFieldOf', () => {
  it('finds the field of a duration, label or annotation message', () => {
    expect(ruleFieldOf('for "5 minutes" is not a duration like 30s, 5m or 1h')).toBe('for');
    expect(ruleFieldOf('keep_firing_for "soon" is not a duration like 30s, 5m or 1h')).toBe(
      'keepFiringFor',
    );
    expect(ruleFieldOf('labels: "team-name" is not a valid label name')).toBe('labels');
    expect(ruleFieldOf('annotations: the template of "summary" is invalid: unclosed action')).toBe(
      'summary',
    );
    expect(ruleFieldOf('annotations: the template of "runbook_url" is invalid: x')).toBe(
      'runbook_url',
    );
    expect(ruleFieldOf('annotations: the template of "dashboard" is invalid: x')).toBe(
      'annotations',
    );
  });

  it('leaves other messages to the form-wide error', () => {
    expect(ruleFieldOf('The expression does not parse: unexpected end of input')).toBeNull();
    expect(ruleFieldOf('A rule needs a name')).toBeNull();
  });
});

describe('severityLabelConflict', () => {
  it('refuses a severity row beside a threshold, whose levels set severity', () => {
    expect(
      severityLabelConflict({ kind: 'threshold', severity: '' }, { severity: 'page' }),
    ).toMatch(/^labels: the threshold sets "severity"/);
  });
  it('refuses severity set both by the field and by a row', () => {
    expect(
      severityLabelConflict({ kind: 'no_data', severity: 'critical' }, { severity: 'page' }),
    ).toMatch(/set twice/);
  });
  it('lets a row be the only severity, and PromQL rules have no builder to clash with', () => {
    expect(
      severityLabelConflict({ kind: 'no_data', severity: ' ' }, { severity: 'page' }),
    ).toBeNull();
    expect(severityLabelConflict({ kind: 'threshold', severity: '' }, { team: 'db' })).toBeNull();
    expect(severityLabelConflict(null, { severity: 'page' })).toBeNull();
  });
});
