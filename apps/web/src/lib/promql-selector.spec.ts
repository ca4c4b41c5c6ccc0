import { EqlRegex, EqlSingle, Neq } from '@prometheus-io/lezer-promql';
import { selectorFor } from './promql-selector';

describe('selectorFor', () => {
  it('is the bare metric without other matchers', () => {
    expect(selectorFor('up')).toBe('up');
    expect(selectorFor(undefined, [])).toBe('');
  });
  it('keeps the other matchers, leaving out the label being completed and empty values', () => {
    expect(
      selectorFor(
        'http_requests_total',
        [
          { type: EqlSingle, name: 'job', value: 'api' },
          { type: EqlRegex, name: 'code', value: '5..' },
          { type: Neq, name: 'env', value: '' },
          { type: EqlSingle, name: 'instance', value: 'a"b' },
        ],
        'instance',
      ),
    ).toBe('http_requests_total{job="api",code=~"5.."}');
  });
});
