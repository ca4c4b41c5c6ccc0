import type { Labels } from '@tocsin/tsdb';

const SEP = '\xff';

/** A canonical string key of a label set (names sorted), for hashing and equality. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) key += n + SEP + labels[n] + SEP;
  return key;
}

export function dropMetricName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const out = { ...labels };
  delete out.__name__;
  return out;
}

/** Key of the labels listed in `names` (on(...) / by(...)); missing labels count as empty. */
export function keyOn(labels: Labels, names: string[]): string {
  const sorted = [...names].sort();
  let key = '';
  for (const n of sorted) key += n + SEP + (labels[n] ?? '') + SEP;
  return key;
}

/** Key of all labels except `names` and `__name__` (ignoring(...) / without(...)). */
export function keyWithout(labels: Labels, names: string[]): string {
  const skip = new Set(names);
  skip.add('__name__');
  const kept: Labels = {};
  for (const [n, v] of Object.entries(labels)) if (!skip.has(n)) kept[n] = v;
  return labelsKey(kept);
}

export function keepOnly(labels: Labels, names: string[]): Labels {
  const out: Labels = {};
  for (const n of names) if (labels[n] !== undefined && labels[n] !== '') out[n] = labels[n];
  return out;
}

export function without(labels: Labels, names: string[]): Labels {
  const skip = new Set(names);
  const out: Labels = {};
  for (const [n, v] of Object.entries(labels)) if (!skip.has(n)) out[n] = v;
  return out;
}

/** Prometheus' label-set order: lexicographic over sorted (name, value) pairs. */
export function compareLabels(a: Labels, b: Labels): number {
  return compareNamed(a, Object.keys(a).sort(), b, Object.keys(b).sort());
}

function compareNamed(a: Labels, an: string[], b: Labels, bn: string[]): number {
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    if (an[i] !== bn[i]) return an[i] < bn[i] ? -1 : 1;
    const av = a[an[i]];
    const bv = b[bn[i]];
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}

/**
 * `items` in compareLabels order, each label set's names sorted once rather than on every
 * comparison (sorting 40 series made compareLabels sort ~400 name lists per query).
 */
export function sortByLabels<T extends { labels: Labels }>(items: T[]): T[] {
  const keyed = items.map((item) => ({ item, names: Object.keys(item.labels).sort() }));
  keyed.sort((x, y) => compareNamed(x.item.labels, x.names, y.item.labels, y.names));
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i].item;
  return items;
}

export function formatLabels(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}
