import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';

export type Matcher = { type: number; name: string; value: string };

const OPS: Record<number, string> = {
  [EqlSingle]: '=',
  [Neq]: '!=',
  [EqlRegex]: '=~',
  [NeqRegex]: '!~',
};

/**
 * The series selector codemirror-promql's context stands for, e.g. `up{job="api"}`: the
 * label being completed and empty matchers are left out, as its own HTTP client does.
 */
export function selectorFor(metricName?: string, matchers?: Matcher[], labelName?: string): string {
  const parts = (matchers ?? [])
    .filter((m) => m.name !== labelName && m.value !== '' && OPS[m.type])
    .map((m) => `${m.name}${OPS[m.type]}${JSON.stringify(m.value)}`);
  if (!parts.length) return metricName ?? '';
  return `${metricName ?? ''}{${parts.join(',')}}`;
}
