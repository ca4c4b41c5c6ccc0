import { BitReader, BitWriter } from './bit-stream';

// Integer sequences (timestamps; values scaled to integers) as: an order (raw, delta or
// delta-of-delta, whichever is cheapest), the common divisor of the residuals, then each
// residual minus a base packed in a fixed bit width chosen per sequence, with the few that do
// not fit stored apart as patches (PFOR). A regular scrape's timestamps cost 0 bits each; a
// counter growing by 0..49 per scrape costs 6.

/** Sequences must stay within ±2^50 so that deltas of deltas are exact doubles. */
export const INT_SEQ_LIMIT = 2 ** 50;
const TWO_32 = 0x1_0000_0000;
const PATCH_BITS = 72; // rough cost of one patch: varint index + varint value

export function writeIntSequence(w: BitWriter, xs: ArrayLike<number>): void {
  const m = xs.length;
  if (m === 0) return;
  let best: Plan | null = null;
  for (let order = 0; order <= 2 && order < m; order++) {
    const plan = planOrder(xs, order);
    if (!best || plan.cost < best.cost) best = plan;
  }
  const p = best!;
  w.write(p.order, 2);
  for (let i = 0; i < p.order; i++) writeVarint(w, zigzag(xs[i]));
  writeVarint(w, p.gcd);
  writeVarint(w, zigzag(p.base));
  w.write(p.width, 6);
  writeVarint(w, p.patches.length);
  let prevIndex = 0;
  for (const i of p.patches) {
    writeVarint(w, i - prevIndex);
    writeVarint(w, zigzag(p.residuals[i]));
    prevIndex = i;
  }
  let next = 0;
  for (let i = 0; i < p.residuals.length; i++) {
    if (next < p.patches.length && p.patches[next] === i) {
      writeWide(w, 0, p.width);
      next++;
    } else {
      writeWide(w, p.residuals[i] - p.base, p.width);
    }
  }
}

let patchIndex = new Float64Array(64);
let patchValue = new Float64Array(64);

/** A sequence's header as readHeader leaves it (module state: decoding is synchronous). */
const head = { order: 0, gcd: 1, base: 0, width: 0, nPatches: 0, first0: 0, first1: 0 };

/**
 * Reads a sequence's header up to its fields: the order and first elements (into out[0…] and
 * `head`), divisor, base, width and patches (into the shared patch arrays).
 */
function readHeader(r: BitReader, m: number, out: Float64Array | undefined): void {
  const order = r.read(2);
  if (order > 2 || order > m) throw new RangeError('corrupt sequence order');
  for (let i = 0; i < order; i++) {
    const x = unzigzag(readVarint(r));
    if (out) out[i] = x;
    if (i === 0) head.first0 = x;
    else head.first1 = x;
  }
  head.order = order;
  head.gcd = readVarint(r);
  head.base = unzigzag(readVarint(r));
  head.width = r.read(6);
  const nPatches = readVarint(r);
  // At most one patch per residual; a larger count is corruption, not a scratch size to keep.
  if (nPatches > m - order) throw new RangeError('corrupt patch count');
  head.nPatches = nPatches;
  // Patches arrive in index order: a cursor replaces a per-element map lookup. The arrays are
  // shared scratch (a read decodes tens of thousands of sequences, most without patches).
  if (patchIndex.length < nPatches) {
    patchIndex = new Float64Array(nPatches);
    patchValue = new Float64Array(nPatches);
  }
  let index = 0;
  for (let k = 0; k < nPatches; k++) {
    index += readVarint(r);
    patchIndex[k] = index;
    patchValue[k] = unzigzag(readVarint(r));
  }
}

