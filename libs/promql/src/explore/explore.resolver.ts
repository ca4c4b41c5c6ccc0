import { Inject } from '@nestjs/common';
import { Args, Field, Float, InputType, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AppError, GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission, currentOrgId } from '@tocsin/tenancy';
import type { Labels, SeriesReader } from '@tocsin/tsdb';
import { PromQLError } from '../errors';
import type { QueryResultsCache } from '../cache/results-cache';
import type { PromQLEngine } from '../engine/engine';
import { parseSeriesSelector } from '../parser/parser';
import { PROMQL_ENGINE, QUERY_RESULTS_CACHE, SERIES_READER } from '../promql.tokens';

@ObjectType({ description: 'One series of a chart: its labels and aligned points.' })
export class ChartSeries {
  @Field(() => GraphQLJSON, {
    description: 'Label name → value, `__name__` included when the query keeps it.',
  })
  labels: Labels;
  @Field(() => [Float], { description: 'Unix milliseconds of each point.' })
  timestamps: number[];
  @Field(() => [Float], {
    nullable: 'items',
    description: 'Values; null where the value is NaN or ±Inf (JSON has no such numbers).',
  })
  values: Array<number | null>;
}

@ObjectType()
export class ChartData {
  @Field({ description: 'vector, matrix, scalar or string, as Prometheus names them.' })
  resultType: string;
  @Field(() => [ChartSeries])
  series: ChartSeries[];
}

@InputType()
export class RangeInput {
  @Field(() => Float, { description: 'Unix ms.' }) start: number;
  @Field(() => Float, { description: 'Unix ms.' }) end: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Step in ms. Default: 250 points over the range, at least 1 s, with start and end moved down to a multiple of the step (as Grafana aligns them), so a chart refreshed a few seconds later asks for the same grid and is answered from the results cache.',
  })
  step?: number;
}

const HOUR = 3600_000;

function defaultRange(range?: RangeInput | null): { start: number; end: number } {
  const end = range?.end ?? Date.now();
  return { start: range?.start ?? end - 6 * HOUR, end };
}

