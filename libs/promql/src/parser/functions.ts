import type { ValueType } from './ast';

/** A PromQL function's signature, as in Prometheus' parser/functions.go. */
export interface FunctionSignature {
  name: string;
  argTypes: ValueType[];
  /** 0: exactly argTypes; n > 0: up to n trailing args optional; -1: last arg repeats. */
  variadic: number;
  returnType: ValueType;
}

const sig = (
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  variadic = 0,
): FunctionSignature => ({ name, argTypes, returnType, variadic });

const SIMPLE_MATH = [
  'abs',
  'ceil',
  'floor',
  'exp',
  'ln',
  'log2',
  'log10',
  'sqrt',
  'sgn',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'deg',
  'rad',
];

const OVER_TIME = [
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'present_over_time',
  'absent_over_time',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
];

/** Calendar fields of a Unix time in UTC; the argument defaults to vector(time()). */
export const DATE_FUNCTIONS = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(
  [
    ...SIMPLE_MATH.map((n) => sig(n, ['vector'], 'vector')),
    ...OVER_TIME.map((n) => sig(n, ['matrix'], 'vector')),
    sig('quantile_over_time', ['scalar', 'matrix'], 'vector'),
    sig('predict_linear', ['matrix', 'scalar'], 'vector'),
    sig('holt_winters', ['matrix', 'scalar', 'scalar'], 'vector'),
    sig('clamp', ['vector', 'scalar', 'scalar'], 'vector'),
    sig('clamp_min', ['vector', 'scalar'], 'vector'),
    sig('clamp_max', ['vector', 'scalar'], 'vector'),
    sig('round', ['vector', 'scalar'], 'vector', 1),
    sig('histogram_quantile', ['scalar', 'vector'], 'vector'),
    sig('absent', ['vector'], 'vector'),
    sig('time', [], 'scalar'),
    sig('pi', [], 'scalar'),
    sig('timestamp', ['vector'], 'vector'),
    sig('vector', ['scalar'], 'vector'),
    sig('scalar', ['vector'], 'scalar'),
    sig('label_replace', ['vector', 'string', 'string', 'string', 'string'], 'vector'),
    sig('label_join', ['vector', 'string', 'string', 'string'], 'vector', -1),
    sig('sort', ['vector'], 'vector'),
    ...DATE_FUNCTIONS.map((n) => sig(n, ['vector'], 'vector', 1)),
    sig('sort_desc', ['vector'], 'vector'),
  ].map((s) => [s.name, s]),
);
