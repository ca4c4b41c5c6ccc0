import { z } from 'zod';

export const targetSchema = z.object({
  type: z.enum(['user', 'schedule', 'channel']),
  id: z.string().uuid(),
});

/** A level pages its targets, then waits `delaySeconds` for an acknowledgement before the next level. */
export const levelSchema = z.object({
  delaySeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600),
  targets: z.array(targetSchema).min(1, 'a level needs at least one target').max(50),
});

export const levelsSchema = z
  .array(levelSchema)
  .min(1, 'a policy needs at least one level')
  .max(20);

export type EscalationTarget = z.infer<typeof targetSchema>;
export type EscalationLevel = z.infer<typeof levelSchema>;

/** What an incident keeps of its policy when it opens: later edits do not change a page in flight. */
export interface PolicySnapshot {
  policyId: string;
  name: string;
  levels: EscalationLevel[];
  /** How many more times the whole list of levels runs after the first pass. */
  repeatCount: number;
}

/** The level that escalation step `step` pages, or null once every pass is done. */
export function levelForStep(
  snapshot: Pick<PolicySnapshot, 'levels' | 'repeatCount'>,
  step: number,
): { level: EscalationLevel; index: number; pass: number } | null {
  const n = snapshot.levels.length;
  if (step < 0 || n === 0 || step >= n * (snapshot.repeatCount + 1)) return null;
  return { level: snapshot.levels[step % n], index: step % n, pass: Math.floor(step / n) };
}
