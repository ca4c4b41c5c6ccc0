/** Name/value rows as the forms edit them (components/key-value-rows.tsx). */
export interface KeyValueRow {
  key: string;
  value: string;
}

/** Rows from a stored map, by name: jsonb keeps its own key order (shortest first), not the typed one. */
export function rowsOf(
  map: Record<string, string> | null | undefined,
  skip: string[] = [],
): KeyValueRow[] {
  return Object.entries(map ?? {})
    .filter(([k]) => !skip.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
}

/**
 * The rows as a map, or what is wrong with them. Blank rows are dropped, names are trimmed and a
 * name may appear once; the api judges the names and values themselves (its message is shown).
 */
export function mapOf(rows: KeyValueRow[], what: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && !r.value.trim()) continue;
    if (!key) return `A ${what} needs a name (the value "${r.value}" has none).`;
    if (key in out) return `The ${what} "${key}" is set twice.`;
    out[key] = r.value;
  }
  return out;
}
