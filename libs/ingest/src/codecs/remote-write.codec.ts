import { isUtf8 } from 'node:buffer';
import type { Labels } from '@tocsin/tsdb';
import { IngestErrorId, malformed } from '../ingest.errors';
import type { LabelMemo, MetricMetadata, RawBatch, RawColumns, RawSeries } from '../ingest.types';
import { snappyCompress, snappyUncompress } from './snappy-block';
import { varintSize, writeVarint } from './protobuf-varint';

// Prometheus remote_write 1.0: a snappy block wrapping a protobuf `prometheus.WriteRequest`:
//   WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
//                  repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }
//   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
// This is the ingest hot path, so the wire format is read by hand: no intermediate message
// objects, sample values copied byte for byte into a Float64Array (keeping the staleness NaN's
// payload), and one pre-pass that counts samples so every series' arrays are views of one
// allocation per request.

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

// A process-wide table of recently decoded ASCII strings. Sharing it across organizations leaks
// nothing: a hit returns a string equal to the caller's own bytes.
const MAX_INTERNED = 128;
const INTERN_MASK = (1 << 16) - 1;
const internTable: (string | undefined)[] = new Array(INTERN_MASK + 1);

/** Mixes a label pair's name and value hashes; series hashes add these up, so order is irrelevant. */
function pairHash(nameHash: number, valueHash: number): number {
  return Math.imul(nameHash ^ Math.imul(valueHash, 0x85ebca6b) ^ (valueHash >>> 13), 0xc2b2ae35);
}

// Buffer's undocumented-in-types latin1Slice: the cheapest way from ASCII bytes to a flat string.
type LatinSlicer = Buffer & { latin1Slice(start: number, end: number): string };

class Cursor {
  pos = 0;
  /** The series being read, for error messages; -1 while at the WriteRequest level. */
  series = -1;
  constructor(readonly buf: Buffer) {}

  fail(what: string): never {
    const where = this.series < 0 ? 'WriteRequest' : `timeseries[${this.series}]`;
    throw malformed(`protobuf: ${where}: ${what} at byte ${this.pos}`);
  }

