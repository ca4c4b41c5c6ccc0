import { createHash } from 'node:crypto';

/** A stable id of a label set: the same labels in any order give the same fingerprint. */
export function fingerprintOf(labels: Record<string, string>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(labels).sort()) {
    h.update(k);
    h.update('\xff');
    h.update(labels[k]);
    h.update('\xff');
  }
  return h.digest('hex').slice(0, 16);
}
