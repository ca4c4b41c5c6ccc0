import { formatDate, formatDateTime, safeNextPath } from './format';

describe('safeNextPath', () => {
  it.each([
    ['/settings/members', '/settings/members'],
    ['/settings/audit-log?action=apiKey.create', '/settings/audit-log?action=apiKey.create'],
    [undefined, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('turns %p into %p', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe('date formatting', () => {
  const iso = '2026-03-29T01:30:00.000Z';

  it('shows times in the person’s own time zone', () => {
    expect(formatDateTime(iso, 'Europe/Berlin')).toBe('29 Mar 2026, 03:30');
    expect(formatDateTime(iso, 'America/New_York')).toBe('28 Mar 2026, 21:30');
  });

  it('falls back to the runtime’s zone for a zone Intl does not know, instead of throwing', () => {
    expect(() => formatDateTime(iso, 'Mars/Olympus_Mons')).not.toThrow();
    expect(formatDate(iso, 'Not/AZone')).toMatch(/2026/);
  });

  it('shows a dash for missing values and echoes unparseable ones', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDate(undefined)).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