  /** A varint that must fit 32 bits unsigned (tags and lengths). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++];
            v = (v >>> 0) + (b & 0x0f) * 0x10000000;
            if (b >= 0x80) this.fail('varint longer than 32 bits');
          }
        }
      }
    }
    if (pos > buf.length) this.fail('truncated varint');
    this.pos = pos;
    return v >>> 0;
  }

  /** An int64 varint as a number (exact below 2^53, which every ms timestamp is). */
  int64(): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let i = 0;
    let b: number;
    // Low 28 bits, then the bits straddling 32, then the high word.
    for (; i < 4; i++) {
      b = buf[pos++];
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        if (pos > buf.length) this.fail('truncated varint');
        this.pos = pos;
        return lo >>> 0;
      }
    }
    b = buf[pos++];
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        b = buf[pos++];
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b! >= 0x80) this.fail('varint longer than 64 bits');
    }
    if (pos > buf.length) this.fail('truncated varint');
    this.pos = pos;
    if (hi & 0x80000000) {
      // Two's complement negative (timestamps before 1970).
      const nlo = (~lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      return -(nhi * 0x100000000 + nlo);
    }
    return (hi >>> 0) * 0x100000000 + (lo >>> 0);
  }

  /** Skips one field's payload of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        while (this.pos < this.buf.length && this.buf[this.pos] >= 0x80) this.pos++;
        this.pos++;
        break;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN: {
        // Read the length first: `this.pos += this.uint32()` would add to the pre-varint offset.
        const len = this.uint32();
        this.pos += len;
        break;
      }
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.buf.length) this.fail('truncated field');
  }

  /** Reads a length prefix and returns the end offset of the message it announces. */
  lengthEnd(limit: number): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > limit) this.fail(`length ${len} runs past the end of the enclosing message`);
    return end;
  }

  /** Reads a string field ending at `end`; `lastHash` is left holding a hash of it. */
  string(end: number): string {
    const buf = this.buf;
    const start = this.pos;
    this.pos = end;
    const len = end - start;
    // FNV-1a over the length and at most the first and last 8 bytes: enough to tell apart the
    // strings a request repeats, and it keeps the cost flat for long values.
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    const head = len < 16 ? end : start + 8;
    for (let i = start; i < head; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    if (len >= 16) for (let i = end - 8; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    this.lastHash = h;
    if (len > MAX_INTERNED) return buf.toString('utf8', start, end);
    // Remote-write requests repeat the same names and values (every series, every scrape):
    // reuse the string from the intern table when its characters match the bytes. Only ASCII
    // strings are interned, so a match also proves the bytes are ASCII.
    const slot = h & INTERN_MASK;
    const cached = internTable[slot];
    if (cached !== undefined && cached.length === len) {
      let i = 0;
      while (i < len && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === len) return cached;
    }
    for (let i = start; i < end; i++) if (buf[i] >= 0x80) return buf.toString('utf8', start, end);
    const fresh = (buf as LatinSlicer).latin1Slice(start, end);
    internTable[slot] = fresh;
    return fresh;
  }

  lastHash = 0;
}

/** A decoded leading run of label fields, cached by its bytes; shared, so never mutated. */
interface LabelRun extends LabelMemo {
  /** The run's bytes: `len` bytes from word `off` of a slab shared with other runs. */
  slab: Int32Array;
  slabBytes: Uint8Array;
  off: number;
  len: number;
  names: string[];
  values: string[];
  hash: number;
  badUtf8: string | undefined;
  /**
   * The run that followed this one in the last request that held it. Senders repeat their
   * series in the same order (a Prometheus shard's queue, scrape after scrape), so this is
   * usually the next series' run: checked first, it spares the hash and the table probe,
   * whose slot is a cache miss per series.
   */
  next: LabelRun | undefined;
  /**
   * Replaced in the table: no longer predicted nor linked, and its link is cleared, so runs kept
   * alive by links are at most one per run in the table.
   */
  evicted: boolean;
}

// Four ways per slot (slot ^ 0..3, the slot's own first), so series hashing alike do not evict
// each other on every request: with two ways, three of bench:ingest's 10,000 series sharing a
// pair of slots happened dozens of times, and each such pair re-decoded (and re-validated) two
// series in every request that held them. 2^18 slots hold a few hundred thousand series with
// few misses; entries exist only for series seen.
const LABEL_RUN_MASK = (1 << 18) - 1;
/** Which way a miss replaces when all four are taken. */
let evictWay = 0;
const labelRuns: (LabelRun | undefined)[] = new Array(LABEL_RUN_MASK + 1);

// Runs' bytes live in shared slabs rather than a Buffer (and DataView) each: a hit then reads
// the run object and its bytes, where it used to chase four objects per series (the profile's
// hottest line was the first touch of a hit's Buffer). An evicted run's bytes stay in its slab
// until every run of that slab is gone.
const SLAB_WORDS = 16_384;
let slab = new Int32Array(SLAB_WORDS);
let slabBytes = new Uint8Array(slab.buffer);
let slabUsed = 0;

/** Copies a run's bytes into the current slab (zero-padded to a word). */
function storeRun(
  buf: Uint8Array,
  start: number,
  end: number,
): { slab: Int32Array; slabBytes: Uint8Array; off: number } {
  const words = (end - start + 3) >>> 2;
  if (words > SLAB_WORDS / 4) {
    const own = new Int32Array(words);
    const ownBytes = new Uint8Array(own.buffer);
    ownBytes.set(buf.subarray(start, end));
    return { slab: own, slabBytes: ownBytes, off: 0 };
  }
  if (slabUsed + words > SLAB_WORDS) {
    slab = new Int32Array(SLAB_WORDS);
    slabBytes = new Uint8Array(slab.buffer);
    slabUsed = 0;
  }
  const off = slabUsed;
  slabUsed += words;
  slabBytes.set(buf.subarray(start, end), off * 4);
  return { slab, slabBytes, off };
}

/** Whether a cached run holds exactly these bytes; compared four bytes at a time. */
function sameRun(
  hit: LabelRun,
  buf: Uint8Array,
  view: DataView,
  start: number,
  end: number,
): boolean {
  const len = end - start;
  if (hit.len !== len) return false;
  const words = hit.slab;
  let w = hit.off;
  let i = 0;
  // Little-endian words on both sides: the slab is a native Int32Array, and Node runs little-endian.
  for (; i + 4 <= len; i += 4, w++) if (words[w] !== view.getInt32(start + i, true)) return false;
  const bytes = hit.slabBytes;
  const o = hit.off * 4;
  for (; i < len; i++) if (bytes[o + i] !== buf[start + i]) return false;
  return true;
}

/**
 * Where the series' leading run of label fields ends; `start` when there is none, or when it is
 * malformed (the field-by-field path then reports the error).
 */
function labelRunEnd(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && buf[p] === ((1 << 3) | WIRE_LEN)) {
    let q = p + 1;
    let len = 0;
    let mul = 1;
    let b: number;
    do {
      if (q >= end || mul > 2 ** 28) return start;
      b = buf[q++];
      len += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    if (q + len > end) return start;
    p = q + len;
  }
  return p;
}

/** MurmurHash3 (x86, 32-bit) over the bytes, a word at a time: every input bit reaches the low bits. */
function hashBytes(view: DataView, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = Math.imul(view.getInt32(i, true), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let shift = 0; i < end; i++, shift += 8) k |= view.getUint8(i) << shift;
  k = Math.imul(k, 0xcc9e2d51);
  h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= end - start;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hasNonAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return true;
  return false;
}

/**
 * Decodes an uncompressed `prometheus.WriteRequest`. Exemplars are skipped; native histograms
 * are skipped with a warning. Throws a 400 {@link IngestError} naming the first malformed series.
 */
export function decodeWriteRequestProto(input: Uint8Array): RawBatch {
  const buf = Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const cur = new Cursor(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const starts: number[] = [];
  const ends: number[] = [];
  let total = 0;
  let histograms = 0;
  let metadata: MetricMetadata[] | undefined;

  // Pass 1: find the series and count their samples, so values land in one Float64Array.
  while (cur.pos < buf.length) {
    const tag = cur.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) cur.fail(`timeseries field has wire type ${wire}`);
      cur.series = starts.length;
      const end = cur.lengthEnd(buf.length);
      starts.push(cur.pos);
      ends.push(end);
      while (cur.pos < end) {
        const t = cur.uint32();
        if (t >>> 3 === 2) {
          if ((t & 7) !== WIRE_LEN) cur.fail('sample field has the wrong wire type');
          total++;
        } else if (t >>> 3 === 4) histograms++;
        cur.skip(t & 7);
        if (cur.pos > end) cur.fail('field runs past the end of the series');
      }
      cur.series = -1;
    } else if (field === 3) {
      if (wire !== WIRE_LEN) cur.fail(`metadata field has wire type ${wire}`);
      (metadata ??= []).push(readMetadata(cur, cur.lengthEnd(buf.length)));
    } else {
      if (field === 0) cur.fail('field number 0');
      cur.skip(wire);
    }
  }

  const timestamps = new Float64Array(total);
  const values = new Float64Array(total);
  const valueBytes = new Uint8Array(values.buffer);
  // The series go to validation by position (see RawColumns): no object or view per series.
  const count = starts.length;
  const firsts = new Uint32Array(count + 1);
  const namesOf: string[][] = new Array(count);
  const valuesOf: string[][] = new Array(count);
  const hashes = new Int32Array(count);
  const memos: (LabelMemo | undefined)[] = new Array(count);
  let errors: (RawSeries['error'] | undefined)[] | undefined;
  let next = 0;
  /** The previous series' run, whose `next` predicts this series'. */
  let prevRun: LabelRun | undefined;

  // Pass 2: labels and samples.
  for (let s = 0; s < starts.length; s++) {
    const seriesStart = starts[s];
    cur.pos = seriesStart;
    cur.series = s;
    const end = ends[s];
    let labelNames: string[];
    let labelValues: string[];
    const first = next;
    let badUtf8: string | undefined;
    let seriesHash = 0;
    let memo: LabelRun | undefined;
    // The same series arrive with every scrape, their labels as the same bytes: a hit in the
    // label-run cache skips decoding (and, through the memo, validating) them again.
    const runEnd = labelRunEnd(buf, seriesStart, end);
    let missSlot = -1;
    const predicted = prevRun?.next;
    if (
      runEnd > seriesStart &&
      predicted !== undefined &&
      !predicted.evicted &&
      sameRun(predicted, buf, view, seriesStart, runEnd)
    ) {
      memo = predicted;
      cur.pos = runEnd;
    } else if (runEnd > seriesStart) {
      const slot = hashBytes(view, seriesStart, runEnd) & LABEL_RUN_MASK;
      for (let way = 0; way < 4; way++) {
        const run = labelRuns[slot ^ way];
        if (run === undefined) {
          if (missSlot < 0) missSlot = slot ^ way;
        } else if (sameRun(run, buf, view, seriesStart, runEnd)) {
          memo = run;
          break;
        }
      }
      // A miss goes to a free way, else replaces one in turn.
      if (memo) {
        cur.pos = runEnd;
        missSlot = -1;
      } else if (missSlot < 0) missSlot = slot ^ (evictWay++ & 3);
    }
    if (memo) {
      labelNames = memo.names;
      labelValues = memo.values;
      seriesHash = memo.hash;
      badUtf8 = memo.badUtf8;
    } else {
      labelNames = [];
      labelValues = [];
    }
    while (cur.pos < end) {
      const tag = cur.uint32();
      const field = tag >>> 3;
      if (field === 1) {
        if ((tag & 7) !== WIRE_LEN) cur.fail('label field has the wrong wire type');
        if (cur.pos > runEnd) {
          // A label after the leading run (after samples): rare, never cached. Copy before
          // appending, since cached arrays are shared.
          missSlot = -1;
          if (memo) {
            labelNames = labelNames.slice();
            labelValues = labelValues.slice();
            memo = undefined;
          }
        }
        const labelEnd = cur.lengthEnd(end);
        let name = '';
        let value = '';
        let nameHash = 0x811c9dc5;
        let valueHash = 0;
        while (cur.pos < labelEnd) {
          const t = cur.uint32();
          if ((t & 7) === WIRE_LEN && (t >>> 3 === 1 || t >>> 3 === 2)) {
            const strEnd = cur.lengthEnd(labelEnd);
            const start = cur.pos;
            if (
              badUtf8 === undefined &&
              hasNonAscii(buf, start, strEnd) &&
              !isUtf8(buf.subarray(start, strEnd))
            ) {
              badUtf8 = t >>> 3 === 1 ? 'label name' : 'label value';
            }
            if (t >>> 3 === 1) {
              name = cur.string(strEnd);
              nameHash = cur.lastHash;
            } else {
              value = cur.string(strEnd);
              valueHash = cur.lastHash;
            }
          } else {
            cur.skip(t & 7);
          }
        }
        if (cur.pos !== labelEnd) cur.fail('label runs past its length');
        if (value !== '') seriesHash = (seriesHash + pairHash(nameHash, valueHash)) | 0;
        labelNames.push(name);
        labelValues.push(value);
      } else if (field === 2) {
        const sampleEnd = cur.lengthEnd(end);
        let ts = 0;
        let haveValue = false;
        while (cur.pos < sampleEnd) {
          const t = cur.uint32();
          if (t === ((1 << 3) | WIRE_I64)) {
            if (cur.pos + 8 > sampleEnd) cur.fail('truncated sample value');
            // Byte copy, not a number round trip, so NaN payloads survive (little-endian host
            // and wire alike: protobuf fixed64 is little-endian, as is every platform Node runs on).
            const p = cur.pos;
            const o = next * 8;
            valueBytes[o] = buf[p];
            valueBytes[o + 1] = buf[p + 1];
            valueBytes[o + 2] = buf[p + 2];
            valueBytes[o + 3] = buf[p + 3];
            valueBytes[o + 4] = buf[p + 4];
            valueBytes[o + 5] = buf[p + 5];
            valueBytes[o + 6] = buf[p + 6];
            valueBytes[o + 7] = buf[p + 7];
            haveValue = true;
            cur.pos = p + 8;
          } else if (t === ((2 << 3) | WIRE_VARINT)) {
            ts = cur.int64();
          } else {
            cur.skip(t & 7);
          }
        }
        if (cur.pos !== sampleEnd) cur.fail('sample runs past its length');
        if (!haveValue) values[next] = 0;
        timestamps[next] = ts;
        next++;
      } else {
        cur.skip(tag & 7);
      }
    }
    if (missSlot >= 0) {
      const stored = storeRun(buf, seriesStart, runEnd);
      memo = {
        slab: stored.slab,
        slabBytes: stored.slabBytes,
        off: stored.off,
        len: runEnd - seriesStart,
        names: labelNames,
        values: labelValues,
        hash: seriesHash,
        badUtf8,
        // Present from the start, so every run has one hidden class when validation fills it.
        validated: undefined,
        next: undefined,
        evicted: false,
      };
      const replaced = labelRuns[missSlot];
      if (replaced !== undefined) {
        replaced.evicted = true;
        replaced.next = undefined;
      }
      labelRuns[missSlot] = memo;
    }
    // Only runs in the table are linked (an uncached series breaks the chain). A link to a run
    // whose bytes differ from the next series' is only a wasted check: sameRun compares them.
    if (prevRun !== undefined && !prevRun.evicted && memo !== undefined && prevRun.next !== memo)
      prevRun.next = memo;
    prevRun = memo;
    firsts[s] = first;
    namesOf[s] = labelNames;
    valuesOf[s] = labelValues;
    hashes[s] = seriesHash;
    memos[s] = memo;
    if (badUtf8) {
      errors ??= new Array(count);
      errors[s] = { id: IngestErrorId.invalidLabelValue, message: `${badUtf8} is not valid UTF-8` };
    }
  }
  firsts[count] = next;

  const warnings: string[] = [];
  if (histograms > 0) {
    warnings.push(
      `${histograms} native histogram sample(s) ignored: native histograms are not supported yet`,
    );
  }
  const columns: RawColumns = {
    count,
    first: firsts,
    timestamps,
    values,
    labelNames: namesOf,
    labelValues: valuesOf,
    labelHashes: hashes,
    memos,
    anyError: errors !== undefined,
  };
  let series: RawSeries[] | undefined;
  return {
    get series(): RawSeries[] {
      return (series ??= seriesOfColumns(columns, errors));
    },
    warnings,
    columns,
    metadata,
  };
}

