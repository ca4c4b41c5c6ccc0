import {
  formatAgo,
  formatDuration,
  formatHeaders,
  formatInterval,
  formatLabels,
  parseHeaders,
  parseLabels,
  parseList,
  parseStatusList,
} from './probes';

describe('probe form parsers', () => {
  it('reads headers one per line and round-trips them', () => {
    const parsed = parseHeaders('X-Token: abc\n\n Accept : text/plain \nAuthorization: Bearer a:b');
    expect(parsed).toEqual({
      'X-Token': 'abc',
      Accept: 'text/plain',
      Authorization: 'Bearer a:b',
    });
    expect(parseHeaders(formatHeaders(parsed as Record<string, string>))).toEqual(parsed);
    expect(parseHeaders('no colon here')).toBe('Header line 1 needs the form "Name: value".');
    expect(parseHeaders(': value')).toMatch(/line 1/);
  });

  it('reads expected statuses, or nothing for any 2xx', () => {
    expect(parseStatusList('200, 301 404')).toEqual([200, 301, 404]);
    expect(parseStatusList('  ')).toBeUndefined();
    expect(parseStatusList('200, 99')).toBe('"99" is not an HTTP status (100–599).');
    expect(parseStatusList('2xx')).toMatch(/"2xx"/);
  });

  it('reads lists and labels', () => {
    expect(parseList('a\nb, c\n\n')).toEqual(['a', 'b', 'c']);
    const labels = parseLabels('env=prod\nteam="db"');
    expect(labels).toEqual({ env: 'prod', team: 'db' });
    expect(parseLabels(formatLabels(labels as Record<string, string>))).toEqual(labels);
    expect(parseLabels('')).toEqual({});
    expect(parseLabels('1bad=x')).toMatch(/Prometheus label name/);
    expect(parseLabels('novalue')).toMatch(/name=value/);
  });
});

describe('probe formatting', () => {
  it('formats intervals and durations', () => {
    expect(formatInterval(30)).toBe('30 s');
    expect(formatInterval(300)).toBe('5 min');
    expect(formatInterval(7200)).toBe('2 h');
    expect(formatInterval(90)).toBe('90 s');
    expect(formatInterval(null)).toBe('—');
    expect(formatDuration(0.0123)).toBe('12 ms');
    expect(formatDuration(1.5)).toBe('1.50 s');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('2026-11-27T11:59:58Z', now)).toBe('just now');
    expect(formatAgo('2026-11-27T11:59:18Z', now)).toBe('42 s ago');
    expect(formatAgo('2026-11-27T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-11-27T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2026-11-25T12:00:00Z', now)).toBe('2 d ago');
    expect(formatAgo('2026-11-27T12:05:00Z', now)).toBe('in 5 min');
  });
});
