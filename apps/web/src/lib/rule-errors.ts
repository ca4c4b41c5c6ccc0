/** The rule editor's fields an api validation message can be about. */
export type RuleField =
  'for' | 'keepFiringFor' | 'labels' | 'summary' | 'description' | 'runbook_url' | 'annotations';

const NAMED_ANNOTATIONS = ['summary', 'description', 'runbook_url'] as const;

/**
 * Which field a BAD_USER_INPUT message from the rule api (libs/alerting rule.types.ts) is about,
 * so the form can show it next to that field; null for the rest (query, name, …).
 */
export function ruleFieldOf(message: string): RuleField | null {
  if (/^for "/.test(message)) return 'for';
  if (/^keep_firing_for "/.test(message)) return 'keepFiringFor';
  if (message.startsWith('labels:')) return 'labels';
  if (message.startsWith('annotations:')) {
    const key = /"([^"]*)"/.exec(message)?.[1];
    return NAMED_ANNOTATIONS.find((k) => k === key) ?? 'annotations';
  }
  return null;
}
