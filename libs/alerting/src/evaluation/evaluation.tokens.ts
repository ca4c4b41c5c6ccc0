/** The PromQL engine rule evaluation and backtests query through (over PgSeriesReader in the apps). */
export const ALERTING_ENGINE = Symbol('ALERTING_ENGINE');
/** The SeriesReader behind that engine, for no-data checks. */
export const ALERTING_READER = Symbol('ALERTING_READER');
/** Where recording rules write their results (a TsdbWriter). */
export const RECORDING_WRITER = Symbol('RECORDING_WRITER');

/** What recording rules need from the TSDB writer. */
export interface RecordingWriter {
  write(
    orgId: string,
    batch: { labels: Record<string, string>; timestamps: number[]; values: number[] }[],
  ): Promise<unknown>;
}
