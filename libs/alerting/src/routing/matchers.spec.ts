import {
  matches,
  matchesAll,
  matchersFromLabels,
  parseMatchers,
  printMatchers,
  toMatchers,
} from './matchers';

describe('matchers', () => {
  it('parses the four operators, quoted and bare values, with or without braces', () => {
    expect(parseMatchers('{a="b", c!="d", e=~"f|g", h!~"i.*"}')).toEqual([
      { name: 'a', type: '=', value: 'b' },
      { name: 'c', type: '!=', value: 'd' },
      { name: 'e', type: '=~', value: 'f|g' },
      { name: 'h', type: '!~', value: 'i.*' },
    ]);
    expect(parseMatchers('severity=critical,team = ops')).toEqual([
      { name: 'severity', type: '=', value: 'critical' },
      { name: 'team', type: '=', value: 'ops' },
    ]);
    expect(parseMatchers('{}')).toEqual([]);
  });

  it('round-trips escapes through print and parse', () => {
    const list = [{ name: 'msg', type: '=' as const, value: 'say "hi"\\now\nnext, then' }];
    expect(parseMatchers(printMatchers(list))).toEqual(list);
    expect(printMatchers([{ name: 'a', type: '=~', value: 'x|y' }])).toBe('{a=~"x|y"}');
  });

  it('rejects bad input with a message', () => {
    expect(() => parseMatchers('{a="b"')).toThrow('missing closing');
    expect(() => parseMatchers('1a="b"')).toThrow('label name');
    expect(() => parseMatchers('a~"b"')).toThrow('expected =');
    expect(() => parseMatchers('a="b')).toThrow('unterminated');
    expect(() => parseMatchers('a=~"("')).toThrow('invalid regular expression');
    expect(() => parseMatchers('a="b" c="d"')).toThrow('expected ","');
    expect(() => toMatchers([{ name: 'a', type: '==', value: 'b' }])).toThrow('invalid match type');
  });

  it('anchors regexes and treats a missing label as empty', () => {
    const [re] = parseMatchers('job=~"api"');
    expect(matches(re, { job: 'api' })).toBe(true);
    expect(matches(re, { job: 'api-2' })).toBe(false);
    expect(matches(parseMatchers('env=""')[0], {})).toBe(true);
    expect(matches(parseMatchers('env!=""')[0], {})).toBe(false);
    expect(matches(parseMatchers('env!~"prod|stage"')[0], { env: 'dev' })).toBe(true);
    expect(matchesAll(parseMatchers('a="1", b=~"2|3"'), { a: '1', b: '3' })).toBe(true);
    expect(matchesAll(parseMatchers('a="1", b=~"2|3"'), { a: '1', b: '4' })).toBe(false);
  });

  it('pre-fills equality matchers from an alert`s labels', () => {
    const m = matchersFromLabels({ job: 'api', alertname: 'Down' });
    expect(printMatchers(m)).toBe('{alertname="Down", job="api"}');
    expect(matchesAll(m, { job: 'api', alertname: 'Down', extra: 'x' })).toBe(true);
  });
});
