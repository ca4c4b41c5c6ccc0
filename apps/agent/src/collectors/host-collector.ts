import { readFileSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Kernel clock ticks per second: 100 on every Linux architecture node_exporter supports. */
const USER_HZ = 100;
const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
// node_exporter's defaults (collector/filesystem_linux.go, diskstats_linux.go): pseudo file
// systems, runtime mounts and partitions are not reported.
const FS_TYPES_EXCLUDE = /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;
const MOUNT_EXCLUDE = /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
const DISK_EXCLUDE = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;
const SECTOR = 512;

export interface HostCollectorOptions {
  /** /proc and /sys roots, for tests with fixture trees. */
  procRoot?: string;
  sysRoot?: string;
  now?: () => number;
}

/**
 * Linux host metrics from /proc and /sys, with node_exporter's names, labels and units, so
 * dashboards and rules written for node_exporter work unchanged. Each collector fails alone: a
 * missing file drops its metrics, never the others.
 */
export class HostCollector {
  private readonly proc: string;
  private readonly now: () => number;

  constructor(options: HostCollectorOptions = {}) {
    this.proc = options.procRoot ?? '/proc';
    this.now = options.now ?? Date.now;
  }

  collect(): Sample[] {
    const out: Sample[] = [];
    for (const c of [this.stat, this.meminfo, this.loadavg, this.filesystems, this.diskstats, this.netdev]) {
      try {
        c.call(this, out);
      } catch {
        // A collector whose source is missing (containers, old kernels) contributes nothing.
      }
    }
    out.push(metric('node_time_seconds', {}, this.now() / 1000));
    return out;
  }

  private read(file: string): string {
    return readFileSync(join(this.proc, file), 'utf8');
  }

  private stat(out: Sample[]): void {
    for (const line of this.read('stat').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (/^cpu\d+$/.test(f[0])) {
        CPU_MODES.forEach((mode, i) => {
          if (f[i + 1] !== undefined) out.push(metric('node_cpu_seconds_total', { cpu: f[0].slice(3), mode }, Number(f[i + 1]) / USER_HZ));
        });
      } else if (f[0] === 'btime') out.push(metric('node_boot_time_seconds', {}, Number(f[1])));
      else if (f[0] === 'ctxt') out.push(metric('node_context_switches_total', {}, Number(f[1])));
      else if (f[0] === 'intr') out.push(metric('node_intr_total', {}, Number(f[1])));
      else if (f[0] === 'procs_running') out.push(metric('node_procs_running', {}, Number(f[1])));
      else if (f[0] === 'procs_blocked') out.push(metric('node_procs_blocked', {}, Number(f[1])));
    }
  }

  private meminfo(out: Sample[]): void {
    for (const line of this.read('meminfo').split('\n')) {
      const m = /^([^:]+):\s+(\d+)(\s+kB)?/.exec(line);
      if (!m) continue;
      // node_exporter: "Active(anon)" → node_memory_Active_anon_bytes; kB fields become bytes,
      // unit-less counts (HugePages_Total) keep node_exporter's name without _bytes.
      const name = m[1].replace(/\((.*)\)/, '_$1');
      const value = Number(m[2]) * (m[3] ? 1024 : 1);
      out.push(metric(m[3] ? `node_memory_${name}_bytes` : `node_memory_${name}`, {}, value));
    }
  }

  private loadavg(out: Sample[]): void {
    const [l1, l5, l15] = this.read('loadavg').trim().split(/\s+/).map(Number);
    out.push(metric('node_load1', {}, l1), metric('node_load5', {}, l5), metric('node_load15', {}, l15));
  }

  private filesystems(out: Sample[]): void {
    const seen = new Set<string>();
    for (const line of this.read('mounts').split('\n')) {
      const [device, rawMount, fstype] = line.split(' ');
      if (!device || !rawMount) continue;
      const mountpoint = rawMount.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      if (FS_TYPES_EXCLUDE.test(fstype) || MOUNT_EXCLUDE.test(mountpoint)) continue;
      const key = `${device} ${mountpoint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let s;
      try {
        s = statfsSync(mountpoint);
      } catch {
        out.push(metric('node_filesystem_device_error', { device, fstype, mountpoint }, 1));
        continue;
      }
      const labels = { device, fstype, mountpoint };
      out.push(
        metric('node_filesystem_size_bytes', labels, s.blocks * s.bsize),
        metric('node_filesystem_free_bytes', labels, s.bfree * s.bsize),
        metric('node_filesystem_avail_bytes', labels, s.bavail * s.bsize),
        metric('node_filesystem_files', labels, s.files),
        metric('node_filesystem_files_free', labels, s.ffree),
      );
    }
  }

  private diskstats(out: Sample[]): void {
    for (const line of this.read('diskstats').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 14) continue;
      const device = f[2];
      if (DISK_EXCLUDE.test(device)) continue;
      const n = (i: number) => Number(f[i]);
      const labels = { device };
      out.push(
        metric('node_disk_reads_completed_total', labels, n(3)),
        metric('node_disk_read_bytes_total', labels, n(5) * SECTOR),
        metric('node_disk_read_time_seconds_total', labels, n(6) / 1000),
        metric('node_disk_writes_completed_total', labels, n(7)),
        metric('node_disk_written_bytes_total', labels, n(9) * SECTOR),
        metric('node_disk_write_time_seconds_total', labels, n(10) / 1000),
        metric('node_disk_io_now', labels, n(11)),
        metric('node_disk_io_time_seconds_total', labels, n(12) / 1000),
      );
    }
  }

  private netdev(out: Sample[]): void {
    for (const line of this.read('net/dev').split('\n').slice(2)) {
      const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      const f = m[2].trim().split(/\s+/).map(Number);
      const labels = { device: m[1] };
      out.push(
        metric('node_network_receive_bytes_total', labels, f[0]),
        metric('node_network_receive_packets_total', labels, f[1]),
        metric('node_network_receive_errs_total', labels, f[2]),
        metric('node_network_receive_drop_total', labels, f[3]),
        metric('node_network_transmit_bytes_total', labels, f[8]),
        metric('node_network_transmit_packets_total', labels, f[9]),
        metric('node_network_transmit_errs_total', labels, f[10]),
        metric('node_network_transmit_drop_total', labels, f[11]),
      );
    }
  }
}

function metric(name: string, labels: Record<string, string>, value: number): Sample {
  return { labels: { __name__: name, ...labels }, value };
}

/** CPU count as /sys sees it, for a quick sanity line in the agent's log. */
export function onlineCpus(sysRoot = '/sys'): number {
  try {
    return readdirSync(join(sysRoot, 'devices/system/cpu')).filter((d) => /^cpu\d+$/.test(d)).length;
  } catch {
    return 0;
  }
}