export function readIntSequence(r: BitReader, m: number, out: Float64Array): void {
  if (m === 0) return;
  readHeader(r, m, out);
  const { order, gcd, base, width, nPatches } = head;
  const n = m - order;
  // Every residual the base (a regular scrape's timestamps: order 2, width 0): the same sums as
  // below, without filling and reading back a slot per element.
  if (width === 0 && nPatches === 0) {
    const c = base * gcd;
    if (order === 2) {
      let d = out[1] - out[0];
      let prev = out[1];
      for (let i = 2; i < m; i++) {
        d += c;
        prev += d;
        out[i] = prev;
      }
    } else if (order === 1) {
      let prev = out[0];
      for (let i = 1; i < m; i++) out[i] = prev += c;
    } else out.fill(c, 0, m);
    return;
  }
  // Slots first (one bulk read when they are narrow), then patches, base, divisor and the
  // running sums in a second pass over the same array.
  if (width <= 24) r.readFields(width, n, out, order);
  else for (let i = 0; i < n; i++) out[i + order] = readWide(r, width);
  // The hot loop of every raw read: plain residuals run in tight per-order loops between
  // patches, with the same operations in the same order as one general loop (same doubles).
  let d1 = order >= 2 ? out[1] - out[0] : 0;
  let prev = order > 0 ? out[order - 1] : 0;
  let p = 0;
  let i = 0;
  while (i < n) {
    // Patch indexes only grow; one past the sequence (a corrupt chunk) is never reached.
    const stop = p < nPatches && patchIndex[p] < n ? patchIndex[p] : n;
    if (order === 2) {
      for (; i < stop; i++) {
        d1 += (out[i + 2] + base) * gcd;
        prev += d1;
        out[i + 2] = prev;
      }
    } else if (order === 1) {
      for (; i < stop; i++) {
        prev += (out[i + 1] + base) * gcd;
        out[i + 1] = prev;
      }
    } else {
      for (; i < stop; i++) out[i] = (out[i] + base) * gcd;
    }
    if (i >= n) break;
    // A later duplicate index (only a corrupt chunk has one) overrides, as a map set would.
    let residual = patchValue[p++];
    while (p < nPatches && patchIndex[p] === i) residual = patchValue[p++];
    residual *= gcd;
    if (order === 0) prev = residual;
    else if (order === 1) prev += residual;
    else {
      d1 += residual;
      prev += d1;
    }
    out[i + order] = prev;
    i++;
  }
}

/**
 * A sequence that is an arithmetic progression, x_i = first + i·delta with delta > 0 (a
 * regular scrape's timestamps: order 1 or 2, every residual the base, no patches), read as its
 * header alone: returns false, having read an unknown amount, for any other sequence. The
 * elements are those readIntSequence's running sums give, since both are exact integers.
 */
export function readArithmeticSequence(
  r: BitReader,
  m: number,
  into: { first: number; delta: number },
): boolean {
  if (m === 0) return false;
  readHeader(r, m, undefined);
  const { order, gcd, base, width, nPatches } = head;
  if (width !== 0 || nPatches !== 0 || order === 0) return false;
  const c = base * gcd;
  into.first = head.first0;
  if (order === 1) into.delta = c;
  else if (c === 0) into.delta = head.first1 - head.first0;
  else return false;
  // A single sample has no delta to place windows by: the whole decode reads it.
  return into.delta > 0;
}

/**
 * readIntSequence for some elements only: those in the index ranges [ranges[2k], ranges[2k+1])
 * (ascending, apart), written one after another to out[o…]; returns the new end of the output,
 * or -1 for a sequence this does not read sparsely (fields over 24 bits wide), having read an
 * unknown amount. With `asEnds`, a range k with asEnds[k] ≥ 0 gives only its first and last
 * elements (its one element when it has one). Each element is the same double readIntSequence
 * gives: raw elements (order 0) are read at their bit offsets, running sums (orders 1 and 2)
 * still add every residual up to the last element wanted, with the same operations in the same
 * order, but nothing before it is stored. Reads nothing past the last element wanted.
 */
