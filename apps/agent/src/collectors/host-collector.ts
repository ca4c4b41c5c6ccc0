import { statfs as fsStatfs, type StatsFs } from 'node:fs';
import { KernelFiles } from './kernel-files';

/**
 * One series' latest value. The collector keeps the same object for a series from one
 * collection to the next (only `value` changes), so a sender can cache per-series work on it.
 */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
  /** The sender's cache of this series' encoded labels (see apps/agent/src/agent.ts). */
  encoded?: Buffer;
}

/** Kernel clock ticks per second: 100 on every Linux architecture node_exporter supports. */
const USER_HZ = 100;
const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
// The defaults of Debian's prometheus-node-exporter 1.5, the peer the issue names (`--help`:
// its mount-point and netdev excludes are Debian's, wider than upstream's): pseudo file systems,
// runtime and removable mounts, partitions and loopback traffic are not reported.
const FS_TYPES_EXCLUDE = /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;
const MOUNT_EXCLUDE = /^\/(dev|proc|run|sys|mnt|media|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
const DISK_EXCLUDE = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;
const NETDEV_EXCLUDE = /^lo$/;
const SECTOR = 512;
/**
 * node_exporter's `--collector.filesystem.mount-timeout` default: a statfs unanswered this long
 * (a hung NFS server) reports device_error 1, and the mount is skipped until that call returns.
 */
const STATFS_TIMEOUT_MS = 5000;
const WHITESPACE = /\s+/;

const STAT_SINGLES: Record<string, string> = {
  btime: 'node_boot_time_seconds',
  ctxt: 'node_context_switches_total',
  intr: 'node_intr_total',
  procs_running: 'node_procs_running',
  procs_blocked: 'node_procs_blocked',
  processes: 'node_forks_total',
};
const DISK_METRICS = [
  'node_disk_reads_completed_total',
  'node_disk_read_bytes_total',
  'node_disk_read_time_seconds_total',
  'node_disk_writes_completed_total',
  'node_disk_written_bytes_total',
  'node_disk_write_time_seconds_total',
  'node_disk_io_now',
  'node_disk_io_time_seconds_total',
];
const NET_METRICS = [
  'node_network_receive_bytes_total',
  'node_network_receive_packets_total',
  'node_network_receive_errs_total',
  'node_network_receive_drop_total',
  'node_network_transmit_bytes_total',
  'node_network_transmit_packets_total',
  'node_network_transmit_errs_total',
  'node_network_transmit_drop_total',
];
// /proc/net/dev columns (after the interface name) of NET_METRICS, in order.
const NET_COLUMNS = [0, 1, 2, 3, 8, 9, 10, 11];
// node_exporter's netclass collector, from /sys/class/net/<device>/.
const LINK_METRICS = ['node_network_up', 'node_network_mtu_bytes', 'node_network_speed_bytes'];
const FS_METRICS = [
  'node_filesystem_size_bytes',
  'node_filesystem_free_bytes',
  'node_filesystem_avail_bytes',
  'node_filesystem_files',
  'node_filesystem_files_free',
  'node_filesystem_readonly',
  'node_filesystem_device_error',
];

/**
 * Rows of samples keyed by what the source names them by (a CPU, a disk, a mount), created on
 * first sight and forgotten when a collection no longer sees them (a disk unplugged).
 */
class SeriesRows {
  private readonly rows = new Map<string, { seen: number; samples: Sample[] }>();

  constructor(private readonly labelsOf: (key: string) => Record<string, string>[]) {}

  row(key: string, generation: number): Sample[] {
    let r = this.rows.get(key);
    if (!r) {
      r = { seen: generation, samples: this.labelsOf(key).map((labels) => ({ labels, value: 0 })) };
      this.rows.set(key, r);
    }
    r.seen = generation;
    return r.samples;
  }

  forgetUnseen(generation: number): void {
    for (const [key, r] of this.rows) if (r.seen !== generation) this.rows.delete(key);
  }
}

export interface HostCollectorOptions {
  /** /proc and /sys roots, for tests with fixture trees. */
  procRoot?: string;
  sysRoot?: string;
  now?: () => number;
  /** statfs(2); tests give one that never answers, as a hung network mount would. */
  statfs?: (path: string, callback: (err: NodeJS.ErrnoException | null, stats: StatsFs) => void) => void;
  statfsTimeoutMs?: number;
}

/**
 * Linux host metrics from /proc and /sys (and statfs), with node_exporter's names, labels and units, so
 * dashboards and rules written for node_exporter work unchanged. Each source fails alone: a
 * missing file drops its metrics, never the others. Steady state allocates little: files are
 * read through kept descriptors into one buffer, and series objects live across collections.
 */
export class HostCollector {
  private readonly files: KernelFiles;
  private readonly sys: KernelFiles;
  private readonly now: () => number;
  private generation = 0;
  private readonly out: Sample[] = [];
  private readonly cpus = new SeriesRows((cpu) => CPU_MODES.map((mode) => ({ __name__: 'node_cpu_seconds_total', cpu, mode })));
  private readonly singles = new SeriesRows((name) => [{ __name__: name }]);
  private readonly disks = new SeriesRows((device) => DISK_METRICS.map((name) => ({ __name__: name, device })));
  private readonly nets = new SeriesRows((device) => NET_METRICS.map((name) => ({ __name__: name, device })));
  private readonly links = new SeriesRows((device) => LINK_METRICS.map((name) => ({ __name__: name, device })));
  private readonly mounts = new SeriesRows((key) => {
    const [device, fstype, mountpoint] = key.split('\0');
    return FS_METRICS.map((name) => ({ __name__: name, device, fstype, mountpoint }));
  });
  private readonly all = [this.cpus, this.singles, this.disks, this.nets, this.links, this.mounts];
  private readonly sources = [this.stat, this.meminfo, this.loadavg, this.diskstats, this.netdev];
  private readonly statfs: NonNullable<HostCollectorOptions['statfs']>;
  private readonly statfsTimeoutMs: number;
  /** Mounts whose statfs outlived its timeout and has not returned yet. */
  private readonly stuckMounts = new Set<string>();

  constructor(options: HostCollectorOptions = {}) {
    this.files = new KernelFiles(options.procRoot ?? '/proc');
    this.sys = new KernelFiles(options.sysRoot ?? '/sys', false);
    this.now = options.now ?? Date.now;
    this.statfs = options.statfs ?? fsStatfs;
    this.statfsTimeoutMs = options.statfsTimeoutMs ?? STATFS_TIMEOUT_MS;
  }

  /**
   * This collection's samples; the array and its objects are reused by the next call, so calls
   * must not overlap (the agent never starts a collection while one runs).
   */
  async collect(): Promise<readonly Sample[]> {
    const gen = ++this.generation;
    this.out.length = 0;
    for (const source of this.sources) {
      try {
        source.call(this, gen);
      } catch {
        // A source that is missing (containers, old kernels) contributes nothing.
      }
    }
    try {
      await this.filesystems(gen);
    } catch {
      // No /proc/mounts: no file system series.
    }
    this.single('node_time_seconds', gen, this.now() / 1000);
    for (const rows of this.all) rows.forgetUnseen(gen);
    return this.out;
  }

  close(): void {
    this.files.close();
    this.sys.close();
  }

  private single(name: string, gen: number, value: number): void {
    const [s] = this.singles.row(name, gen);
    s.value = value;
    this.out.push(s);
  }

  private stat(gen: number): void {
    for (const line of this.files.read('stat').split('\n')) {
      const f = line.split(WHITESPACE);
      const key = f[0];
      if (key.startsWith('cpu') && key.length > 3) {
        const row = this.cpus.row(key.slice(3), gen);
        for (let i = 0; i < row.length && i + 1 < f.length; i++) {
          row[i].value = Number(f[i + 1]) / USER_HZ;
          this.out.push(row[i]);
        }
      } else if (STAT_SINGLES[key] !== undefined) this.single(STAT_SINGLES[key], gen, Number(f[1]));
    }
  }

  private meminfo(gen: number): void {
    for (const line of this.files.read('meminfo').split('\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const f = line.slice(colon + 1).trim().split(WHITESPACE);
      // node_exporter: "Active(anon)" → node_memory_Active_anon_bytes; kB fields become bytes,
      // unit-less counts (HugePages_Total) keep node_exporter's name without _bytes.
      const field = line.slice(0, colon);
      const kb = f[1] === 'kB';
      const name = field.includes('(') ? field.replace(/\((.*)\)/, '_$1') : field;
      this.single(kb ? `node_memory_${name}_bytes` : `node_memory_${name}`, gen, Number(f[0]) * (kb ? 1024 : 1));
    }
  }

  private loadavg(gen: number): void {
    const f = this.files.read('loadavg').split(' ');
    this.single('node_load1', gen, Number(f[0]));
    this.single('node_load5', gen, Number(f[1]));
    this.single('node_load15', gen, Number(f[2]));
  }

  /**
   * statfs runs on libuv's thread pool, never on the event loop: a hung network mount costs one
   * pool thread until it answers, not the agent's collections and sends.
   */
  private async filesystems(gen: number): Promise<void> {
    const seen = new Set<string>();
    const pending: Promise<void>[] = [];
    for (const line of this.files.read('mounts').split('\n')) {
      const [device, rawMount, fstype, options] = line.split(' ');
      if (!device || !rawMount || FS_TYPES_EXCLUDE.test(fstype)) continue;
      const mountpoint = rawMount.includes('\\') ? rawMount.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : rawMount;
      if (MOUNT_EXCLUDE.test(mountpoint)) continue;
      const key = `${device}\0${fstype}\0${mountpoint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [size, free, avail, files, filesFree, readonly, deviceError] = this.mounts.row(key, gen);
      readonly.value = /(^|,)ro(,|$)/.test(options ?? '') ? 1 : 0;
      pending.push(
        this.statfsWithin(mountpoint).then((s) => {
          // As node_exporter: a mount statfs cannot read (or not in time) reports device_error 1 and no sizes.
          if (!s) {
            deviceError.value = 1;
            this.out.push(readonly, deviceError);
            return;
          }
          size.value = s.blocks * s.bsize;
          free.value = s.bfree * s.bsize;
          avail.value = s.bavail * s.bsize;
          files.value = s.files;
          filesFree.value = s.ffree;
          deviceError.value = 0;
          this.out.push(size, free, avail, files, filesFree, readonly, deviceError);
        }),
      );
    }
    await Promise.all(pending);
  }

  /** The mount's statfs, or null when it fails, outlives the timeout, or an earlier one is still stuck. */
  private statfsWithin(mountpoint: string): Promise<StatsFs | null> {
    if (this.stuckMounts.has(mountpoint)) return Promise.resolve(null);
    return new Promise((resolve) => {
      let answered = false;
      const timer = setTimeout(() => {
        answered = true;
        this.stuckMounts.add(mountpoint);
        resolve(null);
      }, this.statfsTimeoutMs);
      timer.unref();
      this.statfs(mountpoint, (err, stats) => {
        this.stuckMounts.delete(mountpoint);
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(err ? null : stats);
      });
    });
  }

  private diskstats(gen: number): void {
    for (const line of this.files.read('diskstats').split('\n')) {
      const f = line.trim().split(WHITESPACE);
      if (f.length < 14 || DISK_EXCLUDE.test(f[2])) continue;
      const row = this.disks.row(f[2], gen);
      row[0].value = Number(f[3]);
      row[1].value = Number(f[5]) * SECTOR;
      row[2].value = Number(f[6]) / 1000;
      row[3].value = Number(f[7]);
      row[4].value = Number(f[9]) * SECTOR;
      row[5].value = Number(f[10]) / 1000;
      row[6].value = Number(f[11]);
      row[7].value = Number(f[12]) / 1000;
      for (const s of row) this.out.push(s);
    }
  }

  private netdev(gen: number): void {
    const lines = this.files.read('net/dev').split('\n');
    for (let i = 2; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon < 0) continue;
      const f = lines[i].slice(colon + 1).trim().split(WHITESPACE);
      const device = lines[i].slice(0, colon).trim();
      // The link state of every device (lo included, as node_exporter's netclass), traffic of all but lo.
      this.netclass(device, gen);
      if (NETDEV_EXCLUDE.test(device)) continue;
      const row = this.nets.row(device, gen);
      for (let m = 0; m < row.length; m++) {
        row[m].value = Number(f[NET_COLUMNS[m]]);
        this.out.push(row[m]);
      }
    }
  }

  /** As node_exporter: up is operstate "up"; an attribute the driver refuses (speed of lo) is left out. */
  private netclass(device: string, gen: number): void {
    const [up, mtu, speed] = this.links.row(device, gen);
    const dir = `class/net/${device}/`;
    const attr = (name: string): number | undefined => {
      try {
        return Number(this.sys.read(dir + name));
      } catch {
        return undefined;
      }
    };
    let operstate: string;
    try {
      operstate = this.sys.read(`${dir}operstate`).trim();
    } catch {
      return; // no /sys (a container without it): no link metrics
    }
    up.value = operstate === 'up' ? 1 : 0;
    this.out.push(up);
    const m = attr('mtu');
    if (m !== undefined && Number.isFinite(m)) {
      mtu.value = m;
      this.out.push(mtu);
    }
    // Mbit/s in sysfs, bytes/s in node_exporter (its -1 for "unknown" becomes -125000 there too).
    const s = attr('speed');
    if (s !== undefined && Number.isFinite(s)) {
      speed.value = s * 125000;
      this.out.push(speed);
    }
  }
}
