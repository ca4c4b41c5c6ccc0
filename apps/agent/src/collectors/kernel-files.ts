import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads small kernel files (/proc/stat, /sys/class/net/eth0/mtu, …) every interval through
 * descriptors opened once: a read at offset 0 of a /proc seq_file or a sysfs attribute
 * regenerates its contents, so there is no open/close per collection, and every file goes
 * through one reused byte buffer.
 */
export class KernelFiles {
  private readonly fds = new Map<string, number>();
  private buf = Buffer.allocUnsafe(64 * 1024);

  /**
   * `keepOpen: false` for per-device files (/sys/class/net/<dev>/…): devices come and go (a
   * container host's veths), and a descriptor per device would pile up.
   */
  constructor(
    private readonly root: string,
    private readonly keepOpen = true,
  ) {}

  /** The whole file as text; throws when it cannot be read (the caller skips those metrics). */
  read(file: string): string {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fd = openSync(join(this.root, file), 'r');
      if (this.keepOpen) this.fds.set(file, fd);
    }
    try {
      let len = 0;
      for (;;) {
        if (len === this.buf.length) {
          const grown = Buffer.allocUnsafe(this.buf.length * 2);
          this.buf.copy(grown);
          this.buf = grown;
        }
        const n = readSync(fd, this.buf, len, this.buf.length - len, len);
        if (n === 0) break;
        len += n;
      }
      if (!this.keepOpen) closeSync(fd);
      // The kernel writes ASCII here (device and mount names are octal-escaped): latin1 is the
      // cheapest exact decoding.
      return this.buf.toString('latin1', 0, len);
    } catch (err) {
      // A descriptor that went bad (file gone, namespace changed) is reopened next time.
      this.fds.delete(file);
      closeSync(fd);
      throw err;
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