export function readIntSequenceRanges(
  r: BitReader,
  m: number,
  ranges: Int32Array,
  nRanges: number,
  out: Float64Array,
  o: number,
  headerRead = false,
  asEnds?: Int32Array,
): number {
  if (m === 0 || nRanges === 0) return o;
  // With headerRead the reader is past the header readSequenceHeader just read.
  if (!headerRead) readHeader(r, m, undefined);
  const { order, gcd, base, width, nPatches } = head;
  const n = m - order;
  if (width > 24) return -1;
  const pos = r.position;
  if (!r.has(pos, n * width)) throw new RangeError('chunk truncated');
  const b = r.bytes;
  const mask = (1 << width) - 1;
  // Fields are unpacked through an accumulator as readFields does, placed at the first field
  // of each run: only the bytes a field needs are loaded (a load past the end of the buffer
  // made V8 recompile these loops with slow element loads).
  let bi = 0;
  let have = 0;
  let acc = 0;
  // The runs read: a range, or each end of a range read as its ends (two runs of one element).
  const runs = nRanges * (asEnds ? 2 : 1);
  if (order === 0) {
    let at = -1; // the field the accumulator is at (−1: not placed)
    // Raw elements: field i at bit pos + i·width.
    let p = 0;
    for (let u = 0; u < runs; u++) {
      if (!runOf(ranges, asEnds, u)) continue;
      const hi = run[1];
      for (let i = run[0]; i < hi; i++) {
        if (at !== i && width !== 0) {
          const bit = pos + i * width;
          bi = bit >>> 3;
          have = 8 - (bit & 7);
          acc = b[bi++] & ((1 << have) - 1);
        }
        while (have < width) {
          acc = (acc << 8) | b[bi++];
          have += 8;
        }
        have -= width;
        const f = (acc >>> have) & mask;
        at = i + 1;
        while (p < nPatches && patchIndex[p] < i) p++;
        if (p < nPatches && patchIndex[p] === i) {
          let residual = patchValue[p++];
          while (p < nPatches && patchIndex[p] === i) residual = patchValue[p++];
          out[o++] = residual * gcd;
        } else out[o++] = (f + base) * gcd;
      }
    }
    return o;
  }
  // Running sums: residual i gives element i + order. A counter's (order 1) residuals up to
  // the first element of a run are summed a byte at a time (sumFields) when every partial sum is
  // certainly an exact double — then the sum is the same integer the element-by-element
  // additions reach; otherwise, and for order 2, they are added one by one.
  let maxPatch = 0;
  for (let k = 0; k < nPatches; k++) maxPatch = Math.max(maxPatch, Math.abs(patchValue[k]));
  const bulk = order === 1 && gcd * n * (mask + Math.abs(base) + maxPatch) < 2 ** 53;
  const sums = bulk && width !== 0 ? fieldSumsOf(width) : undefined;
  let d1 = order === 2 ? head.first1 - head.first0 : 0;
  let prev = order === 2 ? head.first1 : head.first0;
  let e = order - 1; // the element `prev` holds
  let p = 0;
  // The next patch's index (as readIntSequence: a patch applies once the cursor reaches it).
  let nextPatch = nPatches > 0 ? patchIndex[0] : Infinity;
  for (let u = 0; u < runs; u++) {
    if (!runOf(ranges, asEnds, u)) continue;
    let idx = run[0];
    const hi = run[1];
    for (; idx < hi && idx < order; idx++) out[o++] = idx === 0 ? head.first0 : head.first1;
    if (idx >= hi) continue;
    if (bulk && idx - e > 8) {
      // Residuals [from, to) at once: `prev` becomes element idx, the run's first.
      const from = e + 1 - order;
      const to = idx + 1 - order;
      let sum = base * (to - from);
      if (sums) sum += sumFields(b, pos, width, from, to, sums);
      if (nextPatch < to) {
        for (; p < nPatches && patchIndex[p] < to; p++) {
          const i = patchIndex[p];
          if (i >= from) sum += patchValue[p] - base - fieldAt(b, pos, width, i);
        }
        nextPatch = p < nPatches ? patchIndex[p] : Infinity;
      }
      prev += sum * gcd;
      out[o++] = prev;
      e = idx++;
      if (idx >= hi) continue;
    }
    // One by one from the accumulator, placed at the next residual, up to element hi − 1;
    // elements from idx on are kept.
    if (width !== 0) {
      const bit = pos + (e + 1 - order) * width;
      bi = bit >>> 3;
      have = 8 - (bit & 7);
      acc = b[bi++] & ((1 << have) - 1);
    }
    for (let i = e + 1 - order, last = hi - order; i < last; i++) {
      while (have < width) {
        acc = (acc << 8) | b[bi++];
        have += 8;
      }
      have -= width;
      let residual: number;
      if (i >= nextPatch) {
        residual = patchValue[p++];
        while (p < nPatches && patchIndex[p] === i) residual = patchValue[p++];
        nextPatch = p < nPatches ? patchIndex[p] : Infinity;
        residual *= gcd;
      } else residual = (((acc >>> have) & mask) + base) * gcd;
      if (order === 1) prev += residual;
      else {
        d1 += residual;
        prev += d1;
      }
      if (i + order >= idx) out[o++] = prev;
    }
    e = hi - 1;
  }
  return o;
}

/**
 * Run u of readIntSequenceRanges' ranges into `run` as [lo, hi): range u, or with `asEnds`
 * the first (u even) or last (u odd) element of range u >> 1 when that is read as its ends, and
 * all of it (u even) when not; false for a run that is none (u odd then).
 */
