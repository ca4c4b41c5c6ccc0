// Alertmanager matcher text, the syntax createSilence and maintenance windows take.

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Exact matchers for every label of an alert: a silence made from it mutes just that alert. */
export function matchersFromLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${quote(value)}`);
  return `{${pairs.join(', ')}}`;
}

/**
 * `env=prod, team=db` → { env: 'prod', team: 'db' }. Returns an error message for text that is
 * not a list of name=value pairs, so the filter field can say what is wrong.
 */
export function parseLabelFilter(text: string): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `“${part}” is not name=value.`;
    const name = part.slice(0, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return `“${name}” is not a valid label name.`;
    result[name] = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return result;
}
