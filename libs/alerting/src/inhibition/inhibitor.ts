import { matchesAll, type Matcher } from '../routing/matchers';

export interface InhibitRule {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

export interface FiringAlert {
  fingerprint: string;
  labels: Record<string, string>;
}

export interface InhibitHit {
  rule: number;
  sourceFingerprint: string;
}

/**
 * Alertmanager's inhibition: a target is muted when some firing source alert matches the rule's
 * source matchers and has the same values for the `equal` labels (a missing label equals the
 * empty string). When the target also matches the source side, sources that also match the
 * target side are skipped, so an alert never inhibits itself or its peers of the same kind.
 */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  firing: readonly FiringAlert[],
  target: FiringAlert,
): InhibitHit | null {
  for (const [i, rule] of rules.entries()) {
    if (!matchesAll(rule.target, target.labels)) continue;
    const twoSided = matchesAll(rule.source, target.labels);
    for (const s of firing) {
      if (s.fingerprint === target.fingerprint) continue;
      if (!matchesAll(rule.source, s.labels)) continue;
      if (!rule.equal.every((n) => (s.labels[n] ?? '') === (target.labels[n] ?? ''))) continue;
      if (twoSided && matchesAll(rule.target, s.labels)) continue;
      return { rule: i, sourceFingerprint: s.fingerprint };
    }
  }
  return null;
}