function runOf(ranges: Int32Array, asEnds: Int32Array | undefined, u: number): boolean {
  const k = asEnds ? u >>> 1 : u;
  let lo = ranges[2 * k];
  let hi = ranges[2 * k + 1];
  if (asEnds) {
    if (asEnds[k] >= 0 && hi - lo > 1) {
      if (u & 1) lo = hi - 1;
      else hi = lo + 1;
    } else if (u & 1) return false;
  }
  run[0] = lo;
  run[1] = hi;
  return true;
}

const run = new Int32Array(2);

/** Reads a sequence's header (up to its fields) for risesOver, without its elements. */
export function readSequenceHeader(r: BitReader, m: number): void {
  if (m > 0) readHeader(r, m, undefined);
}

/**
 * The order of the sequence whose header was read last (module state), or −1 when
 * readIntSequenceRanges would not read it sparsely (fields over 24 bits).
 */
export function lastSequenceSparseOrder(): number {
  return head.width > 24 ? -1 : head.order;
}

/**
 * Whether elements [lo, hi) of the sequence whose header was read last (readSequenceHeader,
 * readIntSequenceRanges: module state) never decrease, known from its header
 * and patches alone: an order-1 sequence's residual i is (field + base)·gcd, never negative
 * with base ≥ 0 and gcd > 0, so only a negative patch among residuals lo … hi − 2 (those
 * giving elements lo + 1 … hi − 1) can make one element smaller than the one before. False
 * when that cannot be told so (other orders, a negative base).
 */
export function risesOver(lo: number, hi: number): boolean {
  if (head.order !== 1 || head.base < 0 || !(head.gcd > 0)) return false;
  const nPatches = head.nPatches;
  if (nPatches === 0) return true;
  // The first patch at or after residual lo, by bisection: windows ask in ascending order,
  // but a chunk of a day has hundreds of windows and few patches, so a search is short.
  let a = 0;
  let b = nPatches;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (patchIndex[mid] < lo) a = mid + 1;
    else b = mid;
  }
  for (; a < nPatches && patchIndex[a] < hi - 1; a++) if (patchValue[a] < 0) return false;
  return true;
}

/** Field i (width ≤ 24 bits) of the fields starting at bit `origin` of `b`, its bytes only. */
function fieldAt(b: Uint8Array, origin: number, width: number, i: number): number {
  if (width === 0) return 0;
  const bit = origin + i * width;
  const last = (bit + width - 1) >>> 3;
  let q = bit >>> 3;
  let acc = b[q] & (0xff >>> (bit & 7));
  while (q < last) acc = (acc << 8) | b[++q];
  return acc >>> (7 - ((bit + width - 1) & 7));
}

/**
 * Per width, per phase (which bit of a field a byte's first bit is), per byte value: the sum of
 * that byte's set bits weighted as their place in a field. The sum of a run of fields is the
 * sum of its bits so weighted, whichever field each bit belongs to, so whole bytes add up
 * without the fields being unpacked. Rows are 256 entries; `next` gives, per phase, the row
 * offsets of the four bytes after one of that phase: loads rather than a branch on the phase
 * wrapping (twice as slow on widths that vary from chunk to chunk), four at a time so that a
 * byte's row does not wait on the load of the row before it.
 */
interface FieldSums {
  rows: Int32Array;
  next: Int32Array;
}

const fieldSums: FieldSums[] = [];

function fieldSumsOf(width: number): FieldSums {
  const known = fieldSums[width];
  if (known) return known;
  const rows = new Int32Array(width * 256);
  const next = new Int32Array(width * 4);
  for (let phase = 0; phase < width; phase++) {
    for (let j = 0; j < 4; j++) next[phase * 4 + j] = ((phase + 8 * (j + 1)) % width) * 256;
    for (let byte = 0; byte < 256; byte++) {
      let sum = 0;
      for (let j = 0; j < 8; j++)
        if (byte & (0x80 >>> j)) sum += 2 ** (width - 1 - ((phase + j) % width));
      rows[phase * 256 + byte] = sum;
    }
  }
  return (fieldSums[width] = { rows, next });
}

/**
 * The sum of fields [from, to) (width ≤ 24 bits) of the fields starting at bit `origin` of `b`,
 * with the width's tables (a caller summing many runs passes them, looked up once).
 */
