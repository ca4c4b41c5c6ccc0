export type { LabelMatcher, Labels, MatchOp, SampleSeries, SelectHints, SeriesReader } from './model';
export { isStaleNaNAt, isStaleNaNBytes, setStaleNaNAt, staleNaN } from './model';
