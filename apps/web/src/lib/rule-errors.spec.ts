import { ruleFieldOf } from './rule-errors';

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
