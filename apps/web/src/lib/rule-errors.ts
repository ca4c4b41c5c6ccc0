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

/**
 * Why a `severity` label row cannot go with the builder's condition, or null. Rule labels
 * overwrite the query's (as in Prometheus), so the row would silently replace the severity the
 * condition computes — both warning and critical alerts of a threshold would carry the row's.
 */
export function severityLabelConflict(
  condition: { kind: string; severity: string } | null,
  labels: Record<string, string>,
): string | null {
  if (!condition || !('severity' in labels)) return null;
  if (condition.kind === 'threshold')
    return 'labels: the threshold sets "severity" itself (warning or critical by level); a severity row would overwrite it on every alert. Remove the row, or write the rule in PromQL.';
  if (condition.severity.trim())
    return 'labels: "severity" is set twice, by "Severity label" and by a row; keep one.';
  return null;
}
