const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Prometheus durations ("30s", "1h30m", "0s") or a number of milliseconds, to milliseconds. */
export function parseDuration(value: unknown, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${what} must be a non-negative duration`);
    return Math.round(value);
  }
  if (typeof value !== 'string' || !/^(\d+(ms|s|m|h|d|w))+$/.test(value.trim())) {
    throw new Error(
      `${what}: ${JSON.stringify(value)} is not a duration like "30s", "5m" or "1h30m"`,
    );
  }
  let ms = 0;
  for (const [, n, unit] of value.trim().matchAll(/(\d+)(ms|s|m|h|d|w)/g))
    ms += Number(n) * UNIT_MS[unit];
  return ms;
}

/** The shortest Prometheus form of a duration in milliseconds. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms']) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
