import { collectSelectors, parsePromQL } from '@tocsin/promql';

/** The metric names an expression reads; `null` when a selector matches names by regex or not at all. */
export function metricNamesOf(expr: string): Set<string> | null {
  let ast;
  try {
    ast = parsePromQL(expr);
  } catch {
    return new Set();
  }
  const names = new Set<string>();
  for (const { node } of collectSelectors(
    ast,
    { start: 0, end: 0, step: 1, n: 1 },
    { lookbackMs: 0, subqueryStepMs: 60_000 },
  )) {
    const eq = node.matchers.find((m) => m.name === '__name__' && m.op === '=');
    if (!eq) return null;
    names.add(eq.value);
  }
  return names;
}
