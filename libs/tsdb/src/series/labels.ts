import { createHash } from 'node:crypto';
import type { Labels } from '../model';
import { TsdbInputError } from '../tsdb.errors';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A label set's identity: sorted pairs as `name=<value length>:<value>`. Names cannot contain
 * '=' and the length says exactly where a value ends, so no value (whatever characters it
 * holds) can make two distinct sets collide. Empty values are dropped, as Prometheus treats
 * an empty label as an absent one.
 */
export function canonicalLabels(labels: Labels): string {
  if (labels === null || typeof labels !== 'object')
    throw new TsdbInputError('labels must be an object');
  // Ingest's validator hands the same frozen labels object for a label set in every request
  // (its decoder memo). Reusing the string also makes the series-id cache's lookup an identity
  // hit instead of hashing and comparing a fresh string of a few hundred characters.
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const known = canonicalOfFrozen.get(labels);
    if (known !== undefined) return known;
  }
  const out = buildCanonical(labels);
  if (frozen) canonicalOfFrozen.set(labels, out);
  return out;
}

const canonicalOfFrozen = new WeakMap<Labels, string>();

function buildCanonical(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let out = '';
  for (const name of names) {
    const value = labels[name];
    if (typeof value !== 'string') throw new TsdbInputError(`label ${name} must be a string`);
    if (value === '') continue;
    if (!LABEL_NAME.test(name))
      throw new TsdbInputError(`invalid label name ${JSON.stringify(name)}`);
    out += `${name}=${value.length}:${value}`;
  }
  if (!labels.__name__) throw new TsdbInputError('a series needs a non-empty __name__ label');
  return out;
}

/** 16 bytes of SHA-256 over the canonical form: the `series.hash` column. */
export function labelsHash(canonical: string): Buffer {
  return createHash('sha256').update(canonical).digest().subarray(0, 16);
}

/** Splits into the `metric` column and the `labels` jsonb (without `__name__`, empties dropped). */
export function splitLabels(labels: Labels): { metric: string; rest: Labels } {
  const rest: Labels = {};
  for (const name of Object.keys(labels).sort()) {
    if (name !== '__name__' && labels[name] !== '') rest[name] = labels[name];
  }
  return { metric: labels.__name__, rest };
}

export function joinLabels(metric: string, rest: Labels): Labels {
  // In Prometheus' order, by name (what its API answers show): jsonb keeps keys shortest first.
  const names = Object.keys(rest);
  names.push('__name__');
  names.sort();
  const out: Labels = {};
  for (const n of names) out[n] = n === '__name__' ? metric : rest[n];
  return out;
}
