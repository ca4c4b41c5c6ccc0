import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NAME = /^(\d{16})\.rw$/;

/**
 * A bounded FIFO of encoded write requests on disk, one file per batch named by its zero-padded
 * sequence number, so a directory listing is the send order. Survives restarts; when over its
 * byte budget it deletes the oldest batches and counts them (the agent reports the count).
 */
export class DiskBuffer {
  private next = 0;
  private bytes = 0;
  private files: { seq: number; size: number }[] = [];
  dropped = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    const names = readdirSync(dir);
    for (const name of names.filter((n) => NAME.test(n)).sort()) {
      const seq = Number(NAME.exec(name)![1]);
      const size = statSync(join(dir, name)).size;
      this.files.push({ seq, size });
      this.bytes += size;
      this.next = seq + 1;
    }
    // Half-written files from a crash are never listed (written as .tmp, renamed when complete).
    for (const name of names.filter((n) => n.endsWith('.tmp'))) rmSync(join(dir, name), { force: true });
  }

  get length(): number {
    return this.files.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Sequence numbers continue those left on disk, so batches from before a restart go first. */
  allocate(): number {
    return this.next++;
  }

  /** `seq` must be above every sequence number already here. */
  push(batch: Buffer, seq = this.allocate()): void {
    if (this.files.length && seq <= this.files.at(-1)!.seq) throw new Error(`disk buffer: batch ${seq} is out of order`);
    this.next = Math.max(this.next, seq + 1);
    const file = this.path(seq);
    writeFileSync(`${file}.tmp`, batch);
    renameSync(`${file}.tmp`, file);
    this.files.push({ seq, size: batch.length });
    this.bytes += batch.length;
    while (this.bytes > this.maxBytes && this.files.length > 1) {
      const oldest = this.files.shift()!;
      rmSync(this.path(oldest.seq), { force: true });
      this.bytes -= oldest.size;
      this.dropped++;
    }
  }

  /** The oldest batch and its sequence number. */
  peek(): { seq: number; body: Buffer } | null {
    const first = this.files[0];
    return first ? { seq: first.seq, body: readFileSync(this.path(first.seq)) } : null;
  }

  get headSeq(): number | undefined {
    return this.files[0]?.seq;
  }

  shift(): void {
    const first = this.files.shift();
    if (!first) return;
    rmSync(this.path(first.seq), { force: true });
    this.bytes -= first.size;
  }

  private path(seq: number): string {
    return join(this.dir, `${String(seq).padStart(16, '0')}.rw`);
  }
}
