import { seriesOfColumns, type Labels, type SeriesColumns, type SeriesMemo } from '@tocsin/tsdb';
import { IngestErrorId } from '../ingest.errors';
import type {
  DecodedBatch,
  IngestLimits,
  IngestSeries,
  MetricMetadata,
  RawBatch,
  RawColumns,
  RawSeries,
  RejectedSeries,
} from '../ingest.types';

const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Names repeat across series and requests; remembering the valid ones skips most regex runs.
// Bounded so a tenant sending random names cannot grow it without limit.
const MAX_CACHED_NAMES = 10_000;
const validLabelNames = new Set<string>();
const validMetricNames = new Set<string>();

function remember(set: Set<string>, name: string): void {
  if (set.size >= MAX_CACHED_NAMES) set.clear();
  set.add(name);
}

function isValidLabelName(name: string): boolean {
  if (validLabelNames.has(name)) return true;
  if (!LABEL_NAME_RE.test(name)) return false;
  remember(validLabelNames, name);
  return true;
}

function isValidMetricName(name: string): boolean {
  if (validMetricNames.has(name)) return true;
  if (!METRIC_NAME_RE.test(name)) return false;
  remember(validMetricNames, name);
  return true;
}

/**
 * A labels object from name/value pairs. A plain object keeps the tsdb side simple; `__proto__`
 * is a valid label name, so it is defined rather than assigned (assignment would set the
 * prototype).
 */
