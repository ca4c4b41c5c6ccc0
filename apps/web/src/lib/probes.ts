// Text ↔ value conversions for the probe forms (apps/web/src/app/(app)/probes). Each parser
// returns the value or a sentence saying what is wrong, shown beside the field before anything
// is sent; the api validates again and its word is final.

/** "Name: value" per line → headers. Blank lines are skipped. */
export function parseHeaders(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Header line ${i + 1} needs the form "Name: value".`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function formatHeaders(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** "200, 301" → [200, 301]; empty → undefined (the api then accepts any 2xx). */
export function parseStatusList(text: string): number[] | undefined | string {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  const codes = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isInteger(codes[i]) || codes[i] < 100 || codes[i] > 599);
  if (bad !== undefined) return `"${bad}" is not an HTTP status (100–599).`;
  return codes;
}

/** One value per line or comma-separated → list. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** "key=value" per line (or comma-separated) → labels, with Prometheus label-name rules. */
export function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of parseList(text)) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
      return `"${part}" needs the form name=value, with a Prometheus label name.`;
    labels[name] = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return labels;
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** 90 → "90 s", 3600 → "1 h", 5400 → "90 min". */
export function formatInterval(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Seconds as milliseconds below one second, else seconds: 0.0123 → "12 ms", 1.5 → "1.50 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(2)} s`;
}

function coarse(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** How long ago (or until), coarse: "just now", "42 s ago", "5 min ago", "in 3 h". */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const s = Math.round((now - then) / 1000);
  if (Math.abs(s) < 5) return 'just now';
  return s > 0 ? `${coarse(s)} ago` : `in ${coarse(-s)}`;
}