/** MetricMetadata.MetricType's values, by number, as Prometheus' HTTP API names them. */
const METRIC_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

/** A MetricMetadata message ending at `end` (strings not interned: they repeat once a minute). */
function readMetadata(cur: Cursor, end: number): MetricMetadata {
  const m: MetricMetadata = { metric: '', type: 'unknown', help: '', unit: '' };
  while (cur.pos < end) {
    const tag = cur.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WIRE_VARINT) m.type = METRIC_TYPES[cur.uint32()] ?? 'unknown';
    else if ((field === 2 || field === 4 || field === 5) && (tag & 7) === WIRE_LEN) {
      const stop = cur.lengthEnd(end);
      const text = cur.buf.toString('utf8', cur.pos, stop);
      cur.pos = stop;
      if (field === 2) m.metric = text;
      else if (field === 4) m.help = text;
      else m.unit = text;
    } else {
      if (field === 0) cur.fail('field number 0');
      cur.skip(tag & 7);
    }
    if (cur.pos > end) cur.fail('field runs past the end of the metadata');
  }
  return m;
}

/** The columns' series as objects viewing the request's arrays (validation's general path). */
function seriesOfColumns(
  c: RawColumns,
  errors: (RawSeries['error'] | undefined)[] | undefined,
): RawSeries[] {
  const out: RawSeries[] = new Array(c.count);
  for (let s = 0; s < c.count; s++) {
    const raw: RawSeries = {
      labelNames: c.labelNames[s],
      labelValues: c.labelValues[s],
      timestamps: c.timestamps.subarray(c.first[s], c.first[s + 1]),
      values: c.values.subarray(c.first[s], c.first[s + 1]),
      labelHash: c.labelHashes[s],
      memo: c.memos[s],
    };
    const error = errors?.[s];
    if (error) raw.error = error;
    out[s] = raw;
  }
  return out;
}

