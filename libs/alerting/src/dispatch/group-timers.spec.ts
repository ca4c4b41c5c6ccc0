import { firstFlushAt, needsUpdate, nextFlushAt } from './group-timers';

describe('group timers', () => {
  it('waits group_wait for a new group, and keeps the interval rhythm of a recent one', () => {
    expect(firstFlushAt(1000, 30_000, null, 300_000)).toBe(31_000);
    expect(firstFlushAt(1000, 0, null, 300_000)).toBe(1000);
    expect(firstFlushAt(100_000, 0, 90_000, 60_000)).toBe(150_000);
    expect(firstFlushAt(500_000, 0, 90_000, 60_000)).toBe(500_000);
  });

  it('ticks every group_interval, earlier when a mute ends before the tick', () => {
    expect(nextFlushAt(10_000, 60_000, [])).toBe(70_000);
    expect(nextFlushAt(10_000, 60_000, [40_000, 50_000])).toBe(40_000);
    expect(nextFlushAt(10_000, 60_000, [5_000, 90_000])).toBe(70_000);
  });

  it('follows Alertmanager`s needsUpdate', () => {
    const s = (...x: string[]) => new Set(x);
    expect(needsUpdate(null, s('a'), s(), 0, 1000, true)).toBe(true);
    expect(needsUpdate(null, s(), s('a'), 0, 1000, true)).toBe(false);
    const entry = { firing: ['a', 'b'], resolved: [], sentAt: 10_000 };
    expect(needsUpdate(entry, s('a', 'b'), s(), 10_500, 1000, true)).toBe(false);
    expect(needsUpdate(entry, s('a', 'b'), s(), 11_000, 1000, true)).toBe(true); // repeat_interval passed
    expect(needsUpdate(entry, s('a', 'c'), s(), 10_500, 1000, true)).toBe(true); // new firing alert
    expect(needsUpdate(entry, s('a'), s('b'), 10_500, 1000, true)).toBe(true); // b resolved
    expect(needsUpdate(entry, s('a'), s('b'), 10_500, 1000, false)).toBe(false); // send_resolved off
    expect(needsUpdate(entry, s(), s('a', 'b'), 10_500, 1000, false)).toBe(true); // all resolved
    expect(
      needsUpdate({ firing: [], resolved: ['a'], sentAt: 0 }, s(), s('x'), 10_500, 1000, true),
    ).toBe(false);
  });
});
