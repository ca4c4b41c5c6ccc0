/**
 * The small JSONPath subset checks need: `$.a.b`, `$.items[0].name`, `$['odd key']`. Returns
 * undefined when any step is missing; throws on a malformed path.
 */
export function jsonPathGet(doc: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`JSON path must start with $: ${path}`);
  let cur: unknown = doc;
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const start = re.lastIndex;
    const m = re.exec(path);
    if (!m) throw new Error(`bad JSON path at "${path.slice(start)}"`);
    const key = m[1] ?? m[3] ?? m[4];
    if (cur === null || typeof cur !== 'object') return undefined;
    if (m[2] !== undefined) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[Number(m[2])];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, key!)) return undefined;
      cur = (cur as Record<string, unknown>)[key!];
    }
  }
  return cur;
}