/** Decodes a remote_write 1.0 body: snappy block, then protobuf. */
export function decodeWriteRequest(
  body: Uint8Array,
  maxDecompressedBytes = 64 * 1024 * 1024,
): RawBatch {
  return decodeWriteRequestProto(snappyUncompress(body, maxDecompressedBytes));
}

/** A series to encode. A Float64Array of values is copied byte for byte (staleness NaN kept). */
export interface EncodableSeries {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

function int64Size(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

function writeInt64(out: Buffer, pos: number, v: number): number {
  if (v >= 0) return writeVarint(out, pos, v);
  let big = BigInt.asUintN(64, BigInt(v));
  for (let i = 0; i < 9; i++) {
    out[pos++] = Number(big & 0x7fn) | 0x80;
    big >>= 7n;
  }
  out[pos++] = Number(big);
  return pos;
}

/**
 * Encodes series as an uncompressed `prometheus.WriteRequest` (labels sorted by name, as
 * Prometheus sends them). Timestamps must be integer milliseconds.
 */
export function encodeWriteRequestProto(
  series: readonly EncodableSeries[],
  metadata: readonly MetricMetadata[] = [],
): Buffer {
  const prepared = series.map((s) => {
    const names = Object.keys(s.labels).sort();
    const labels = names.map((n) => {
      const nameLen = Buffer.byteLength(n);
      const valueLen = Buffer.byteLength(s.labels[n]);
      return {
        n,
        v: s.labels[n],
        nameLen,
        valueLen,
        size: 2 + varintSize(nameLen) + nameLen + varintSize(valueLen) + valueLen,
      };
    });
    if (s.timestamps.length !== s.values.length) {
      throw new Error('encodeWriteRequest: timestamps and values differ in length');
    }
    let size = 0;
    for (const l of labels) size += 1 + varintSize(l.size) + l.size;
    const sampleSizes: number[] = [];
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i];
      if (!Number.isInteger(ts))
        throw new Error(`encodeWriteRequest: timestamp ${ts} is not an integer`);
      const sz = 9 + 1 + int64Size(ts);
      sampleSizes.push(sz);
      size += 1 + varintSize(sz) + sz;
    }
    return { s, labels, sampleSizes, size };
  });
  let total = 0;
  for (const p of prepared) total += 1 + varintSize(p.size) + p.size;

