import { TsdbInputError } from '../tsdb.errors';
import { literalAlternatives, re2ToPostgres } from './re2-to-postgres';

describe('re2ToPostgres', () => {
  it('anchors fully, as Prometheus does', () => {
    expect(re2ToPostgres('a|b')).toBe('^(?:a|b)$');
    expect(re2ToPostgres('')).toBe('^(?:)$');
  });

  it('rewrites the escapes whose meaning differs between RE2 and ARE', () => {
    expect(re2ToPostgres('\\bfoo\\B')).toBe('^(?:\\yfoo\\Y)$');
    expect(re2ToPostgres('x\\z')).toBe('^(?:x\\Z)$');
    expect(re2ToPostgres('\\x41\\x{1F600}')).toBe('^(?:\\u0041\\U0001f600)$');
    expect(re2ToPostgres('\\Qa.b*\\E+')).toBe('^(?:a\\.b\\*+)$');
    expect(re2ToPostgres('\\d+\\.\\w\\s')).toBe('^(?:\\d+\\.\\w\\s)$');
  });

  it('moves leading flags before the anchor and drops named-group names', () => {
    expect(re2ToPostgres('(?i)abc')).toBe('(?i)^(?:abc)$');
    expect(re2ToPostgres('(?s)a.b')).toBe('^(?:a.b)$');
    expect(re2ToPostgres('(?P<x>a)(?<y>b)(?:c)')).toBe('^(?:(a)(b)(?:c))$');
  });

  it('keeps bracket expressions, escaping what ARE would read as collating syntax', () => {
    expect(re2ToPostgres('[[:alpha:]_]+')).toBe('^(?:[[:alpha:]_]+)$');
    expect(re2ToPostgres('[]a]')).toBe('^(?:[\\]a])$');
    expect(re2ToPostgres('[a[.]')).toBe('^(?:[a\\[.])$');
    expect(re2ToPostgres('[^\\d]')).toBe('^(?:[^\\d])$');
  });

  it('refuses what would silently mean something else or what RE2 rejects', () => {
    for (const re of [
      '(a)\\1',
      '(?=a)',
      '(?!a)',
      '\\pL',
      '\\p{Greek}',
      'a(?i)b',
      '(?m)^a',
      '\\m',
      '[a',
      'a\\',
      '\\x{zz}',
    ]) {
      expect(() => re2ToPostgres(re)).toThrow(TsdbInputError);
    }
  });

  it('recognises plain literal alternations', () => {
    expect(literalAlternatives('api|web-1|node_exporter')).toEqual([
      'api',
      'web-1',
      'node_exporter',
    ]);
    expect(literalAlternatives('a.b')).toBeNull();
    expect(literalAlternatives('a|')).toEqual(['a', '']);
  });
});
