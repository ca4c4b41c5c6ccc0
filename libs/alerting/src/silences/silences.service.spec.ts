import { silenceState } from './silences.service';

describe('silenceState', () => {
  const d = (iso: string) => new Date(iso);
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('follows from the clock alone, so silences expire without a job', () => {
    expect(
      silenceState({ startsAt: d('2026-11-26T11:00:00Z'), endsAt: d('2026-11-26T13:00:00Z') }, now),
    ).toBe('active');
    expect(
      silenceState({ startsAt: d('2026-11-26T12:30:00Z'), endsAt: d('2026-11-26T13:00:00Z') }, now),
    ).toBe('pending');
    expect(
      silenceState({ startsAt: d('2026-11-26T10:00:00Z'), endsAt: d('2026-11-26T12:00:00Z') }, now),
    ).toBe('expired');
  });
});
