/**
 * engine/promql: the PromQL parser and evaluator. Other modules import only this file;
 * README.md is the map.
 */
export type { Expr, LabelMatcher, ValueType, VectorSelector } from './ast.ts';
export { parsePromql, typeOf } from './parser.ts';
export { parseDuration } from './lexer.ts';
export type { FieldInfo, SeriesRequest, SeriesSource, TableSeries, TableSeriesData } from './series-source.ts';
export { MemorySeriesSource } from './memory-series-source.ts';
export { compileMatcher, DEFAULT_LOOKBACK_MS } from './evaluator.ts';
export { firstSelector, formatSampleValue, instantQueryData, rangeQueryData, runPromql } from './run-query.ts';
export type { PromqlOutcome, PromqlQuery } from './run-query.ts';
export type { EvalValue, Labels, StepSeries } from './values.ts';
export { Float64Builder, isStaleNaN, STALE_NAN } from './values.ts';
