/**
 * Evaluates a PromQL syntax tree over a range query's steps with Prometheus 2.x semantics
 * (an instant query is one step). Selectors read tables through a `SeriesSource`; each node
 * then works on whole series as typed arrays (`values.ts`): one value and one presence flag
 * per step, so no object is made per sample or per step.
 *
 * Multi-field tables (GreptimeDB): a selector yields the field chosen by `__field__`, else the
 * field at `fieldIndex` (the caller evaluates once per field to get every value column).
 */
import type { AtModifier, Expr, LabelMatcher, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.ts';
import { evaluateAggregate } from './aggregate.ts';
import { evaluateBinary } from './binary-operators.ts';
import { callInstantFunction } from './instant-functions.ts';
import { promqlArgumentError } from './promql-error.ts';
import { RANGE_FUNCTIONS } from './range-functions.ts';
import { promqlRegex } from './regex.ts';
import type { Window } from './range-functions.ts';
import type { SeriesSource, TableSeries } from './series-source.ts';
import { checkUniqueLabelSets, dropMetricName, emptySeries, isStaleNaN } from './values.ts';
import type { EvalValue, Labels, RawSeries, StepSeries } from './values.ts';

/** Prometheus' default lookback delta: 5 minutes. */
export const DEFAULT_LOOKBACK_MS = 300_000;

/** A query's time frame, in milliseconds. */
export interface QueryRange {
  start: number;
  end: number;
  /** > 0; ignored when start === end. */
  step: number;
  lookback: number;
  /**
   * Windows exclude their start: `(t - range, t]` and `(t - lookback, t]`, as GreptimeDB and
   * Prometheus 3 do. False (default) is Prometheus 2.x: both ends included.
   */
  leftOpen?: boolean;
}

/** Shared by every evaluation of one query (all fields): the source and the fetched tables. */
export interface EvalContext {
  source: SeriesSource;
  database: string;
  /** Fetches by table + time frame, so evaluating each field reads a table once. */
  cache: Map<string, Promise<TableSeries | null>>;
  /** Tables the query read, in the order selectors appear (first: the output's time index). */
  tables: TableSeries[];
  /** Selectors whose table does not exist. */
  missingTables: string[];
}

/** A new context for one query. */
export function createEvalContext(source: SeriesSource, database: string): EvalContext {
  return { source, database, cache: new Map(), tables: [], missingTables: [] };
}

/** The step timestamps of a frame: start, start + step, ..., <= end. */
export function stepTimes(range: QueryRange): Float64Array {
  if (range.end < range.start) return new Float64Array(0);
  const count = range.step > 0 ? Math.floor((range.end - range.start) / range.step) + 1 : 1;
  const steps = new Float64Array(count);
  for (let i = 0; i < count; i++) steps[i] = range.start + i * range.step;
  return steps;
}

const SPECIAL_LABELS = new Set(['__name__', '__field__', '__schema__', '__database__']);

/** Compiles a matcher to a test on a label value. */
export function compileMatcher(matcher: LabelMatcher): (value: string) => boolean {
  switch (matcher.op) {
    case '=':
      return (value) => value === matcher.value;
    case '!=':
      return (value) => value !== matcher.value;
    case '=~': {
      const re = promqlRegex(matcher.value);
      return (value) => re.test(value);
    }
    case '!~': {
      const re = promqlRegex(matcher.value);
      return (value) => !re.test(value);
    }
  }
}

/** One evaluation of an expression over `steps` (ms) for one field position. */
export class Evaluator {
  readonly steps: Float64Array;
  private readonly context: EvalContext;
  private readonly range: QueryRange;
  private readonly fieldIndex: number;

  constructor(context: EvalContext, range: QueryRange, fieldIndex = 0, steps?: Float64Array) {
    this.context = context;
    this.range = range;
    this.fieldIndex = fieldIndex;
    this.steps = steps ?? stepTimes(range);
  }

  async evaluate(expr: Expr): Promise<EvalValue> {
    const n = this.steps.length;
    switch (expr.type) {
      case 'number':
        return { kind: 'scalar', values: new Float64Array(n).fill(expr.value) };
      case 'string':
        return { kind: 'string', value: expr.value };
      case 'paren':
        return this.evaluate(expr.expr);
      case 'unary': {
        const value = await this.evaluate(expr.expr);
        if (expr.op === '+') return value;
        if (value.kind === 'scalar') return { kind: 'scalar', values: value.values.map((v) => -v) };
        if (value.kind === 'vector') {
          return {
            kind: 'vector',
            series: uniqueLabelSets(
              value.series.map((s) => ({
                labels: dropMetricName(s.labels),
                values: s.values.map((v) => -v),
                present: s.present,
              })),
              n,
            ),
          };
        }
        return value;
      }
      case 'vector':
        return { kind: 'vector', series: await this.instantSelector(expr) };
      case 'matrix':
      case 'subquery':
        throw promqlArgumentError('a range vector cannot be the result of a range query; use it inside a function');
      case 'aggregate': {
        const param = expr.param ? await this.evaluate(expr.param) : null;
        const inner = await this.evaluate(expr.expr);
        if (inner.kind !== 'vector') throw promqlArgumentError('aggregation needs an instant vector');
        return { kind: 'vector', series: evaluateAggregate(expr, inner.series, param, n) };
      }
      case 'binary': {
        const lhs = await this.evaluate(expr.lhs);
        const rhs = await this.evaluate(expr.rhs);
        const value = evaluateBinary(expr, lhs, rhs, n);
        if (value.kind === 'vector' && (lhs.kind !== 'vector' || rhs.kind !== 'vector'))
          uniqueLabelSets(value.series, n);
        return value;
      }
      case 'call': {
        const value = await this.call(expr.func, expr.args);
        if (value.kind === 'vector') uniqueLabelSets(value.series, n);
        return value;
      }
    }
  }

  /**
   * An instant query whose result is a range vector (`x[5m]`, `x[5m:1m]`): the raw samples of
   * each series in the window ending at the first step.
   */
  async evaluateRangeVector(expr: Expr): Promise<RawSeries[]> {
    const { series, range, times } = await this.rangeInput(expr);
    const end = times[0];
    const out: RawSeries[] = [];
    for (const s of series) {
      const { lo, hi } = sliceRange(s.timestamps, end - range + (this.range.leftOpen ? 1e-9 : 0), end);
      if (hi > lo)
        out.push({ labels: s.labels, timestamps: s.timestamps.subarray(lo, hi), values: s.values.subarray(lo, hi) });
    }
    return out;
  }

  private async call(func: string, args: Expr[]): Promise<EvalValue> {
    const n = this.steps.length;
    const rangeFunction = RANGE_FUNCTIONS[func];
    if (rangeFunction !== undefined) {
      const matrixIndex = func === 'quantile_over_time' ? 1 : 0;
      const params: Float64Array[] = [];
      for (let i = 0; i < args.length; i++) {
        if (i === matrixIndex) continue;
        const value = await this.evaluate(args[i]);
        params.push(value.kind === 'scalar' ? value.values : new Float64Array(n).fill(NaN));
      }
      const keepName = func === 'last_over_time';
      return { kind: 'vector', series: await this.rangeCall(args[matrixIndex], params, rangeFunction, keepName) };
    }
    if (func === 'absent_over_time') {
      const series = await this.rangeCall(args[0], [], () => 1, false);
      return { kind: 'vector', series: absentSeries(args[0], series, n) };
    }
    if (func === 'absent') {
      const value = await this.evaluate(args[0]);
      return { kind: 'vector', series: absentSeries(args[0], value.kind === 'vector' ? value.series : [], n) };
    }
    if (func === 'time') return { kind: 'scalar', values: this.steps.map((t) => t / 1000) };
    if (func === 'pi') return { kind: 'scalar', values: new Float64Array(n).fill(Math.PI) };
    const values: EvalValue[] = [];
    for (const arg of args) values.push(await this.evaluate(arg));
    return callInstantFunction(func, values, this.steps);
  }

  /** Evaluation time at each step for a selector with `@` and `offset`. */
  private evalTimes(at: AtModifier, offset: number): Float64Array {
    const n = this.steps.length;
    const times = new Float64Array(n);
    const pinned =
      at === null ? null : at.kind === 'time' ? at.ms : at.kind === 'start' ? this.range.start : this.range.end;
    for (let i = 0; i < n; i++) times[i] = (pinned ?? this.steps[i]) - offset;
    return times;
  }

  private async instantSelector(selector: VectorSelector): Promise<StepSeries[]> {
    const times = this.evalTimes(selector.at, selector.offset);
    const lookback = this.range.lookback;
    const leftOpen = this.range.leftOpen === true;
    const raw = await this.fetchSeries(selector, minOf(times) - lookback, maxOf(times));
    const n = times.length;
    const out: StepSeries[] = [];
    for (const series of raw) {
      const { timestamps: ts, values: vs } = series;
      const result: StepSeries = { ...emptySeries(series.labels, n), sampleTimes: new Float64Array(n) };
      let any = false;
      let j = 0;
      const ascending = selector.at === null;
      for (let i = 0; i < n; i++) {
        const t = times[i];
        if (!ascending) j = 0;
        while (j < ts.length && ts[j] <= t) j++;
        const k = j - 1;
        if (k < 0 || ts[k] < t - lookback || (leftOpen && ts[k] === t - lookback) || isStaleNaN(vs[k])) continue;
        result.values[i] = vs[k];
        result.sampleTimes![i] = ts[k];
        result.present[i] = 1;
        any = true;
      }
      if (any) out.push(result);
    }
    return out;
  }

  /** Applies a range function to each series' window at every step. */
  private async rangeCall(
    arg: Expr,
    params: Float64Array[],
    fn: (w: Window, params: number[]) => number | undefined,
    keepName: boolean,
  ): Promise<StepSeries[]> {
    const { series, range, times } = await this.rangeInput(arg);
    const n = times.length;
    const leftOpen = this.range.leftOpen === true;
    const out: StepSeries[] = [];
    const stepParams: number[] = new Array<number>(params.length);
    for (const s of series) {
      const result = emptySeries(keepName ? s.labels : dropMetricName(s.labels), n);
      let any = false;
      let lo = 0;
      let hi = 0;
      const ts = s.timestamps;
      for (let i = 0; i < n; i++) {
        const end = times[i];
        const start = end - range;
        if (i > 0 && times[i] < times[i - 1]) {
          lo = 0;
          hi = 0;
        }
        while (lo < ts.length && (ts[lo] < start || (leftOpen && ts[lo] === start))) lo++;
        if (hi < lo) hi = lo;
        while (hi < ts.length && ts[hi] <= end) hi++;
        if (hi <= lo) continue;
        for (let p = 0; p < params.length; p++) stepParams[p] = params[p][i];
        const value = fn(
          { ts, vs: s.values, lo, hi, rangeStart: start, rangeEnd: end, stepTime: this.steps[i] },
          stepParams,
        );
        if (value === undefined) continue;
        result.values[i] = value;
        result.present[i] = 1;
        any = true;
      }
      if (any) out.push(result);
    }
    return out;
  }

  /** A matrix selector or subquery: raw series (stale markers removed), the range and the window ends. */
  private async rangeInput(arg: Expr): Promise<{ series: RawSeries[]; range: number; times: Float64Array }> {
    let node = arg;
    while (node.type === 'paren') node = node.expr;
    if (node.type === 'matrix') return this.matrixInput(node);
    if (node.type === 'subquery') return this.subqueryInput(node);
    throw promqlArgumentError('expected a range vector');
  }

  private async matrixInput(
    node: MatrixSelector,
  ): Promise<{ series: RawSeries[]; range: number; times: Float64Array }> {
    const times = this.evalTimes(node.vector.at, node.vector.offset);
    const raw = await this.fetchSeries(node.vector, minOf(times) - node.range, maxOf(times));
    return { series: raw.map(withoutStaleMarkers), range: node.range, times };
  }

  private async subqueryInput(
    node: SubqueryExpr,
  ): Promise<{ series: RawSeries[]; range: number; times: Float64Array }> {
    const times = this.evalTimes(node.at, node.offset);
    const step = node.step > 0 ? node.step : this.range.step > 0 ? this.range.step : 60_000;
    const lowest = minOf(times) - node.range;
    let innerStart = lowest - (((lowest % step) + step) % step);
    if (innerStart < lowest) innerStart += step;
    const innerEnd = maxOf(times);
    const innerRange: QueryRange = { ...this.range, start: innerStart, end: innerEnd, step };
    const inner = new Evaluator(this.context, innerRange, this.fieldIndex);
    const value = await inner.evaluate(node.expr);
    const series: RawSeries[] = [];
    const innerSteps = inner.steps;
    const toRaw = (labels: Labels, values: Float64Array, present: Uint8Array | null) => {
      let count = 0;
      for (let i = 0; i < innerSteps.length; i++) if (present === null || present[i]) count++;
      const timestamps = new Float64Array(count);
      const vs = new Float64Array(count);
      let k = 0;
      for (let i = 0; i < innerSteps.length; i++) {
        if (present !== null && !present[i]) continue;
        timestamps[k] = innerSteps[i];
        vs[k++] = values[i];
      }
      if (count > 0) series.push({ labels, timestamps, values: vs });
    };
    if (value.kind === 'scalar') toRaw({}, value.values, null);
    else if (value.kind === 'vector') for (const s of value.series) toRaw(s.labels, s.values, s.present);
    return { series, range: node.range, times };
  }

  /** The raw series a selector names, with its matchers applied, samples in [start, end]. */
  private async fetchSeries(selector: VectorSelector, start: number, end: number): Promise<RawSeries[]> {
    let database = this.context.database;
    const matchers: LabelMatcher[] = [];
    const nameMatchers: LabelMatcher[] = [];
    const fieldMatchers: LabelMatcher[] = [];
    for (const matcher of selector.matchers) {
      if (matcher.name === '__name__') nameMatchers.push(matcher);
      else if (matcher.name === '__schema__' || matcher.name === '__database__') {
        if (matcher.op !== '=')
          throw promqlArgumentError(`Matcher operator ${matcher.op} is not supported for ${matcher.name}`);
        database = matcher.value;
      } else if (matcher.name === '__field__') fieldMatchers.push(matcher);
      else matchers.push(matcher);
    }
    const source = this.context.source;
    let tableNames: string[];
    if (selector.name !== '' && nameMatchers.every((m) => m.op === '=')) tableNames = [selector.name];
    else if (source.tableNames === undefined) {
      const op = nameMatchers.find((m) => m.op !== '=')?.op ?? '=~';
      throw promqlArgumentError(`Matcher operator ${op} is not supported for __name__`);
    } else {
      const tests = nameMatchers.map(compileMatcher);
      tableNames = (await source.tableNames(database)).filter(
        (name) => (selector.name === '' || name === selector.name) && tests.every((test) => test(name)),
      );
    }
    const out: RawSeries[] = [];
    for (const tableName of tableNames) {
      out.push(...(await this.fetchTable(tableName, database, matchers, fieldMatchers, start, end)));
    }
    return out;
  }

  private async fetchTable(
    tableName: string,
    database: string,
    matchers: LabelMatcher[],
    fieldMatchers: LabelMatcher[],
    start: number,
    end: number,
  ): Promise<RawSeries[]> {
    const key = `${database}\u0000${tableName}\u0000${start}\u0000${end}\u0000${JSON.stringify(matchers.filter((m) => m.op === '='))}`;
    let pending = this.context.cache.get(key);
    if (pending === undefined) {
      pending = this.context.source.fetch({ database, table: tableName, matchers, start, end });
      this.context.cache.set(key, pending);
    }
    const table = await pending;
    if (table === null) {
      if (!this.context.missingTables.includes(tableName)) this.context.missingTables.push(tableName);
      return [];
    }
    if (!this.context.tables.includes(table)) this.context.tables.push(table);
    const fields = selectFields(table, fieldMatchers);
    if (fields.length === 0) return [];
    const fieldIndex = fields[Math.min(this.fieldIndex, fields.length - 1)];
    const tests = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
    const out: RawSeries[] = [];
    for (const series of table.series) {
      let keep = true;
      for (const { name, test } of tests) {
        if (!test(series.labels[name] ?? '')) {
          keep = false;
          break;
        }
      }
      if (!keep) continue;
      const field = series.fields[fieldIndex];
      const { lo, hi } = sliceRange(field.timestamps, start, end);
      if (hi <= lo) continue;
      out.push({
        labels: { __name__: table.table, ...series.labels },
        timestamps: field.timestamps.subarray(lo, hi),
        values: field.values.subarray(lo, hi),
      });
    }
    return out;
  }
}

/** `series`, after checking that no two share a label set at one step (Prometheus' rule). */
function uniqueLabelSets(series: StepSeries[], n: number): StepSeries[] {
  checkUniqueLabelSets(series, n, 'vector cannot contain metrics with the same labelset');
  return series;
}

/** Field indices of `table` a selector's `__field__` matchers keep (all fields when none). */
export function selectFields(table: TableSeries, fieldMatchers: LabelMatcher[]): number[] {
  let indices = table.fields.map((_, i) => i);
  for (const matcher of fieldMatchers) {
    if (matcher.op === '=' && !table.fields.some((f) => f.name === matcher.value)) {
      throw promqlArgumentError(`Cannot find column ${matcher.value}`);
    }
    const test = compileMatcher(matcher);
    indices = indices.filter((i) => test(table.fields[i].name));
  }
  return indices;
}

function sliceRange(ts: Float64Array, start: number, end: number): { lo: number; hi: number } {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  let top = ts.length;
  let bottom = lo;
  while (bottom < top) {
    const mid = (bottom + top) >> 1;
    if (ts[mid] <= end) bottom = mid + 1;
    else top = mid;
  }
  return { lo, hi: bottom };
}

function withoutStaleMarkers(series: RawSeries): RawSeries {
  let stale = 0;
  for (let i = 0; i < series.values.length; i++) if (isStaleNaN(series.values[i])) stale++;
  if (stale === 0) return series;
  const timestamps = new Float64Array(series.values.length - stale);
  const values = new Float64Array(series.values.length - stale);
  let k = 0;
  for (let i = 0; i < series.values.length; i++) {
    if (isStaleNaN(series.values[i])) continue;
    timestamps[k] = series.timestamps[i];
    values[k++] = series.values[i];
  }
  return { labels: series.labels, timestamps, values };
}

function minOf(values: Float64Array): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

function maxOf(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** `absent(x)` / `absent_over_time(x[r])`: 1 at steps where no series has a value. */
function absentSeries(arg: Expr, input: StepSeries[], n: number): StepSeries[] {
  let node = arg;
  while (node.type === 'paren') node = node.expr;
  const selector = node.type === 'vector' ? node : node.type === 'matrix' ? node.vector : null;
  const labels: Labels = {};
  if (selector !== null) {
    const seen = new Set<string>();
    for (const matcher of selector.matchers) {
      if (SPECIAL_LABELS.has(matcher.name)) continue;
      if (matcher.op === '=' && !seen.has(matcher.name)) labels[matcher.name] = matcher.value;
      else delete labels[matcher.name];
      seen.add(matcher.name);
    }
    for (const name of Object.keys(labels)) if (labels[name] === '') delete labels[name];
  }
  const result = emptySeries(labels, n);
  let any = false;
  for (let i = 0; i < n; i++) {
    let present = false;
    for (const s of input) {
      if (s.present[i]) {
        present = true;
        break;
      }
    }
    if (!present) {
      result.values[i] = 1;
      result.present[i] = 1;
      any = true;
    }
  }
  return any ? [result] : [];
}
