import { alignedInstant, evaluationPhase, tickDueAt } from './evaluation-scheduler.service';

describe('evaluation phases', () => {
  const ids = [
    '6f1c2a52-4d4e-4c36-9a39-0b8f0a0c1d11',
    '0a7e0a3b-5f0e-4b5d-8d3c-5c1f8c2b9e22',
    'f3b5c1d2-9a8e-47f6-b1a2-3c4d5e6f7a33',
  ];

  it('gives each group a stable phase inside its interval, never 0', () => {
    for (const id of ids) {
      const p = evaluationPhase(id, 15_000);
      expect(p).toBe(evaluationPhase(id, 15_000));
      expect(p).toBeGreaterThanOrEqual(1);
      expect(p).toBeLessThan(15_000);
    }
    // Groups spread over the interval rather than sharing one instant.
    expect(new Set(ids.map((id) => evaluationPhase(id, 15_000))).size).toBe(ids.length);
  });

  it('aligns an instant down to phase + k × interval', () => {
    const id = ids[0];
    const p = evaluationPhase(id, 60_000);
    const tick = 1_800_000_000_000 - (1_800_000_000_000 % 60_000) + p;
    expect(alignedInstant(id, 60_000, tick)).toBe(tick);
    expect(alignedInstant(id, 60_000, tick + 59_999)).toBe(tick);
    expect(alignedInstant(id, 60_000, tick + 60_000)).toBe(tick + 60_000);
    expect(alignedInstant(id, 60_000, tick - 1)).toBe(tick - 60_000);
  });

  it("reads a scheduler tick's due instant from its job id only", () => {
    expect(tickDueAt(`repeat:group-${ids[1]}:1800000004321`)).toBe(1_800_000_004_321);
    expect(tickDueAt(`trigger-${ids[1]}-1800000004321`)).toBeNull();
    expect(tickDueAt('repeat:outbox-sweep:1800000004321')).toBeNull();
    expect(tickDueAt(undefined)).toBeNull();
  });
});
