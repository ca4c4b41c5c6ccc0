import { matchersFromLabels, parseLabelFilter } from './matchers';

describe('matchersFromLabels', () => {
  it('builds sorted exact matchers, escaping quotes, without __name__', () => {
    expect(matchersFromLabels({ team: 'db', alertname: 'Hot "CPU"', __name__: 'x' })).toBe(
      '{alertname="Hot \\"CPU\\"", team="db"}',
    );
  });
});

describe('parseLabelFilter', () => {
  it('parses name=value pairs and strips quotes', () => {
    expect(parseLabelFilter('env=prod, team="db"')).toEqual({ env: 'prod', team: 'db' });
    expect(parseLabelFilter('  ')).toEqual({});
  });
  it('explains what is wrong', () => {
    expect(parseLabelFilter('env')).toBe('“env” is not name=value.');
    expect(parseLabelFilter('1x=a')).toBe('“1x” is not a valid label name.');
  });
});
