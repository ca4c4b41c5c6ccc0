import { setStaleNaNAt } from '@tocsin/tsdb';
import { malformed } from '../ingest.errors';
import type { RawBatch, RawSeries } from '../ingest.types';

// The JSON push format (README.md documents it):
//   {"series":[{"labels":{"__name__":"up","job":"api"},"samples":[[1732600000000, 1], [1732600015000, "NaN"]]}]}
// Timestamps are integer milliseconds since the epoch; values are JSON numbers or the strings
// "NaN", "+Inf", "Inf", "-Inf", "stale" (Prometheus' staleness marker) or a decimal number.

const STALE = Symbol('stale');

function parseValue(v: unknown): number | typeof STALE | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  switch (v) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
    case '+inf':
    case 'inf':
      return Infinity;
    case '-Inf':
    case '-inf':
      return -Infinity;
    case 'stale':
      return STALE;
  }
  // Prometheus' own JSON carries values as strings; accept plain decimals, nothing looser.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return undefined;
  return Number(v);
}

export function decodeJsonPush(body: Buffer): RawBatch {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw malformed(`json: ${(err as Error).message}`);
  }
  return decodeJsonPushDocument(doc);
}

/** The same, for a document an HTTP framework has already parsed. */
export function decodeJsonPushDocument(doc: unknown): RawBatch {
  if (
    typeof doc !== 'object' ||
    doc === null ||
    !Array.isArray((doc as { series?: unknown }).series)
  ) {
    throw malformed('json: expected an object {"series": [...]}');
  }
  const input = (doc as { series: unknown[] }).series;
  const series: RawSeries[] = new Array(input.length);
  for (let s = 0; s < input.length; s++) {
    const item = input[s] as { labels?: unknown; samples?: unknown } | null;
    const where = `series[${s}]`;
    if (typeof item !== 'object' || item === null)
      throw malformed(`json: ${where} is not an object`);
    const { labels, samples } = item;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
      throw malformed(`json: ${where}.labels must be an object of string values`);
    }
    const labelNames = Object.keys(labels);
    const labelValues: string[] = new Array(labelNames.length);
    for (let i = 0; i < labelNames.length; i++) {
      const v = (labels as Record<string, unknown>)[labelNames[i]];
      if (typeof v !== 'string')
        throw malformed(`json: ${where}.labels.${labelNames[i]} must be a string`);
      labelValues[i] = v;
    }
    const named =
      typeof (labels as Record<string, unknown>).__name__ === 'string'
        ? ` (${(labels as Record<string, string>).__name__})`
        : '';
    if (!Array.isArray(samples))
      throw malformed(`json: ${where}${named}.samples must be an array of [timestamp, value]`);
    const timestamps = new Float64Array(samples.length);
    const values = new Float64Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const pair = samples[i] as unknown;
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw malformed(`json: ${where}${named}.samples[${i}] must be a [timestamp, value] pair`);
      }
      const ts = pair[0];
      if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) {
        throw malformed(
          `json: ${where}${named}.samples[${i}]: timestamp must be an integer number of milliseconds since the epoch`,
        );
      }
      const value = parseValue(pair[1]);
      if (value === undefined) {
        throw malformed(
          `json: ${where}${named}.samples[${i}]: value must be a number or "NaN", "+Inf", "-Inf", "stale"`,
        );
      }
      timestamps[i] = ts;
      if (value === STALE) setStaleNaNAt(values, i);
      else values[i] = value;
    }
    series[s] = { labelNames, labelValues, timestamps, values };
  }
  return { series, warnings: [] };
}
