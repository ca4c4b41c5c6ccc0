import { computeFinalSchedule, layerSlots, onCallAt, restrictionWindows } from './schedule-math';
import type { Layer } from './schedule.types';
import { levelForStep } from '../escalation/policy.types';
import { quietDelayMs } from '../people/people.service';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const iso = (d: Date) => d.toISOString();
const H = 3_600_000;

function layer(over: Partial<Layer>): Layer {
  return {
    name: '',
    users: [A, B],
    rotation: 'daily',
    every: 1,
    start: '2026-03-01T09:00',
    restrictions: [],
    ...over,
  };
}

describe('schedule math across DST', () => {
  it('keeps a 09:00 daily handoff at 09:00 local over New York spring-forward (a 23-hour turn)', () => {
    const slots = computeFinalSchedule({
      timeZone: 'America/New_York',
      layers: [layer({ start: '2026-03-06T09:00' })],
      overrides: [],
      from: new Date('2026-03-07T00:00:00Z'),
      to: new Date('2026-03-10T00:00:00Z'),
    });
    // 3/6 09:00 EST = 14:00Z (A), 3/7 09:00 EST = 14:00Z (B), 3/8 09:00 EDT = 13:00Z (A), 3/9 13:00Z (B).
    expect(slots.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      [A, '2026-03-07T00:00:00.000Z', '2026-03-07T14:00:00.000Z'],
      [B, '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z'],
      [A, '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z'],
      [B, '2026-03-09T13:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
    expect(slots[1].end.getTime() - slots[1].start.getTime()).toBe(23 * H);
  });

  it('gives New York fall-back a 25-hour turn', () => {
    const slots = computeFinalSchedule({
      timeZone: 'America/New_York',
      layers: [layer({ start: '2026-10-30T09:00' })],
      overrides: [],
      from: new Date('2026-10-31T13:00:00Z'),
      to: new Date('2026-11-02T14:00:00Z'),
    });
    expect(slots.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      [B, '2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z'],
      [A, '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z'],
    ]);
  });

  it('hands a weekly Berlin rotation over at Monday 10:00 local on both sides of spring-forward and fall-back', () => {
    const l = layer({ rotation: 'weekly', start: '2026-03-23T10:00', users: [A, B, C] });
    const spring = layerSlots(
      l,
      'Europe/Berlin',
      new Date('2026-03-23T00:00:00Z'),
      new Date('2026-04-07T00:00:00Z'),
    );
    expect(spring.map((s) => [s.userId, iso(new Date(s.start))])).toEqual([
      [A, '2026-03-23T09:00:00.000Z'],
      [B, '2026-03-30T08:00:00.000Z'],
      [C, '2026-04-06T08:00:00.000Z'],
    ]);
    // 2026-10-19 is turn 30 (30 weeks after 3/23): 30 % 3 = 0 → A; fall-back is on 10/25.
    const fall = layerSlots(
      l,
      'Europe/Berlin',
      new Date('2026-10-19T12:00:00Z'),
      new Date('2026-10-27T00:00:00Z'),
    );
    expect(fall.map((s) => [s.userId, iso(new Date(s.start)), iso(new Date(s.end))])).toEqual([
      [A, '2026-10-19T12:00:00.000Z', '2026-10-26T09:00:00.000Z'],
      [B, '2026-10-26T09:00:00.000Z', '2026-10-27T00:00:00.000Z'],
    ]);
  });

  it('counts hourly rotations in elapsed hours, not wall-clock hours', () => {
    const l = layer({ rotation: 'hours', every: 12, start: '2026-03-28T21:00' });
    const slots = layerSlots(
      l,
      'Europe/Berlin',
      new Date('2026-03-28T20:00:00Z'),
      new Date('2026-03-30T08:00:00Z'),
    );
    for (const s of slots.slice(0, -1)) expect(s.end - s.start).toBe(12 * H);
    expect(iso(new Date(slots[1].start))).toBe('2026-03-29T08:00:00.000Z');
  });

  it('restricts a layer to weekday office hours in local time on both sides of the Berlin change', () => {
    const w = restrictionWindows(
      [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
      'Europe/Berlin',
      Date.parse('2026-03-27T00:00:00Z'),
      Date.parse('2026-03-31T00:00:00Z'),
    );
    expect(w.map(([s, e]) => [iso(new Date(s)), iso(new Date(e))])).toEqual([
      ['2026-03-27T08:00:00.000Z', '2026-03-27T16:00:00.000Z'],
      ['2026-03-30T07:00:00.000Z', '2026-03-30T15:00:00.000Z'],
    ]);
  });

  it('runs a restriction past midnight when its end is before its start, including the night that loses an hour', () => {
    const w = restrictionWindows(
      [{ start: '22:00', end: '06:00' }],
      'America/New_York',
      Date.parse('2026-03-07T12:00:00Z'),
      Date.parse('2026-03-08T23:00:00Z'),
    );
    // 3/7 22:00 EST = 03:00Z on 3/8, until 3/8 06:00 EDT = 10:00Z: seven hours, not eight.
    expect(w.map(([s, e]) => [iso(new Date(s)), iso(new Date(e))])).toEqual([
      ['2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z'],
    ]);
  });
});

describe('layers and overrides', () => {
  const base = {
    timeZone: 'Europe/Berlin',
    from: new Date('2026-06-01T00:00:00Z'),
    to: new Date('2026-06-02T00:00:00Z'),
  };

  it('an override wins over every layer for its span only', () => {
    const slots = computeFinalSchedule({
      ...base,
      layers: [layer({ users: [A], start: '2026-05-01T00:00' })],
      overrides: [
        {
          userId: C,
          start: new Date('2026-06-01T10:00:00Z'),
          end: new Date('2026-06-01T12:00:00Z'),
        },
      ],
    });
    expect(slots.map((s) => [s.userId, s.source, iso(s.start), iso(s.end)])).toEqual([
      [A, 'layer', '2026-06-01T00:00:00.000Z', '2026-06-01T10:00:00.000Z'],
      [C, 'override', '2026-06-01T10:00:00.000Z', '2026-06-01T12:00:00.000Z'],
      [A, 'layer', '2026-06-01T12:00:00.000Z', '2026-06-02T00:00:00.000Z'],
    ]);
    expect(
      onCallAt(
        {
          ...base,
          layers: [layer({ users: [A], start: '2026-05-01T00:00' })],
          overrides: [
            {
              userId: C,
              start: new Date('2026-06-01T10:00:00Z'),
              end: new Date('2026-06-01T12:00:00Z'),
            },
          ],
        },
        new Date('2026-06-01T11:00:00Z'),
      ),
    ).toBe(C);
  });

  it('a later layer wins only where its restrictions put someone on call', () => {
    const slots = computeFinalSchedule({
      ...base,
      layers: [
        layer({ users: [A], start: '2026-05-01T00:00' }),
        layer({
          users: [B],
          start: '2026-05-01T00:00',
          restrictions: [{ start: '09:00', end: '17:00' }],
        }),
      ],
      overrides: [],
    });
    // Berlin is UTC+2 in June.
    expect(slots.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      [A, '2026-06-01T00:00:00.000Z', '2026-06-01T07:00:00.000Z'],
      [B, '2026-06-01T07:00:00.000Z', '2026-06-01T15:00:00.000Z'],
      [A, '2026-06-01T15:00:00.000Z', '2026-06-02T00:00:00.000Z'],
    ]);
  });

  it('has nobody on call before a layer starts', () => {
    expect(
      onCallAt(
        { timeZone: 'UTC', layers: [layer({ start: '2026-06-01T00:00' })], overrides: [] },
        new Date('2026-05-31T23:59:59Z'),
      ),
    ).toBeNull();
    expect(
      onCallAt(
        { timeZone: 'UTC', layers: [layer({ start: '2026-06-01T00:00' })], overrides: [] },
        new Date('2026-06-03T12:00:00Z'),
      ),
    ).toBe(A);
  });
});

describe('escalation repeat counts', () => {
  const levels = [
    { delaySeconds: 60, targets: [{ type: 'user' as const, id: A }] },
    { delaySeconds: 60, targets: [{ type: 'user' as const, id: B }] },
  ];
  it('walks the levels repeatCount + 1 times and then stops', () => {
    const steps = [0, 1, 2, 3, 4].map((s) => levelForStep({ levels, repeatCount: 1 }, s));
    expect(steps.map((s) => s && [s.index, s.pass])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      null,
    ]);
    expect(levelForStep({ levels, repeatCount: 0 }, 2)).toBeNull();
  });
});

describe('quiet hours', () => {
  it("delays until the end of quiet hours in the person's zone, across midnight", () => {
    // 23:30 in New York (EST) on 2026-01-10 = 04:30Z on 1/11; quiet 22:00–07:00 ends at 12:00Z.
    expect(
      quietDelayMs('22:00', '07:00', 'America/New_York', new Date('2026-01-11T04:30:00Z')),
    ).toBe(7.5 * H);
    expect(
      quietDelayMs('22:00', '07:00', 'America/New_York', new Date('2026-01-11T15:00:00Z')),
    ).toBe(0);
    expect(quietDelayMs(null, null, 'UTC', new Date())).toBe(0);
  });
});
