import { labelsKey } from '../engine/labels';
import type { PromQueryData } from '../engine/engine';

// The expressions and the comparison shared by the conformance tests (against Prometheus, and
// against the PostgreSQL-backed reader).

const HOUR = 3_600_000;

/**
 * The data's time span: aligned to the minute so every expectation is the same each run
 * relative to its end, and ending just before `nowMs` so Prometheus' head accepts all of it.
 * FIXED is a time inside the data for `@`, in unix seconds.
 */
export function conformanceWindow(nowMs: number): { END: number; START: number; FIXED: number } {
  const END = Math.floor((nowMs - 2 * 60_000) / 60_000) * 60_000;
  return { END, START: END - 2 * HOUR, FIXED: Math.floor((END - 47 * 60_000) / 1000) };
}

/** Expressions valid as both instant and range queries. */
export function conformanceExpressions(FIXED: number): string[] {
  return [
    // selectors, offsets, @, staleness and lookback
    'http_requests_total',
    'http_requests_total{instance="a"}',
    'http_requests_total{instance!="a"}',
    'http_requests_total{instance=~"a|b"}',
    'http_requests_total{instance!~"a.*"}',
    '{__name__=~"node_temp.*", zone="z1"}',
    'http_requests_total{instance=~"(?i)A|B"}',
    'http_requests_total offset 10m',
    `http_requests_total @ ${FIXED}`,
    'node_temp_celsius @ start()',
    'node_temp_celsius @ end() offset 5m',
    'queue_depth',
    'queue_depth offset 3m',
    'batch_last_success',
    '(http_requests_total)',
    // range functions
    'rate(http_requests_total[5m])',
    'rate(http_requests_total[1m])',
    'rate(http_requests_total[5m] offset 5m)',
    `rate(http_requests_total[5m] @ ${FIXED})`,
    'irate(http_requests_total[5m])',
    'increase(http_requests_total[10m])',
    'delta(node_temp_celsius[10m])',
    'idelta(node_temp_celsius[5m])',
    'deriv(node_temp_celsius[10m])',
    'predict_linear(node_temp_celsius[15m], 600)',
    'resets(http_requests_total[30m])',
    'changes(up[30m])',
    'changes(queue_depth[10m])',
    'avg_over_time(node_temp_celsius[10m])',
    'min_over_time(node_temp_celsius[10m])',
    'max_over_time(node_temp_celsius[10m])',
    'sum_over_time(queue_depth[10m])',
    'count_over_time(queue_depth[10m])',
    'last_over_time(queue_depth[10m])',
    'quantile_over_time(0.9, node_temp_celsius[10m])',
    'stddev_over_time(node_temp_celsius[10m])',
    'stdvar_over_time(node_temp_celsius[10m])',
    'present_over_time(queue_depth[5m])',
    'absent_over_time(queue_depth[5m])',
    'absent_over_time(nonexistent_metric{job="x"}[5m])',
    // simple math
    'abs(node_temp_celsius - 21)',
    'ceil(node_temp_celsius)',
    'floor(node_temp_celsius)',
    'round(node_temp_celsius)',
    'round(node_temp_celsius, 0.5)',
    'clamp(node_temp_celsius, 19, 21)',
    'clamp_min(node_temp_celsius, 20)',
    'clamp_max(node_temp_celsius, 20)',
    'exp(node_temp_celsius / 10)',
    'ln(queue_depth)',
    'log2(http_requests_total)',
    'log10(http_requests_total)',
    'sqrt(node_temp_celsius)',
    // histograms and misc functions
    'histogram_quantile(0.9, rate(request_duration_seconds_bucket[5m]))',
    'histogram_quantile(0.5, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
    'histogram_quantile(0.99, request_duration_seconds_bucket)',
    'absent(nonexistent_metric{job="x", instance="y"})',
    'absent(http_requests_total)',
    'time()',
    'timestamp(http_requests_total)',
    'timestamp(node_temp_celsius offset 1m)',
    'vector(1)',
    'scalar(up{instance="a"})',
    'scalar(up)',
    'label_replace(http_requests_total, "host", "$1-x", "instance", "(.*)")',
    'label_replace(up, "foo", "bar", "instance", "nomatch")',
    'label_join(http_requests_total, "combined", ":", "instance", "code")',
    'sort(node_temp_celsius)',
    'sort_desc(node_temp_celsius)',
    // aggregations
    'sum(http_requests_total)',
    'sum by (instance) (rate(http_requests_total[5m]))',
    'sum without (code) (http_requests_total)',
    'avg by (zone) (node_temp_celsius)',
    'min(node_temp_celsius)',
    'max by (zone) (node_temp_celsius)',
    'count(up)',
    'count_values("value", up)',
    'count_values without (instance) ("v", round(node_temp_celsius))',
    'group by (instance) (http_requests_total)',
    'stddev(node_temp_celsius)',
    'stdvar by (zone) (node_temp_celsius)',
    'topk(2, node_temp_celsius)',
    'bottomk by (zone) (1, node_temp_celsius)',
    'quantile(0.75, node_temp_celsius)',
    'quantile by (code) (0.3, rate(http_requests_total[5m]))',
    // operators and vector matching
    'http_requests_total + 1',
    '2 * http_requests_total',
    '-node_temp_celsius',
    'node_temp_celsius % 3',
    'node_temp_celsius ^ 2',
    'node_temp_celsius atan2 node_temp_celsius',
    'node_temp_celsius atan2 2',
    '1 + 2 * 3',
    '2 ^ 3 ^ 2',
    '(1 > bool 2) + 5',
    'node_temp_celsius > 20',
    'node_temp_celsius > bool 20',
    '20 < node_temp_celsius',
    'up == 1',
    'up != bool 0',
    'http_requests_total{code="200"} > on(instance) http_requests_total{code="500"}',
    'http_requests_total / on(instance) group_left sum by (instance) (http_requests_total)',
    'rate(http_requests_total[5m]) / ignoring(code) group_left sum without (code) (rate(http_requests_total[5m]))',
    'node_temp_celsius * on(instance) group_left(job) up',
    'up * on(instance) group_right(zone) node_temp_celsius',
    'up and on(instance) node_temp_celsius > 20.5',
    'up or vector(0)',
    'node_temp_celsius unless on(instance) up == 0',
    'queue_depth or on() vector(-1)',
    'scalar(sum(up)) * node_temp_celsius',
    // subqueries
    'max_over_time(rate(http_requests_total[5m])[30m:1m])',
    'min_over_time(node_temp_celsius[10m:])',
    'avg_over_time(sum(http_requests_total)[15m:2m] offset 5m)',
    'rate(http_requests_total[10m:30s])',
    `sum_over_time(node_temp_celsius[20m:90s] @ ${FIXED})`,
    'min_over_time(rate(http_requests_total[1m])[5m:15s])',
    'increase(http_requests_total[1h] @ end())',
    'max_over_time(queue_depth[10m:1m] offset 2m)',
    // edge cases: special values, formatting, precedence, odd groupings
    'node_temp_celsius / 0',
    '-node_temp_celsius / 0',
    '(node_temp_celsius - node_temp_celsius) / 0',
    '1 / (up - 1)',
    'exp(node_temp_celsius * 100)',
    'node_temp_celsius * 1e-9',
    'node_temp_celsius * 1e22',
    'count_values("v", node_temp_celsius * 1e22)',
    'count_values("v", node_temp_celsius / 1e7)',
    '-2 ^ 2',
    '-node_temp_celsius ^ 2',
    '2 * 3 % 4 + 1 - 2 / 4',
    'timestamp(sum(up))',
    'time() - timestamp(up)',
    'label_replace(up, "x", "$1$2", "instance", "(?P<first>.)(.*)")',
    'label_replace(up, "x", "${first}y$first", "instance", "(?P<first>.)")',
    'sum by (__name__) (http_requests_total)',
    'sum(rate(http_requests_total[5m])) by (instance)',
    'histogram_quantile(0.5, request_duration_seconds_bucket{le!="+Inf"})',
    'histogram_quantile(1.5, request_duration_seconds_bucket)',
    'quantile(-1, up)',
    'sort(ln(queue_depth))',
    'absent(queue_depth)',
    'round(node_temp_celsius, 0.1)',
    'avg(batch_last_success)',
    'changes(batch_last_success[1h])',
    'deriv(batch_last_success[30m])',
    'predict_linear(http_requests_total[30m], 3600)',
    'rate(http_requests_total[30s])',
    'stddev by (instance) (node_temp_celsius)',
    'scalar(node_temp_celsius)',
    'group(up)',
    'count by (zone) (node_temp_celsius)',
    'bottomk(2, rate(http_requests_total[5m]))',
    '(up == 0) or (up * 2)',
    'up unless up{instance="b"}',
    'http_requests_total and on(instance) (up == 0)',
    'node_temp_celsius == bool ignoring(zone) node_temp_celsius',
    'sum(node_temp_celsius) / count(node_temp_celsius)',
    'http_requests_total % 7 == bool 0',
    'up > bool on(instance) group_left node_temp_celsius',
    // calendar functions
    'hour()',
    'minute(batch_last_success)',
    'day_of_week()',
    'day_of_month(node_temp_celsius * 86400 * 30)',
    'day_of_year(batch_last_success)',
    'days_in_month(node_temp_celsius * 86400 * 40)',
    'month()',
    'year(batch_last_success)',
    // @ in less common places
    `predict_linear(node_temp_celsius[15m] @ ${FIXED}, 600)`,
    `rate(http_requests_total[10m:1m] @ ${FIXED})`,
    `timestamp(node_temp_celsius @ ${FIXED})`,
    `max_over_time(rate(http_requests_total[5m] @ ${FIXED})[10m:1m])`,
    // more subqueries, windows and matching corners
    `max_over_time((node_temp_celsius @ ${FIXED})[10m:1m])`,
    'avg_over_time(max_over_time(node_temp_celsius[5m:1m])[20m:2m] offset 3m)',
    'absent_over_time(queue_depth[10m:1m])',
    'count_over_time(queue_depth[10m:30s])',
    'last_over_time(queue_depth[10m:1m])',
    'rate(http_requests_total[5m]) * on(instance) group_left() up',
    'sum by () (up)',
    'count without () (up)',
    'topk by (instance) (1, http_requests_total)',
    'stddev_over_time(batch_last_success[1h])',
    'avg_over_time(batch_last_success[1h])',
    'stddev(batch_last_success)',
    'irate(queue_depth[5m])',
    'deriv(http_requests_total[1h])',
    'rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m])',
    'histogram_quantile(0.9, sum by (le, instance) (rate(request_duration_seconds_bucket[10m])))',
    'label_replace(node_temp_celsius, "zone", "$2", "instance", "(a)|(b)")',
    'label_join(up, "__name__", "", "instance")',
    'http_requests_total offset 1h30m',
    'rate(http_requests_total[2h])',
    'changes(node_temp_celsius[1h])',
    'resets(node_temp_celsius[1h])',
    'vector(010) + 0x10',
    'up * 1e-7',
    'up * 1e21',
    'up * -0',
    'holt_winters(node_temp_celsius[10m], 0.3, 0.6)',
    'holt_winters(http_requests_total[30m:1m], 0.5, 0.1)',
    // samples exactly on window and lookback boundaries
    'aligned_total',
    'count_over_time(aligned_total[1m])',
    'rate(aligned_total[1m])',
    'increase(aligned_total[5m])',
    'aligned_total offset 5m',
    // modifiers bind to the nearest operand
    'http_requests_total - http_requests_total offset 10m',
    'node_temp_celsius @ start() - node_temp_celsius @ end()',
    '-node_temp_celsius offset 1m',
  ];
}

