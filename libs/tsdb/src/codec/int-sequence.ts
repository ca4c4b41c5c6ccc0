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

export function readIntSequence(r: BitReader, m: number, out: Float64Array): void {
  if (m === 0) return;
  const order = r.read(2);
  if (order > 2 || order > m) throw new RangeError('corrupt sequence order');
  for (let i = 0; i < order; i++) out[i] = unzigzag(readVarint(r));
  const gcd = readVarint(r);
  const base = unzigzag(readVarint(r));
  const width = r.read(6);
  const nPatches = readVarint(r);
  const n = m - order;
  // At most one patch per residual; a larger count is corruption, not a scratch size to keep.
  if (nPatches > n) throw new RangeError('corrupt patch count');
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
