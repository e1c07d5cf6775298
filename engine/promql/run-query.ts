/**
 * Running a PromQL query end to end: parse, evaluate (once per value column of a multi-field
 * metric table), and the Prometheus HTTP API's JSON `data` for the result.
 */
import type { Expr, VectorSelector } from './ast.ts';
import { formatFloatPlain } from './aggregate.ts';
import { createEvalContext, DEFAULT_LOOKBACK_MS, Evaluator, selectFields } from './evaluator.ts';
import type { EvalContext, QueryRange } from './evaluator.ts';
import { parsePromql, typeOf } from './parser.ts';
import type { SeriesSource } from './series-source.ts';
import { labelsKey } from './values.ts';
import type { EvalValue, Labels, RawSeries, StepSeries } from './values.ts';

export interface PromqlQuery {
  query: string;
  /** Milliseconds; an instant query has start === end. */
  start: number;
  end: number;
  step: number;
  lookback?: number;
  /** GreptimeDB's windows `(t - range, t]` (TQL) instead of Prometheus 2.x's `[t - range, t]`. */
  leftOpen?: boolean;
  database: string;
  source: SeriesSource;
  /** Evaluate every value column of a multi-field table (TQL); the HTTP API reads the first. */
  allFields?: boolean;
}

export interface PromqlOutcome {
  expr: Expr;
  steps: Float64Array;
  /** The result, one entry per value column (one unless `allFields` and a multi-field table). */
  values: EvalValue[];
  /** Names of those value columns (the fields), when the result comes from a table. */
  fieldNames: string[];
  context: EvalContext;
}

/** The first vector selector in `expr` (depth first, left to right). */
export function firstSelector(expr: Expr): VectorSelector | null {
  switch (expr.type) {
    case 'vector':
      return expr;
    case 'matrix':
      return expr.vector;
    case 'subquery':
    case 'paren':
    case 'unary':
      return firstSelector(expr.expr);
    case 'aggregate':
      return firstSelector(expr.expr);
    case 'binary':
      return firstSelector(expr.lhs) ?? firstSelector(expr.rhs);
    case 'call':
      for (const arg of expr.args) {
        const found = firstSelector(arg);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** Parses and evaluates a query over [start, end] every `step` ms. */
export async function runPromql(query: PromqlQuery, parsed?: Expr): Promise<PromqlOutcome> {
  const expr = parsed ?? parsePromql(query.query);
  const range: QueryRange = {
    start: query.start,
    end: query.end,
    step: query.step,
    lookback: query.lookback ?? DEFAULT_LOOKBACK_MS,
    leftOpen: query.leftOpen,
  };
  const context = createEvalContext(query.source, query.database);
  const first = new Evaluator(context, range, 0);
  const values = [await first.evaluate(expr)];
  let fieldNames: string[] = [];
  const selector = firstSelector(expr);
  const table = context.tables.find((t) => selector !== null && t.table === selector.name) ?? context.tables[0];
  if (selector !== null && table !== undefined) {
    const fields = selectFields(
      table,
      selector.matchers.filter((m) => m.name === '__field__'),
    );
    fieldNames = fields.map((i) => table.fields[i].name);
    if (query.allFields) {
      for (let f = 1; f < fields.length; f++) values.push(await new Evaluator(context, range, f).evaluate(expr));
    } else fieldNames = fieldNames.slice(0, 1);
  }
  return { expr, steps: first.steps, values, fieldNames, context };
}

/** A Prometheus API sample value: Go's 'f' formatting, `NaN`, `+Inf`, `-Inf`. */
export function formatSampleValue(value: number): string {
  return formatFloatPlain(value);
}

function seconds(ms: number): number {
  return ms / 1000;
}

function metricOf(labels: Labels): Labels {
  const metric: Labels = {};
  for (const name of Object.keys(labels).sort()) metric[name] = labels[name];
  return metric;
}

/** The Prometheus HTTP API's `data` for a range query (`resultType: matrix`). */
export function rangeQueryData(outcome: PromqlOutcome): { resultType: 'matrix'; result: unknown[] } {
  const value = outcome.values[0];
  const steps = outcome.steps;
  const result: { metric: Labels; values: [number, string][] }[] = [];
  if (value.kind === 'scalar') {
    result.push({ metric: {}, values: Array.from(steps, (t, i) => [seconds(t), formatSampleValue(value.values[i])]) });
  } else if (value.kind === 'vector') {
    // Series with one label set (e.g. `-a or -b`, each present at other steps) are one series.
    const byKey = new Map<string, { labels: Labels; members: StepSeries[] }>();
    for (const s of value.series) {
      const key = labelsKey(s.labels);
      const entry = byKey.get(key);
      if (entry) entry.members.push(s);
      else byKey.set(key, { labels: s.labels, members: [s] });
    }
    for (const key of [...byKey.keys()].sort()) {
      const { labels, members } = byKey.get(key)!;
      const values: [number, string][] = [];
      for (let i = 0; i < steps.length; i++) {
        const s = members.find((member) => member.present[i]);
        if (s !== undefined) values.push([seconds(steps[i]), formatSampleValue(s.values[i])]);
      }
      if (values.length > 0) result.push({ metric: metricOf(labels), values });
    }
  }
  return { resultType: 'matrix', result };
}

/** The Prometheus HTTP API's `data` for an instant query at `time` ms. */
export async function instantQueryData(query: PromqlQuery): Promise<{ resultType: string; result: unknown }> {
  const expr = parsePromql(query.query);
  const time = query.start;
  if (typeOf(expr) === 'matrix') {
    const range: QueryRange = {
      start: time,
      end: time,
      step: 0,
      lookback: query.lookback ?? DEFAULT_LOOKBACK_MS,
      leftOpen: query.leftOpen,
    };
    const evaluator = new Evaluator(createEvalContext(query.source, query.database), range, 0);
    const series: RawSeries[] = await evaluator.evaluateRangeVector(expr);
    return {
      resultType: 'matrix',
      result: series
        .sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1))
        .map((s) => ({
          metric: metricOf(s.labels),
          values: Array.from(s.timestamps, (t, i) => [seconds(t), formatSampleValue(s.values[i])]),
        })),
    };
  }
  const outcome = await runPromql({ ...query, end: time, step: 0 }, expr);
  const value = outcome.values[0];
  if (value.kind === 'scalar')
    return { resultType: 'scalar', result: [seconds(time), formatSampleValue(value.values[0])] };
  if (value.kind === 'string') return { resultType: 'string', result: [seconds(time), value.value] };
  return {
    resultType: 'vector',
    result: value.series
      .filter((s) => s.present[0])
      .map((s) => ({ metric: metricOf(s.labels), value: [seconds(time), formatSampleValue(s.values[0])] })),
  };
}
