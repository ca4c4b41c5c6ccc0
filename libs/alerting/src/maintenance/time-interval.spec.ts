import { activeUntil, compileInterval, isActive } from './time-interval';

const t = (iso: string) => Date.parse(iso);

describe('time intervals', () => {
  const office = compileInterval({
    timeZone: 'Europe/Berlin',
    weekdays: ['monday:friday'],
    times: [{ start: '09:00', end: '17:00' }],
  });

  it('keeps local wall-clock times across the DST change (Europe/Berlin, 29 March 2026)', () => {
    // Winter (UTC+1): 07:30Z is 08:30 local, 08:30Z is 09:30 local.
    expect(isActive(office, t('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isActive(office, t('2026-03-27T08:30:00Z'))).toBe(true);
    // Summer (UTC+2): 07:30Z is 09:30 local.
    expect(isActive(office, t('2026-03-30T07:30:00Z'))).toBe(true);
    expect(isActive(office, t('2026-03-30T06:30:00Z'))).toBe(false);
    expect(activeUntil(office, t('2026-03-30T07:30:00Z'))).toBe(t('2026-03-30T15:00:00Z'));
    expect(activeUntil(office, t('2026-03-27T08:30:00Z'))).toBe(t('2026-03-27T16:00:00Z'));
    // Saturday is not a weekday of the window.
    expect(isActive(office, t('2026-03-28T10:00:00Z'))).toBe(false);
  });

  it('a night window over the night the clocks go back lasts its wall-clock span (America/New_York)', () => {
    const night = compileInterval({
      timeZone: 'America/New_York',
      weekdays: ['sunday'],
      times: [{ start: '00:00', end: '03:00' }],
    });
    // 1 Nov 2026: 00:00 EDT = 04:00Z; 03:00 EST = 08:00Z — four real hours.
    expect(activeUntil(night, t('2026-11-01T04:30:00Z'))).toBe(t('2026-11-01T08:00:00Z'));
    expect(isActive(night, t('2026-11-01T07:30:00Z'))).toBe(true);
    expect(isActive(night, t('2026-11-01T08:00:00Z'))).toBe(false);
  });

  it('joins adjacent whole days and one-off ranges', () => {
    const weekend = compileInterval({ timeZone: 'UTC', weekdays: ['saturday:sunday'] });
    expect(activeUntil(weekend, t('2026-11-28T10:00:00Z'))).toBe(t('2026-11-30T00:00:00Z'));
    const once = compileInterval({
      ranges: [{ startsAt: '2026-11-26T20:00:00Z', endsAt: '2026-11-26T22:00:00Z' }],
    });
    expect(isActive(once, t('2026-11-26T21:00:00Z'))).toBe(true);
    expect(activeUntil(once, t('2026-11-26T21:00:00Z'))).toBe(t('2026-11-26T22:00:00Z'));
    expect(activeUntil(once, t('2026-11-26T22:00:00Z'))).toBeNull();
  });

  it('rejects bad zones, days and times', () => {
    expect(() => compileInterval({ timeZone: 'Mars/Olympus', weekdays: ['monday'] })).toThrow(
      'unknown time zone',
    );
    expect(() => compileInterval({ weekdays: ['funday'] })).toThrow('unknown weekday');
    expect(() => compileInterval({ times: [{ start: '10:00', end: '09:00' }] })).toThrow(
      'must end after',
    );
    expect(() => compileInterval({ times: [{ start: '9am', end: '10:00' }] })).toThrow('HH:MM');
    expect(() => compileInterval({})).toThrow('needs weekdays');
  });
});
