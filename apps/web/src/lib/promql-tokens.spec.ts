import { caretContext, tokenize } from './promql-tokens';

describe('tokenize', () => {
  it('tells functions, keywords, numbers and strings apart', () => {
    const kinds = tokenize('sum by (job) (rate(http_requests_total{code="500"}[5m])) > 0.5')
      .filter((t) => t.kind !== 'other')
      .map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual([
      'kw:sum',
      'kw:by',
      'ident:job',
      'fn:rate',
      'ident:http_requests_total',
      'ident:code',
      'str:"500"',
      'num:5m',
      'num:0.5',
    ]);
  });
  it('round-trips the text', () => {
    const text = 'up{job=~"a|b"} offset 5m';
    expect(
      tokenize(text)
        .map((t) => t.text)
        .join(''),
    ).toBe(text);
  });
});

describe('caretContext', () => {
  it('suggests metric names for a bare word', () => {
    expect(caretContext('rate(http_re', 12)).toEqual({
      kind: 'metric',
      prefix: 'http_re',
      start: 5,
    });
  });
  it('suggests label names inside braces and after by (', () => {
    expect(caretContext('up{jo', 5)).toMatchObject({ kind: 'label', prefix: 'jo' });
    expect(caretContext('up{job="a", inst', 16)).toMatchObject({ kind: 'label', prefix: 'inst' });
    expect(caretContext('sum by (jo', 10)).toMatchObject({ kind: 'label', prefix: 'jo' });
  });
  it('suggests nothing inside a value or a string', () => {
    expect(caretContext('up{job=', 7).kind).toBe('none');
    expect(caretContext('up{job="ap', 10).kind).toBe('none');
  });
});