function matcherSets(match: string[] | null | undefined) {
  try {
    return (match ?? []).map((m) => parseSeriesSelector(m));
  } catch (err) {
    throw AppError.badInput(`Invalid series selector: ${(err as Error).message}`, {
      field: 'match',
    });
  }
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Metric browsing and charts for the web app: the Prometheus API's reads, as GraphQL. */
@Resolver()
export class ExploreResolver {
  constructor(
    @Inject(PROMQL_ENGINE) private readonly engine: PromQLEngine,
    @Inject(SERIES_READER) private readonly reader: SeriesReader,
    @Inject(QUERY_RESULTS_CACHE) private readonly cache: QueryResultsCache,
  ) {}

  @Query(() => [String], {
    description: 'Metric names with data in the range (default: the last 6 hours).',
  })
  @RequirePermission(Permission.MetricsRead)
  metricNames(
    @Args('range', { type: () => RangeInput, nullable: true }) range?: RangeInput,
    @Args('search', { nullable: true, description: 'Only names containing this text.' })
    search?: string,
  ): Promise<string[]> {
    const { start, end } = defaultRange(range);
    return this.reader
      .labelValues(currentOrgId(), '__name__', [], start, end)
      .then((names) => (search ? names.filter((n) => n.includes(search)) : names));
  }

  @Query(() => [String])
  @RequirePermission(Permission.MetricsRead)
  labelNames(
    @Args('match', {
      type: () => [String],
      nullable: true,
      description: 'Series selectors, e.g. `up{job="api"}`.',
    })
    match?: string[],
    @Args('range', { type: () => RangeInput, nullable: true }) range?: RangeInput,
  ): Promise<string[]> {
    const { start, end } = defaultRange(range);
    return this.reader.labelNames(currentOrgId(), matcherSets(match), start, end);
  }

  @Query(() => [String])
  @RequirePermission(Permission.MetricsRead)
  labelValues(
    @Args('name') name: string,
    @Args('match', { type: () => [String], nullable: true }) match?: string[],
    @Args('range', { type: () => RangeInput, nullable: true }) range?: RangeInput,
  ): Promise<string[]> {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
      throw AppError.badInput(`Invalid label name "${name}"`, { field: 'name' });
    const { start, end } = defaultRange(range);
    return this.reader.labelValues(currentOrgId(), name, matcherSets(match), start, end);
  }

  @Query(() => [GraphQLJSON], { description: 'Label sets of the series matching any selector.' })
  @RequirePermission(Permission.MetricsRead)
  series(
    @Args('match', { type: () => [String] }) match: string[],
    @Args('range', { type: () => RangeInput, nullable: true }) range?: RangeInput,
    @Args('limit', { type: () => Int, defaultValue: 1000 }) limit = 1000,
  ): Promise<Labels[]> {
    if (!match.length) throw AppError.badInput('Give at least one selector', { field: 'match' });
    const { start, end } = defaultRange(range);
    return this.reader
      .series(currentOrgId(), matcherSets(match), start, end)
      .then((s) => s.slice(0, Math.max(1, Math.min(limit, 10_000))));
  }

  @Query(() => ChartData, { description: 'Evaluates PromQL over a range, for charts.' })
  @RequirePermission(Permission.MetricsRead)
  async queryRange(
    @Args('query') query: string,
    @Args('range', { type: () => RangeInput }) range: RangeInput,
  ): Promise<ChartData> {
    if (!(range.end >= range.start))
      throw AppError.badInput('end must not be before start', { field: 'range' });
    const step =
      range.step ?? Math.max(1000, Math.ceil((range.end - range.start) / 250 / 1000) * 1000);
    if ((range.end - range.start) / step > 11_000)
      throw AppError.badInput('Too many points: increase the step', { field: 'range.step' });
    // A chart's range ends at "now", a different millisecond on every refresh; only a grid that
    // stays put can be answered from the results cache, so a step of our choosing gets aligned.
    const start =
      range.step === undefined || range.step === null
        ? Math.floor(range.start / step) * step
        : range.start;
    const end =
      range.step === undefined || range.step === null
        ? Math.floor(range.end / step) * step
        : range.end;
    try {
      // Through the results cache, as the Prometheus API's query_range: charts re-ask the same ranges.
      const { result } = await this.cache.rangeQueryRaw(currentOrgId(), query, start, end, step);
      return toChart(result);
    } catch (err) {
      if (err instanceof PromQLError)
        throw AppError.badInput(err.message, { errorType: err.errorType });
      throw err;
    }
  }

  @Query(() => ChartData, { description: 'Evaluates PromQL at one instant (default: now).' })
  @RequirePermission(Permission.MetricsRead)
  async queryInstant(
    @Args('query') query: string,
    @Args('time', { type: () => Float, nullable: true }) time?: number,
  ): Promise<ChartData> {
    try {
      return toChart(await this.engine.instantQueryRaw(currentOrgId(), query, time ?? Date.now()));
    } catch (err) {
      if (err instanceof PromQLError)
        throw AppError.badInput(err.message, { errorType: err.errorType });
      throw err;
    }
  }
}

function toChart(res: Awaited<ReturnType<PromQLEngine['rangeQueryRaw']>>): ChartData {
  switch (res.resultType) {
    case 'matrix':
      return {
        resultType: 'matrix',
        series: res.series.map((s) => ({
          labels: s.labels,
          timestamps: s.timestamps,
          values: s.values.map(finite),
        })),
      };
    case 'vector':
      return {
        resultType: 'vector',
        series: res.samples.map((s) => ({
          labels: s.labels,
          timestamps: [s.timestampMs],
          values: [finite(s.value)],
        })),
      };
    case 'scalar':
      return {
        resultType: 'scalar',
        series: [{ labels: {}, timestamps: [res.timestampMs], values: [finite(res.value)] }],
      };
    default:
      return { resultType: 'string', series: [] };
  }
}
