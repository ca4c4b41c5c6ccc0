import { PromQLError } from '../errors';
import { conformanceExpressions } from '../conformance/conformance-cases';
import { parsePromQL } from './parser';

/** Parsing either succeeds or fails with a positioned bad_data error, never anything else. */
function parsesOrRejects(q: string): void {
  try {
    parsePromQL(q);
  } catch (err) {
    if (
      !(err instanceof PromQLError) ||
      err.errorType !== 'bad_data' ||
      !/^\d+:\d+: parse error: /.test(err.message)
    ) {
      throw new Error(`${JSON.stringify(q)} failed with ${String(err)}`);
    }
  }
}

describe('parser robustness', () => {
  it.each([
    '',
    '   ',
    '{}',
    'foo{',
    'foo{a=}',
    'foo{a="b"',
    'sum by (',
    'x[',
    'x[5m',
    'x[5x]',
    '@',
    'x @ foo',
    'x @ -Inf',
    'x offset',
    'rate(x[5m]',
    '"\\q"',
    'label_replace(x, 1, 2, 3, 4)',
    'topk("a", x)',
    'count_values(1, x)',
    'x[1h:5m:1m]',
    'x[5m] offset 1m offset 1m',
    'holt_winters(x[5m], 0.5, 0.5)',
    'x ^^ y',
    'x </ y',
    'limitk(1, x)',
    'x[1m] smoothed',
    '((((((((((x',
    ')',
    '1 +* 2',
    'x == bool',
    'on(a) x',
    'sum without',
  ])('%j is rejected cleanly or parsed', (q) => {
    parsesOrRejects(q);
  });

  it('rejects every truncation of the conformance expressions cleanly', () => {
    for (const expr of conformanceExpressions(1_700_000_000)) {
      for (let n = 0; n < expr.length; n++) parsesOrRejects(expr.slice(0, n));
    }
  });

  it('rejects an empty query with a message', () => {
    expect(() => parsePromQL('')).toThrow(/^1:1: parse error: /);
  });
});