export function labelsFromPairs(names: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '__proto__') {
      Object.defineProperty(labels, '__proto__', {
        value: values[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else labels[names[i]] = values[i];
  }
  return labels;
}

export interface ValidationResult {
  batch: DecodedBatch;
  rejected: RejectedSeries[];
  /** Samples dropped by validation (whole series or single samples). */
  rejectedSamples: number;
}

interface Pending {
  labelNames: string[];
  labelValues: string[];
  labels: Labels;
  memo: SeriesMemo | undefined;
  timestamps: Float64Array;
  values: Float64Array;
  /** Further parts with these labels in the request (rare), merged at the end. */
  more: { timestamps: Float64Array[]; values: Float64Array[] } | undefined;
}

/**
 * Validates and normalises decoded series the way Prometheus and Mimir do: label names and
 * counts, name and value lengths, metric name, samples too far in the future. Bad series are
 * dropped and listed; the rest are kept, with labels sorted, empty-valued labels removed,
 * samples sorted and de-duplicated, and equal label sets merged.
 */
export function validateBatch(
  raw: RawBatch,
  limits: IngestLimits,
  nowMs: number,
): ValidationResult {
  const maxTs = nowMs + limits.creationGracePeriodMs;
  if (raw.columns !== undefined && !raw.columns.anyError) {
    const batch = validateKnownColumns(raw.columns, limits, maxTs);
    if (batch !== undefined) return { batch, rejected: [], rejectedSamples: 0 };
  }
  const rejected: RejectedSeries[] = [];
  let rejectedSamples = 0;
  const byKey = new Map<string | number, Pending>();
  const order: Pending[] = [];

  const reject = (
    s: RawSeries,
    id: IngestErrorId,
    message: string,
    samples = s.timestamps.length,
  ): void => {
    rejected.push({ id, message, labels: labelsFromPairs(s.labelNames, s.labelValues), samples });
    rejectedSamples += samples;
  };

  for (const s of raw.series) {
    if (s.error) {
      reject(s, s.error.id, s.error.message);
      continue;
    }
    // The verdict on a label set that does not depend on limits is kept on the decoder's memo,
    // so series seen in earlier requests skip sorting and checking.
    let checked = s.memo?.validated as CheckedLabels | undefined;
    if (!checked) {
      checked = checkLabelSet(s.labelNames, s.labelValues);
      if (s.memo) s.memo.validated = checked;
    }
    const problem = checked.problem ?? limitProblem(checked, limits);
    if (problem) {
      reject(s, problem.id, problem.message);
      continue;
    }
    const { names, values } = checked;

    let { timestamps, values: vals } = s;
    let future = 0;
    for (let i = 0; i < timestamps.length; i++) if (timestamps[i] > maxTs) future++;
    if (future > 0) {
      reject(
        s,
        IngestErrorId.sampleTooFarInFuture,
        `${future} sample(s) more than ${limits.creationGracePeriodMs / 1000}s ahead of the server clock`,
        future,
      );
      if (future === timestamps.length) continue;
      const keep: number[] = [];
      for (let i = 0; i < timestamps.length; i++) if (timestamps[i] <= maxTs) keep.push(i);
      ({ timestamps, values: vals } = pick(timestamps, vals, keep));
    }
    if (timestamps.length === 0) continue;

    // A decoder's label hash finds equal label sets without building a string per series; a
    // collision between different sets falls back to the exact string key.
    let key: string | number = s.labelHash ?? stringKey(names, values);
    let existing = byKey.get(key);
    if (existing && typeof key === 'number' && !sameLabels(existing, names, values)) {
      key = stringKey(names, values);
      existing = byKey.get(key);
    }
    if (existing) {
      existing.more ??= { timestamps: [existing.timestamps], values: [existing.values] };
      existing.more.timestamps.push(timestamps);
      existing.more.values.push(vals);
    } else {
      // Frozen: a memoised labels object is shared by every request that sends these labels.
      checked.labels ??= Object.freeze(labelsFromPairs(names, values));
      const p: Pending = {
        labelNames: names,
        labelValues: values,
        labels: checked.labels,
        // Only a decoder-memoised verdict lives across requests, so only it is worth a store memo.
        memo: s.memo ? checked : undefined,
        timestamps,
        values: vals,
        more: undefined,
      };
      byKey.set(key, p);
      order.push(p);
    }
  }

  const series: IngestSeries[] = new Array(order.length);
  let sampleCount = 0;
  for (let i = 0; i < order.length; i++) {
    const p = order[i];
    let timestamps = p.timestamps;
    let values = p.values;
    let duplicates = 0;
    // One sample, or several in strict order (a scrape's usual shape): nothing to merge or sort.
    if (p.more !== undefined || !strictlyAscending(timestamps)) {
      const merged = p.more === undefined ? p : concat(p.more);
      ({ timestamps, values, duplicates } = sortAndDedupe(merged.timestamps, merged.values));
    }
    if (duplicates > 0) {
      rejected.push({
        id: IngestErrorId.sampleDuplicateTimestamp,
        message: `${duplicates} sample(s) repeat a timestamp of this series with a different value; the first was kept`,
        labels: p.labels,
        samples: duplicates,
      });
      rejectedSamples += duplicates;
    }
    series[i] = { labels: p.labels, timestamps, values, memo: p.memo };
    sampleCount += timestamps.length;
  }
  return { batch: { series, sampleCount }, rejected, rejectedSamples };
}

/**
 * The common request, every series known and clean, checked without leaving the columns: each
 * series' labels were validated before (the verdict on its decoder memo, which holds the
 * frozen labels object), pass this organization's limits, appear once in the request (label
 * hashes differ) and have samples in strict order, none too far ahead. Undefined as soon as one
 * series is not like that: {@link validateBatch}'s general path then does the whole request, so
 * what is rejected, merged or reported never depends on this shortcut.
 */
function validateKnownColumns(
  c: RawColumns,
  limits: IngestLimits,
  maxTs: number,
): DecodedBatch | undefined {
  const n = c.count;
  if (n === 0) return undefined;
  const { first, timestamps: ts, labelHashes, memos: rawMemos } = c;
  const labels: Labels[] = new Array(n);
  const memos: SeriesMemo[] = new Array(n);
  beginSeen(n);
  for (let s = 0; s < n; s++) {
    const memo = rawMemos[s];
    if (memo === undefined) return undefined;
    let checked = memo.validated as CheckedLabels | undefined;
    // Labels the decoder memo has not seen validated (new, or back after an eviction).
    if (checked === undefined) {
      checked = checkLabelSet(c.labelNames[s], c.labelValues[s]);
      memo.validated = checked;
    }
    if (checked.problem !== undefined) return undefined;
    checked.labels ??= Object.freeze(labelsFromPairs(checked.names, checked.values));
    if (checked.limitsOk !== limits) {
      if (limitProblem(checked, limits) !== undefined) return undefined;
      checked.limitsOk = limits;
    }
    const b = first[s + 1];
    let prev = -Infinity;
    for (let k = first[s]; k < b; k++) {
      const t = ts[k];
      if (!(t > prev) || t > maxTs) return undefined;
      prev = t;
    }
    // An empty series is dropped, and equal label sets merged, by the general path.
    if (prev === -Infinity || !addSeen(labelHashes[s])) return undefined;
    labels[s] = checked.labels;
    memos[s] = checked;
  }
  const columns: SeriesColumns = {
    count: n,
    labels,
    memos,
    first,
    timestamps: ts,
    values: c.values,
  };
  let series: IngestSeries[] | undefined;
  return {
    get series(): IngestSeries[] {
      return (series ??= seriesOfColumns(columns));
    },
    sampleCount: first[n] - first[0],
    columns,
  };
}

// An open-addressing set of label hashes for one request, reused: finding a repeated label set
// in {@link validateKnownColumns} costs no allocation. Entries of earlier requests are told
// apart by their stamp.
let seenKeys = new Int32Array(4096);
let seenStamps = new Uint32Array(4096);
let seenStamp = 0;

function beginSeen(n: number): void {
  let size = seenKeys.length;
  while (size < 2 * n) size *= 2;
  if (size !== seenKeys.length) {
    seenKeys = new Int32Array(size);
    seenStamps = new Uint32Array(size);
  }
  if (++seenStamp === 0xffffffff) {
    seenStamps.fill(0);
    seenStamp = 1;
  }
}

/** Adds a hash; false when the request already had it. */
function addSeen(hash: number): boolean {
  const mask = seenKeys.length - 1;
  let i = (Math.imul(hash, 0x9e3779b1) >>> 0) & mask;
  while (seenStamps[i] === seenStamp) {
    if (seenKeys[i] === hash) return false;
    i = (i + 1) & mask;
  }
  seenStamps[i] = seenStamp;
  seenKeys[i] = hash;
  return true;
}

/**
 * A label set sorted and checked against the rules that do not depend on limits; also the
 * store's memo slot for it (`tsdb`), since both live as long as the decoder's memo.
 */
interface CheckedLabels extends SeriesMemo {
  names: string[];
  values: string[];
  problem?: { id: IngestErrorId; message: string };
  metric: string;
  maxNameLength: number;
  maxValueLength: number;
  labels?: Labels;
  /** The last limits object these labels passed (organizations' limits are cached objects). */
  limitsOk: IngestLimits | undefined;
}

function checkLabelSet(labelNames: string[], labelValues: string[]): CheckedLabels {
  // Keep non-empty pairs, sorted by name (insertion sort: a series has a handful of labels).
  const names: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < labelNames.length; i++) {
    const v = labelValues[i];
    if (v === '') continue;
    const n = labelNames[i];
    let j = names.length;
    names.push(n);
    values.push(v);
    while (j > 0 && names[j - 1] > n) {
      names[j] = names[j - 1];
      values[j] = values[j - 1];
      j--;
    }
    names[j] = n;
    values[j] = v;
  }
  const checked: CheckedLabels = {
    names,
    values,
    metric: '',
    maxNameLength: 0,
    maxValueLength: 0,
    labels: undefined,
    limitsOk: undefined,
    tsdb: undefined,
  };
  let metric: string | undefined;
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (i > 0 && names[i - 1] === n) {
      checked.problem = {
        id: IngestErrorId.duplicateLabelNames,
        message: `duplicate label name "${truncate(n)}"`,
      };
      return checked;
    }
    if (n === '__name__') metric = values[i];
    if (n.length > checked.maxNameLength) checked.maxNameLength = n.length;
    if (values[i].length > checked.maxValueLength) checked.maxValueLength = values[i].length;
  }
  if (metric === undefined) {
    checked.problem = {
      id: IngestErrorId.missingMetricName,
      message: 'series has no metric name (__name__)',
    };
    return checked;
  }
  checked.metric = metric;
  if (!isValidMetricName(metric)) {
    checked.problem = {
      id: IngestErrorId.invalidMetricName,
      message: `metric name "${truncate(metric)}" is not valid`,
    };
    return checked;
  }
  for (const n of names) {
    if (!isValidLabelName(n)) {
      checked.problem = {
        id: IngestErrorId.invalidLabelName,
        message: n === '' ? 'empty label name' : `label name "${truncate(n)}" is not valid`,
      };
      return checked;
    }
  }
  return checked;
}

