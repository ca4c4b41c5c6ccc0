// The arrays a query's select fills, taken from blocks this process keeps and reuses. A 7-day
// select of 8 series holds ~2.6 MB of samples, of 80 series ~7 MB, and every select used to
// allocate it afresh: fresh memory costs the first write to each page and, as external memory,
// pushes V8 into early scavenges, and on the bench machine (a VM that hands freed pages back to
// its host) a 160 KB array took ~0.6 ms to allocate inside a busy api, more than decoding it.
// Blocks handed back by releaseSamples go to the next select already paged in.

/** Float64 slots per block (512 KiB); a larger array is allocated on its own, never pooled. */
const BLOCK = 1 << 16;
/** Free blocks kept at most (32 MiB); more handed back are left to the garbage collector. */
const MAX_FREE = 64;

const free: Float64Array[] = [];
/** Every block this pool made, so a release ignores arrays that are not its own. */
const ours = new WeakSet<ArrayBuffer>();
/** Blocks in `free`: a second release of the same arrays must not list a block twice. */
const idle = new WeakSet<ArrayBuffer>();

/**
 * Hands out the arrays of one select, back to back in pooled blocks. An arena belongs to one
 * select, so no two reads ever share a block.
 */
export class SampleArena {
  private block: Float64Array | undefined;
  private used = 0;

  take(n: number): Float64Array {
    if (n > BLOCK) return new Float64Array(n);
    if (!this.block || this.used + n > BLOCK) {
      this.block = takeBlock();
      this.used = 0;
    }
    const out = this.block.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

function takeBlock(): Float64Array {
  const block = free.pop();
  if (block) {
    idle.delete(block.buffer as ArrayBuffer);
    return block;
  }
  const made = new Float64Array(BLOCK);
  ours.add(made.buffer);
  return made;
}

/**
 * Gives the blocks behind these series' arrays back for the next select. Only for a caller that
 * owns the series and keeps none of their arrays, nor any view of them, once this returns (the
 * engine, after evaluating a query): a block is written over by the next select that takes it.
 * Arrays not from a pooled block are ignored; releasing the same series twice is harmless.
 */
export function releaseSamples(
  series: Iterable<{
    timestamps: Float64Array;
    values: Float64Array;
    ends?: { data: Float64Array };
  }>,
): void {
  for (const s of series) {
    giveBack(s.timestamps.buffer);
    giveBack(s.values.buffer);
    if (s.ends) giveBack(s.ends.data.buffer);
  }
}

function giveBack(buffer: ArrayBufferLike): void {
  const b = buffer as ArrayBuffer;
  if (!ours.has(b) || idle.has(b) || free.length >= MAX_FREE) return;
  idle.add(b);
  free.push(new Float64Array(b));
}
