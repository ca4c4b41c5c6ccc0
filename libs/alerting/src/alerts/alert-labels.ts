import type { QueryResult } from '@tocsin/promql';
import { fingerprintOf } from './fingerprint';
import type { SeriesSample } from './state-machine';
import { renderTemplate } from './templates';

export interface LabelSources {
  ruleName: string;
  groupLabels: Record<string, string>;
  ruleLabels: Record<string, string>;
}

/**
 * The labels of the alert for one result series: the series' labels without its metric name,
 * then the group's, then the rule's (templated with the series), then `alertname` — later wins.
 */
export function alertLabels(
  series: Record<string, string>,
  value: number,
  src: LabelSources,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(series)) if (k !== '__name__') out[k] = v;
  Object.assign(out, src.groupLabels);
  for (const [k, v] of Object.entries(src.ruleLabels))
    out[k] = renderTemplate(v, { labels: series, value });
  out.alertname = src.ruleName;
  return out;
}

/** A query result as alert series keyed by fingerprint; a scalar is one series without labels. */
export function resultToSamples(result: QueryResult, src: LabelSources): Map<string, SeriesSample> {
  const out = new Map<string, SeriesSample>();
  const add = (labels: Record<string, string>, value: number) => {
    const l = alertLabels(labels, value, src);
    const fingerprint = fingerprintOf(l);
    out.set(fingerprint, { fingerprint, labels: l, value });
  };
  if (result.resultType === 'vector') for (const s of result.samples) add(s.labels, s.value);
  else if (result.resultType === 'scalar') add({}, result.value);
  else
    throw new Error(
      `an alert expression must return a vector or a scalar, not a ${result.resultType}`,
    );
  return out;
}

/** The one series a rule reports when it has no data or its query fails and it is set to alert. */
export function syntheticSample(
  reason: 'no_data' | 'error',
  src: LabelSources,
): Map<string, SeriesSample> {
  const labels = alertLabels({ tocsin_reason: reason }, reason === 'no_data' ? 0 : NaN, src);
  const fingerprint = fingerprintOf(labels);
  return new Map([[fingerprint, { fingerprint, labels, value: reason === 'no_data' ? 0 : NaN }]]);
}