function limitProblem(
  c: CheckedLabels,
  limits: IngestLimits,
): { id: IngestErrorId; message: string } | undefined {
  if (c.names.length > limits.maxLabelNamesPerSeries) {
    return {
      id: IngestErrorId.maxLabelNamesPerSeries,
      message: `series of ${c.metric} has ${c.names.length} labels, more than the limit of ${limits.maxLabelNamesPerSeries}`,
    };
  }
  if (c.maxNameLength > limits.maxLabelNameLength) {
    const n = c.names.find((x) => x.length > limits.maxLabelNameLength)!;
    return {
      id: IngestErrorId.labelNameTooLong,
      message: `label name "${truncate(n)}" is longer than ${limits.maxLabelNameLength} characters`,
    };
  }
  if (c.maxValueLength > limits.maxLabelValueLength) {
    const i = c.values.findIndex((x) => x.length > limits.maxLabelValueLength);
    return {
      id: IngestErrorId.labelValueTooLong,
      message: `value of label "${c.names[i]}" is longer than ${limits.maxLabelValueLength} characters`,
    };
  }
  return undefined;
}

function stringKey(names: string[], values: string[]): string {
  let key = '';
  for (let i = 0; i < names.length; i++) key += `${names[i]}\u0000${values[i]}\u0001`;
  return key;
}

