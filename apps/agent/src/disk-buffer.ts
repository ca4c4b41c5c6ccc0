import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A bounded FIFO of encoded write requests on disk, one file per batch named by a zero-padded
 * sequence so a directory listing is the send order. Survives restarts; when over its byte
 * budget it deletes the oldest batches and counts them (the agent reports the count as a series).
 */
export class DiskBuffer {
  private seq = 0;
  private bytes = 0;
  private files: { name: string; size: number }[] = [];
  dropped = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).filter((n) => /^\d{16}\.rw$/.test(n)).sort()) {
      const size = statSync(join(dir, name)).size;
      this.files.push({ name, size });
      this.bytes += size;
      this.seq = Math.max(this.seq, Number(name.slice(0, 16)) + 1);
    }
    // Half-written files from a crash are never listed (written as .tmp, renamed when complete).
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.tmp'))) rmSync(join(dir, name), { force: true });
  }

  get length(): number {
    return this.files.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  push(batch: Buffer): void {
    const name = `${String(this.seq++).padStart(16, '0')}.rw`;
    writeFileSync(join(this.dir, `${name}.tmp`), batch);
    renameSync(join(this.dir, `${name}.tmp`), join(this.dir, name));
    this.files.push({ name, size: batch.length });
    this.bytes += batch.length;
    while (this.bytes > this.maxBytes && this.files.length > 1) {
      const oldest = this.files.shift()!;
      rmSync(join(this.dir, oldest.name), { force: true });
      this.bytes -= oldest.size;
      this.dropped++;
    }
  }

  peek(): Buffer | null {
    const first = this.files[0];
    return first ? readFileSync(join(this.dir, first.name)) : null;
  }

  shift(): void {
    const first = this.files.shift();
    if (!first) return;
    rmSync(join(this.dir, first.name), { force: true });
    this.bytes -= first.size;
  }
}