/** Range vectors: valid only as instant queries. */
export const INSTANT_ONLY = [
  'http_requests_total[5m]',
  'node_temp_celsius[10m:2m]',
  'queue_depth[20m] offset 30m',
];

function relClose(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || diff <= 1e-12;
}

function parseValue(s: string): number {
  return s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s);
}

interface Row {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** Compares two `data` payloads; returns a description of the first difference, or null. */
export function diffPromData(expr: string, want: PromQueryData, got: PromQueryData): string | null {
  if (want.resultType !== got.resultType)
    return `resultType ${got.resultType}, want ${want.resultType}`;
  if (want.resultType === 'scalar' || want.resultType === 'string') {
    const [wt, wv] = want.result;
    const [gt, gv] = (got as typeof want).result;
    if (wt !== gt) return `time ${gt}, want ${wt}`;
    return want.resultType === 'string'
      ? wv === gv
        ? null
        : `${gv} != ${wv}`
      : relClose(parseValue(gv), parseValue(wv))
        ? null
        : `${gv} != ${wv}`;
  }
  const ordered = /^sort(_desc)?\(/.test(expr);
  const norm = (d: PromQueryData) => {
    const rows = (d.result as Row[]).map((r) => ({ key: labelsKey(r.metric), r }));
    return ordered ? rows : rows.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  };
  const w = norm(want);
  const g = norm(got);
  if (w.length !== g.length) {
    return `${g.length} series, want ${w.length}: got ${JSON.stringify(g.map((x) => x.r.metric))} want ${JSON.stringify(w.map((x) => x.r.metric))}`;
  }
  for (let i = 0; i < w.length; i++) {
    if (w[i].key !== g[i].key)
      return `series ${i}: ${JSON.stringify(g[i].r.metric)}, want ${JSON.stringify(w[i].r.metric)}`;
    const points = (r: Row) => (r.value ? [r.value] : (r.values ?? []));
    const wp = points(w[i].r);
    const gp = points(g[i].r);
    if (wp.length !== gp.length) {
      return `series ${w[i].key.replace(/\xff/g, ' ')}: ${gp.length} points, want ${wp.length}; first got ${JSON.stringify(gp.slice(0, 3))} want ${JSON.stringify(wp.slice(0, 3))}`;
    }
    for (let j = 0; j < wp.length; j++) {
      if (wp[j][0] !== gp[j][0] || !relClose(parseValue(gp[j][1]), parseValue(wp[j][1]))) {
        return `series ${JSON.stringify(w[i].r.metric)} point ${j}: ${JSON.stringify(gp[j])}, want ${JSON.stringify(wp[j])}`;
      }
    }
  }
  return null;
}