function sameLabels(p: Pending, names: string[], values: string[]): boolean {
  if (p.labelNames.length !== names.length) return false;
  for (let i = 0; i < names.length; i++) {
    if (p.labelNames[i] !== names[i] || p.labelValues[i] !== values[i]) return false;
  }
  return true;
}

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function pick(
  ts: Float64Array,
  vals: Float64Array,
  keep: number[],
): { timestamps: Float64Array; values: Float64Array } {
  const timestamps = new Float64Array(keep.length);
  const values = new Float64Array(keep.length);
  const src = new Uint32Array(vals.buffer, vals.byteOffset, vals.length * 2);
  const dst = new Uint32Array(values.buffer);
  for (let j = 0; j < keep.length; j++) {
    const i = keep[j];
    timestamps[j] = ts[i];
    // Word copies, so a NaN payload (the staleness marker) cannot be canonicalised on the way.
    dst[j * 2] = src[i * 2];
    dst[j * 2 + 1] = src[i * 2 + 1];
  }
  return { timestamps, values };
}

function strictlyAscending(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i] > ts[i - 1])) return false;
  return true;
}

function concat(p: { timestamps: Float64Array[]; values: Float64Array[] }): {
  timestamps: Float64Array;
  values: Float64Array;
} {
  let n = 0;
  for (const t of p.timestamps) n += t.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let o = 0;
  for (let k = 0; k < p.timestamps.length; k++) {
    timestamps.set(p.timestamps[k], o);
    // Same-type TypedArray#set copies bytes, keeping NaN payloads.
    values.set(p.values[k], o);
    o += p.timestamps[k].length;
  }
  return { timestamps, values };
}

/** Sorts by timestamp (stable) and drops repeated timestamps, counting those whose value differs. */
function sortAndDedupe(
  ts: Float64Array,
  vals: Float64Array,
): { timestamps: Float64Array; values: Float64Array; duplicates: number } {
  let sorted = true;
  let unique = true;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i] < ts[i - 1]) {
      sorted = false;
      break;
    }
    if (ts[i] === ts[i - 1]) unique = false;
  }
  if (sorted && unique) return { timestamps: ts, values: vals, duplicates: 0 };
  const idx = Array.from({ length: ts.length }, (_, i) => i);
  if (!sorted) idx.sort((a, b) => ts[a] - ts[b]);
  const words = new Uint32Array(vals.buffer, vals.byteOffset, vals.length * 2);
  const keep: number[] = [];
  let duplicates = 0;
  for (const i of idx) {
    const last = keep.length > 0 ? keep[keep.length - 1] : -1;
    if (last >= 0 && ts[last] === ts[i]) {
      if (words[last * 2] !== words[i * 2] || words[last * 2 + 1] !== words[i * 2 + 1])
        duplicates++;
      continue;
    }
    keep.push(i);
  }
  return { ...pick(ts, vals, keep), duplicates };
}

/** Mimir's `max_metadata_length`: the longest metric name, HELP or UNIT kept, in characters. */
export const MAX_METADATA_LENGTH = 1024;

/**
 * The metadata entries worth keeping: a valid metric name and text within MAX_METADATA_LENGTH.
 * The rest are left out with one warning, not refused with the request: metadata is a
 * description of samples, and Prometheus sends it again every minute.
 */
export function validMetadata(entries: MetricMetadata[], warnings: string[]): MetricMetadata[] {
  const kept: MetricMetadata[] = [];
  let first: string | undefined;
  for (const m of entries) {
    const problem = !isValidMetricName(m.metric)
      ? `invalid metric name ${JSON.stringify(m.metric.slice(0, 100))}`
      : m.metric.length > MAX_METADATA_LENGTH ||
          m.help.length > MAX_METADATA_LENGTH ||
          m.unit.length > MAX_METADATA_LENGTH
        ? `metadata of ${m.metric.slice(0, 100)} longer than ${MAX_METADATA_LENGTH} characters`
        : undefined;
    if (problem === undefined) kept.push(m);
    else first ??= problem;
  }
  if (first !== undefined)
    warnings.push(`${entries.length - kept.length} metadata entries left out; the first: ${first}`);
  return kept;
}
