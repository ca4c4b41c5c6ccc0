// Helpers shared by this lib's unit tests (not exported from the lib).
import type { Labels } from '@tocsin/tsdb';
import { createEngine, type EngineOptions, type QueryResult } from './engine';
import { labelsKey } from './labels';
import { MemorySeriesReader } from '../testing/memory-series-reader';

export const ORG = 'org-1';
export const s = (seconds: number) => seconds * 1000;

export function engineOver(reader: MemorySeriesReader, opts: Partial<EngineOptions> = {}) {
  return createEngine({ reader, ...opts });
}

/** An instant query's vector as `{labels → value}` sorted by labels, for terse assertions. */
export async function instantVector(
  reader: MemorySeriesReader,
  expr: string,
  atSec: number,
  opts: Partial<EngineOptions> = {},
): Promise<{ labels: Labels; value: number }[]> {
  const res = await engineOver(reader, opts).instantQueryRaw(ORG, expr, s(atSec));
  if (res.resultType !== 'vector') throw new Error(`expected vector, got ${res.resultType}`);
  return res.samples
    .map((x) => ({ labels: x.labels, value: x.value }))
    .sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1));
}

export async function instantScalar(
  reader: MemorySeriesReader,
  expr: string,
  atSec: number,
): Promise<number> {
  const res: QueryResult = await engineOver(reader).instantQueryRaw(ORG, expr, s(atSec));
  if (res.resultType !== 'scalar') throw new Error(`expected scalar, got ${res.resultType}`);
  return res.value;
}

/** A one-series vector's value, or undefined when the result is empty. */
export async function single(
  reader: MemorySeriesReader,
  expr: string,
  atSec: number,
): Promise<number | undefined> {
  const v = await instantVector(reader, expr, atSec);
  if (v.length > 1) throw new Error(`expected at most one series, got ${v.length}`);
  return v[0]?.value;
}
