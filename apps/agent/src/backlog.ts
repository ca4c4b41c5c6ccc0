import type { DiskBuffer } from './disk-buffer';

export interface Batch {
  /** Position in the send order; survives a spill to disk, so a send can be acknowledged. */
  seq: number;
  body: Buffer;
}

/**
 * The batches not yet accepted by Tocsin, oldest first: in memory while sends succeed (no disk
 * write per batch), on disk once a send fails or more than `memoryBatches` wait, so an outage
 * survives a restart and is bounded by the disk buffer's budget. While anything waits on disk,
 * new batches are appended there too, so at most one of the two holds batches and the order is
 * the order of collection.
 */
export class Backlog {
  private readonly memory: Batch[] = [];
  /** Batches written to disk, and batches lost because the disk write failed. */
  spilled = 0;
  unwritable = 0;

  constructor(
    readonly disk: DiskBuffer,
    private readonly memoryBatches: number,
    private readonly log: (msg: string) => void,
  ) {}

  get length(): number {
    return this.disk.length + this.memory.length;
  }

  /** Batches lost: the oldest, over the disk budget, and any that could not be written. */
  get dropped(): number {
    return this.disk.dropped + this.unwritable;
  }

  push(body: Buffer): void {
    const batch = { seq: this.disk.allocate(), body };
    if (this.disk.length > 0) this.toDisk(batch);
    else {
      this.memory.push(batch);
      if (this.memory.length > this.memoryBatches) this.spill();
    }
  }

  peek(): Batch | null {
    return this.disk.length > 0 ? this.disk.peek() : (this.memory[0] ?? null);
  }

  /** Removes the batch Tocsin accepted; a no-op if it was dropped over the budget meanwhile. */
  ack(seq: number): void {
    if (this.disk.headSeq === seq) this.disk.shift();
    else if (this.memory[0]?.seq === seq) this.memory.shift();
  }

  /** Moves the in-memory batches to disk, keeping their order (they are newer than the disk's). */
  spill(): void {
    for (const batch of this.memory) this.toDisk(batch);
    this.memory.length = 0;
  }

  private toDisk(batch: Batch): void {
    try {
      this.disk.push(batch.body, batch.seq);
      this.spilled++;
    } catch (err) {
      this.unwritable++;
      this.log(`buffer write failed, batch dropped: ${(err as Error).message}`);
    }
  }
}
