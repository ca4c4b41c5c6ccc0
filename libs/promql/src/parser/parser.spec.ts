import { PromQLParseError } from '../errors';
import { parsePromQL, parseSeriesSelector, typeOf } from './parser';

function parseError(q: string): string {
  try {
    parsePromQL(q);
  } catch (err) {
    expect(err).toBeInstanceOf(PromQLParseError);
    expect((err as PromQLParseError).errorType).toBe('bad_data');
    return (err as Error).message;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('parsePromQL', () => {
  it('builds selectors with the metric name as a matcher', () => {
    expect(parsePromQL('up{job="api", instance=~"a.*", x!="", y!~"z"}')).toEqual({
      type: 'VectorSelector',
      name: 'up',
      offsetMs: 0,
      matchers: [
        { name: '__name__', op: '=', value: 'up' },
        { name: 'job', op: '=', value: 'api' },
        { name: 'instance', op: '=~', value: 'a.*' },
        { name: 'x', op: '!=', value: '' },
        { name: 'y', op: '!~', value: 'z' },
      ],
    });
  });

  it('reads ranges, offsets, @ and subqueries', () => {
    expect(parsePromQL('rate(x[5m] offset 1m @ 100)')).toMatchObject({
      type: 'Call',
      func: 'rate',
      args: [
        {
          type: 'MatrixSelector',
          rangeMs: 300_000,
          vector: { offsetMs: 60_000, at: { kind: 'time', ms: 100_000 } },
        },
      ],
    });
    expect(parsePromQL('x @ start()')).toMatchObject({ at: { kind: 'start' } });
    expect(parsePromQL('x offset -1h30m')).toMatchObject({ offsetMs: -5_400_000 });
    expect(parsePromQL('max_over_time(x[1h:5m] offset 2m)')).toMatchObject({
      args: [{ type: 'SubqueryExpr', rangeMs: 3_600_000, stepMs: 300_000, offsetMs: 120_000 }],
    });
    expect(parsePromQL('x[10m:]')).toMatchObject({ type: 'SubqueryExpr', stepMs: 0 });
  });

  it('reads numbers and strings like Prometheus', () => {
    expect(parsePromQL('0x1F')).toEqual({ type: 'NumberLiteral', value: 31 });
    expect(parsePromQL('1e3')).toEqual({ type: 'NumberLiteral', value: 1000 });
    expect(parsePromQL('-Inf')).toEqual({ type: 'NumberLiteral', value: -Infinity });
    expect((parsePromQL('NaN') as { value: number }).value).toBeNaN();
    expect(parsePromQL('"a\\tb\\u00e9"')).toEqual({ type: 'StringLiteral', value: 'a\tbé' });
    expect(parsePromQL("'it\\'s'")).toEqual({ type: 'StringLiteral', value: "it's" });
    expect(parsePromQL('`raw\\n`')).toEqual({ type: 'StringLiteral', value: 'raw\\n' });
  });

  it('applies operator precedence and associativity', () => {
    expect(parsePromQL('1 + 2 * 3')).toMatchObject({ op: '+', rhs: { op: '*' } });
    expect(parsePromQL('2 ^ 3 ^ 2')).toMatchObject({
      op: '^',
      lhs: { value: 2 },
      rhs: { op: '^' },
    });
    expect(parsePromQL('-2 ^ 2')).toMatchObject({
      type: 'UnaryExpr',
      op: '-',
      expr: { op: '^', lhs: { value: 2 } },
    });
    expect(parsePromQL('a or b and c')).toMatchObject({ op: 'or', rhs: { op: 'and' } });
  });

  it('reads vector matching modifiers', () => {
    expect(parsePromQL('a * on(x, y) group_left(z) b')).toMatchObject({
      matching: { card: 'many-to-one', on: true, labels: ['x', 'y'], include: ['z'] },
    });
    expect(parsePromQL('a / ignoring(x) group_right b')).toMatchObject({
      matching: { card: 'one-to-many', on: false, labels: ['x'], include: [] },
    });
    expect(parsePromQL('a and b')).toMatchObject({ matching: { card: 'many-to-many' } });
    expect(parsePromQL('a > bool 1')).toMatchObject({ returnBool: true, matching: undefined });
  });

  it('reads aggregations with the modifier before or after', () => {
    const want = { type: 'AggregateExpr', op: 'sum', grouping: ['job'], without: false };
    expect(parsePromQL('sum by (job) (x)')).toMatchObject(want);
    expect(parsePromQL('sum(x) by (job)')).toMatchObject(want);
    expect(parsePromQL('topk without (a) (3, x)')).toMatchObject({
      op: 'topk',
      without: true,
      param: { value: 3 },
    });
  });

  it('types expressions', () => {
    expect(typeOf(parsePromQL('1 + 1'))).toBe('scalar');
    expect(typeOf(parsePromQL('x + 1'))).toBe('vector');
    expect(typeOf(parsePromQL('x[5m]'))).toBe('matrix');
    expect(typeOf(parsePromQL('scalar(x)'))).toBe('scalar');
    expect(typeOf(parsePromQL('"s"'))).toBe('string');
  });

  it.each([
    ['sum(', '1:5: parse error: unexpected end of input'],
    ['1 +', '1:4: parse error: unexpected end of input'],
    ['foo(bar)', '1:1: parse error: unknown function with name "foo"'],
    [
      'rate(x)',
      '1:1: parse error: expected type range vector in call to function "rate", got instant vector',
    ],
    ['abs(x, y)', '1:1: parse error: expected 1 argument(s) in call to "abs", got 2'],
    ['round()', '1:1: parse error: expected at least 1 argument(s) in call to "round", got 0'],
    [
      'sum(x[5m])',
      '1:1: parse error: expected type instant vector in aggregation expression, got range vector',
    ],
    [
      'topk(x)',
      '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
    ],
    ['1 > 2', '1:1: parse error: comparisons between scalars must use BOOL modifier'],
    ['x + bool 1', '1:1: parse error: bool modifier can only be used on comparison operators'],
    ['1 and x', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    [
      'x[5m] + 1',
      '1:1: parse error: binary expression must contain only scalar and instant vector types',
    ],
    ['x + on(a) 1', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['x and on(a) group_left y', '1:1: parse error: no grouping allowed for "and" operation'],
    ['{x=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['(x)[5m]', '1:1: parse error: ranges only allowed for vector selectors'],
    [
      'x[5m][1h:]',
      '1:1: parse error: subquery is only allowed on instant vector, got range vector in "x[5m][1h:]" instead',
    ],
    [
      'sum(x) offset 5m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['x offset 1m offset 2m', '1:13: parse error: offset may not be set multiple times'],
    ['x{a=~"("}', '1:6: parse error: error parsing regexp: unterminated group in "("'],
    ['x\n  + )', '2:5: parse error: unexpected ")"'],
    ['"abc', '1:1: parse error: unterminated quoted string'],
    // Messages and positions as Debian's Prometheus 2.42 gave them for the same text.
    ['rate(up[0s])', '1:9: parse error: duration must be greater than 0'],
    ['rate(up[1m:0s])', '1:12: parse error: duration must be greater than 0'],
    ['up[5m:1m] offset 0s', '1:18: parse error: duration must be greater than 0'],
    ['up offset -0s', '1:12: parse error: duration must be greater than 0'],
    [
      'up @ 1e20',
      '1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000',
    ],
    [
      'rate(up[1m:1s] @ -9.3e18)',
      '1:6: parse error: timestamp out of bounds for @ modifier: -9300000000000000000.000000',
    ],
    ['up @ Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
    ['up @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN'],
  ])('rejects %j with a positioned error', (q, msg) => {
    expect(parseError(q)).toBe(msg);
  });
});

describe('parseSeriesSelector', () => {
  it('returns matchers of a selector', () => {
    expect(parseSeriesSelector('up{job="a"}')).toEqual([
      { name: '__name__', op: '=', value: 'up' },
      { name: 'job', op: '=', value: 'a' },
    ]);
  });

  it('rejects anything but a plain selector', () => {
    expect(() => parseSeriesSelector('rate(x[5m])')).toThrow(
      'expected type instant vector selector',
    );
    expect(() => parseSeriesSelector('x offset 5m')).toThrow(PromQLParseError);
  });
});

describe('postfix modifiers', () => {
  it('bind to the nearest operand, not the whole binary expression', () => {
    expect(parsePromQL('a + b offset 5m')).toMatchObject({
      type: 'BinaryExpr',
      lhs: { type: 'VectorSelector', offsetMs: 0 },
      rhs: { type: 'VectorSelector', offsetMs: 300_000 },
    });
    expect(parsePromQL('a @ start() + b @ end()')).toMatchObject({
      lhs: { at: { kind: 'start' } },
      rhs: { at: { kind: 'end' } },
    });
    // Read as a * (b[5m:1m]), which is a type error, not as (a * b)[5m:1m].
    expect(() => parsePromQL('a * b[5m:1m]')).toThrow(
      'binary expression must contain only scalar and instant vector types',
    );
    expect(parsePromQL('(a * b)[5m:1m]')).toMatchObject({
      type: 'SubqueryExpr',
      expr: { type: 'ParenExpr' },
    });
    expect(parsePromQL('-a offset 1m')).toMatchObject({
      type: 'UnaryExpr',
      expr: { offsetMs: 60_000 },
    });
    expect(parsePromQL('1 - 2 * c offset 1m')).toMatchObject({
      rhs: { rhs: { offsetMs: 60_000 } },
    });
    expect(() => parsePromQL('a + b[5m]')).toThrow(
      'binary expression must contain only scalar and instant vector types',
    );
  });
});

describe('holt_winters', () => {
  it('parses although lezer-promql only knows its Prometheus 3 name', () => {
    expect(parsePromQL('holt_winters(x[5m], 0.5, 0.5)')).toMatchObject({
      type: 'Call',
      func: 'holt_winters',
    });
    expect(parsePromQL('x{a="holt_winters("}')).toMatchObject({
      matchers: [{ value: 'x' }, { name: 'a', value: 'holt_winters(' }],
    });
  });

  it('reports positions in the text as written', () => {
    expect(() => parsePromQL('holt_winters(x[5m], 0.5, 0.5) + )')).toThrow(/^1:33: parse error: /);
    expect(() => parsePromQL('holt_winters(x, 0.5, 0.5)')).toThrow(
      '1:1: parse error: expected type range vector in call to function "holt_winters", got instant vector',
    );
  });
});