export function sumFields(
  b: Uint8Array,
  origin: number,
  width: number,
  from: number,
  to: number,
  sums = fieldSumsOf(width),
): number {
  if (to <= from || width === 0) return 0;
  const { rows, next } = sums;
  const s = origin + from * width;
  const e = origin + to * width;
  let q = s >>> 3;
  const last = (e - 1) >>> 3;
  // The first byte starts (s & 7) bits before field `from`: its phase is −(s & 7) mod width,
  // found without a division (a modulo by a variable was this function's costliest line).
  let back = s & 7;
  while (back >= width) back -= width;
  let row = (back === 0 ? 0 : width - back) * 256;
  // Bits before s and from e on are masked off the first and last bytes.
  const tail = e & 7 ? (0xff << (8 - (e & 7))) & 0xff : 0xff;
  const head = b[q] & (0xff >>> (s & 7));
  if (q === last) return rows[row + (head & tail)];
  let sum = rows[row + head];
  for (q++; q + 4 <= last; q += 4) {
    const at = row >>> 6; // the phase's four entries in `next`
    const r1 = next[at];
    const r2 = next[at + 1];
    const r3 = next[at + 2];
    row = next[at + 3];
    sum += rows[r1 + b[q]] + rows[r2 + b[q + 1]] + rows[r3 + b[q + 2]] + rows[row + b[q + 3]];
  }
  for (; q < last; q++) {
    row = next[row >>> 6];
    sum += rows[row + b[q]];
  }
  row = next[row >>> 6];
  return sum + rows[row + (b[last] & tail)];
}

interface Plan {
  order: number;
  gcd: number;
  base: number;
  width: number;
  residuals: number[];
  patches: number[];
  cost: number;
}

function planOrder(xs: ArrayLike<number>, order: number): Plan {
  const m = xs.length;
  const residuals: number[] = new Array(m - order);
  let g = 0;
  for (let i = order; i < m; i++) {
    const r =
      order === 0 ? xs[i] : order === 1 ? xs[i] - xs[i - 1] : xs[i] - 2 * xs[i - 1] + xs[i - 2];
    residuals[i - order] = r;
    g = gcd(g, Math.abs(r));
  }
  if (g === 0) g = 1;
  if (g !== 1) for (let i = 0; i < residuals.length; i++) residuals[i] /= g;
  const sorted = Float64Array.from(residuals).sort();
  let bestWidth = 0;
  let bestBase = sorted.length ? sorted[0] : 0;
  let bestCost = Infinity;
  for (let width = 0; width <= 53; width++) {
    const span = 2 ** width;
    // The window [base, base + span) that holds the most residuals.
    let most = 0;
    let base = bestBase;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (j < sorted.length && sorted[j] - sorted[i] < span) j++;
      if (j - i > most) {
        most = j - i;
        base = sorted[i];
      }
    }
    const cost = residuals.length * width + (residuals.length - most) * PATCH_BITS;
    if (cost < bestCost) {
      bestCost = cost;
      bestWidth = width;
      bestBase = base;
    }
    if (most === residuals.length) break; // wider only costs more
  }
  const span = 2 ** bestWidth;
  const patches: number[] = [];
  for (let i = 0; i < residuals.length; i++) {
    const d = residuals[i] - bestBase;
    if (d < 0 || d >= span) patches.push(i);
  }
  return {
    order,
    gcd: g,
    base: bestBase,
    width: bestWidth,
    residuals,
    patches,
    cost: bestCost + order * 48,
  };
}

function gcd(a: number, b: number): number {
  while (b) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

function unzigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}

/** Unsigned integer < 2^53 in 7-bit groups, low group first. */
function writeVarint(w: BitWriter, v: number): void {
  while (v >= 0x80) {
    w.write((v % 0x80) | 0x80, 8);
    v = Math.floor(v / 0x80);
  }
  w.write(v, 8);
}

function readVarint(r: BitReader): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    const b = r.read(8);
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 0x80;
  }
  throw new RangeError('varint too long');
}

function writeWide(w: BitWriter, v: number, bits: number): void {
  if (bits > 32) {
    w.write(Math.floor(v / TWO_32), bits - 32);
    w.write(v % TWO_32, 32);
  } else if (bits > 0) {
    w.write(v, bits);
  }
}

function readWide(r: BitReader, bits: number): number {
  if (bits > 32) return r.read(bits - 32) * TWO_32 + r.read(32);
  return bits > 0 ? r.read(bits) : 0;
}
