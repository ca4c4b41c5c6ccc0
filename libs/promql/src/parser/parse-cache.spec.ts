import { PromQLParseError } from '../errors';
import { parsePromQLCached } from './parse-cache';
import { parsePromQL } from './parser';

describe('parsePromQLCached', () => {
  it('answers a text it has parsed with the same AST, equal to a fresh parse', () => {
    const text = 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m))';
    const first = parsePromQLCached(text);
    expect(parsePromQLCached(text)).toBe(first);
    expect(first).toEqual(parsePromQL(text));
  });

  it('freezes what it shares, so no caller can change the next query', () => {
    const ast = parsePromQLCached('max_over_time(node_cpu_temperature_celsius{instance="a"}[1h])');
    expect(ast.type).toBe('Call');
    if (ast.type !== 'Call' || ast.args[0].type !== 'MatrixSelector') throw new Error('shape');
    const selector = ast.args[0].vector;
    expect(() => {
      (selector as { offsetMs: number }).offsetMs = 5;
    }).toThrow(TypeError);
    expect(() => selector.matchers.push({ name: 'x', op: '=', value: 'y' })).toThrow(TypeError);
    expect(() => {
      (selector.matchers[0] as { value: string }).value = 'b';
    }).toThrow(TypeError);
  });

  it('keeps no syntax error: each call throws the parser error afresh', () => {
    expect(() => parsePromQLCached('sum(rate(x[5m])')).toThrow(PromQLParseError);
    expect(() => parsePromQLCached('sum(rate(x[5m])')).toThrow(PromQLParseError);
  });

  it('parses a very long text every time rather than keep it', () => {
    const text = `up{job="${'a'.repeat(5000)}"}`;
    expect(parsePromQLCached(text)).not.toBe(parsePromQLCached(text));
  });
});