  const out = Buffer.allocUnsafe(total);
  const scratch = new Float64Array(1);
  const scratchBytes = new Uint8Array(scratch.buffer);
  let pos = 0;
  for (const p of prepared) {
    out[pos++] = (1 << 3) | WIRE_LEN;
    pos = writeVarint(out, pos, p.size);
    for (const l of p.labels) {
      out[pos++] = (1 << 3) | WIRE_LEN;
      pos = writeVarint(out, pos, l.size);
      out[pos++] = (1 << 3) | WIRE_LEN;
      pos = writeVarint(out, pos, l.nameLen);
      pos += out.write(l.n, pos, 'utf8');
      out[pos++] = (2 << 3) | WIRE_LEN;
      pos = writeVarint(out, pos, l.valueLen);
      pos += out.write(l.v, pos, 'utf8');
    }
    const { timestamps, values } = p.s;
    const rawValues =
      values instanceof Float64Array
        ? new Uint8Array(values.buffer, values.byteOffset, values.length * 8)
        : undefined;
    for (let i = 0; i < timestamps.length; i++) {
      out[pos++] = (2 << 3) | WIRE_LEN;
      pos = writeVarint(out, pos, p.sampleSizes[i]);
      out[pos++] = (1 << 3) | WIRE_I64;
      if (rawValues) out.set(rawValues.subarray(i * 8, i * 8 + 8), pos);
      else {
        scratch[0] = values[i];
        out.set(scratchBytes, pos);
      }
      pos += 8;
      out[pos++] = (2 << 3) | WIRE_VARINT;
      pos = writeInt64(out, pos, timestamps[i]);
    }
  }
  if (pos !== total) throw new Error(`encodeWriteRequest: size mismatch (${pos} != ${total})`);
  return metadata.length ? Buffer.concat([out, ...metadata.map(encodeMetadata)]) : out;
}

/** One `metadata` field of a WriteRequest. */
function encodeMetadata(m: MetricMetadata): Buffer {
  const type = Math.max(0, METRIC_TYPES.indexOf(m.type));
  const parts: Buffer[] = [Buffer.from([(1 << 3) | WIRE_VARINT, type])];
  for (const [field, text] of [
    [2, m.metric],
    [4, m.help],
    [5, m.unit],
  ] as const) {
    const bytes = Buffer.from(text, 'utf8');
    const head = Buffer.alloc(1 + varintSize(bytes.length));
    head[0] = (field << 3) | WIRE_LEN;
    writeVarint(head, 1, bytes.length);
    parts.push(head, bytes);
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(1 + varintSize(body.length));
  head[0] = (3 << 3) | WIRE_LEN;
  writeVarint(head, 1, body.length);
  return Buffer.concat([head, body]);
}

/** Encodes series (and metadata) as a remote_write 1.0 body (snappy-compressed WriteRequest). */
export function encodeWriteRequest(
  series: readonly EncodableSeries[],
  metadata: readonly MetricMetadata[] = [],
): Buffer {
  return snappyCompress(encodeWriteRequestProto(series, metadata));
}
