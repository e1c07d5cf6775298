/**
 * PromQL function signatures: argument types, how many are optional, and the result type.
 * The parser checks calls against this table; the evaluator implements each name.
 */
import type { ValueType } from './ast.ts';

export interface FunctionSignature {
  args: ValueType[];
  /** How many trailing arguments may be left out; -1: the last one repeats (label_join). */
  optional: number;
  returns: ValueType;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

function sig(args: ValueType[], returns: ValueType, optional = 0): FunctionSignature {
  return { args, returns, optional };
}

const instantMath = [
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
const rangeFunctions = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'present_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'absent_over_time',
];
const dateFunctions = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];

/** Every function the parser accepts, by name. */
export const FUNCTION_SIGNATURES: Record<string, FunctionSignature> = {
  ...Object.fromEntries(instantMath.map((name) => [name, sig([V], V)])),
  ...Object.fromEntries(rangeFunctions.map((name) => [name, sig([M], V)])),
  ...Object.fromEntries(dateFunctions.map((name) => [name, sig([V], V, 1)])),
  absent: sig([V], V),
  clamp: sig([V, S, S], V),
  clamp_min: sig([V, S], V),
  clamp_max: sig([V, S], V),
  round: sig([V, S], V, 1),
  timestamp: sig([V], V),
  time: sig([], S),
  pi: sig([], S),
  vector: sig([S], V),
  scalar: sig([V], S),
  sort: sig([V], V),
  sort_desc: sig([V], V),
  sort_by_label: sig([V, STR], V, -1),
  sort_by_label_desc: sig([V, STR], V, -1),
  label_replace: sig([V, STR, STR, STR, STR], V),
  label_join: sig([V, STR, STR, STR], V, -1),
  histogram_quantile: sig([S, V], V),
  // Native-histogram functions: float samples (all Tessera stores) give no result.
  histogram_fraction: sig([S, S, V], V),
  histogram_count: sig([V], V),
  histogram_sum: sig([V], V),
  holt_winters: sig([M, S, S], V),
  double_exponential_smoothing: sig([M, S, S], V),
  predict_linear: sig([M, S], V),
  quantile_over_time: sig([S, M], V),
};

/** Aggregation operators; `param` says which take a leading parameter and of what type. */
export const AGGREGATIONS: Record<string, ValueType | null> = {
  sum: null,
  avg: null,
  min: null,
  max: null,
  count: null,
  group: null,
  stddev: null,
  stdvar: null,
  topk: S,
  bottomk: S,
  quantile: S,
  count_values: STR,
  limitk: S,
  limit_ratio: S,
};
