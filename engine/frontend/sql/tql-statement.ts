/**
 * `TQL EVAL (start, end, step [, lookback]) <PromQL> [AS name]`: evaluates the PromQL with
 * engine/promql over the database's tables and answers a records output shaped as GreptimeDB
 * does: the time index column (the metric table's, else `time`), one value column per field,
 * and one column per label, ordered by the kind of expression (a plain selector keeps the
 * table's column order, functions put the time first, joins the labels first), rows sorted by
 * labels then time. `TQL EXPLAIN` / `ANALYZE` print the parsed expression.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { firstSelector, parseDuration, parsePromql, runPromql, typeOf } from '../../promql/index.ts';
import type { EvalValue, Expr, PromqlOutcome, TableSeries } from '../../promql/index.ts';
import type { Expr as SqlExpr, TqlStatement } from '../../sql/index.ts';
import type { RecordBatch, Schema } from 'apache-arrow';
import { resultRows } from '../../query/index.ts';
import type { TableProvider } from '../../query/index.ts';
import type { TableName } from '../../rpc/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { TableSeriesSource, ticksPerMillisecond } from './promql-series-source.ts';

/** What a TQL statement needs from the SQL handler: its table lookup and its query runner. */
export interface TqlContext {
  database: string;
  /** The text the statement was parsed from (parameter expressions are cut from it). */
  sql: string;
  loadTable(name: TableName): Promise<TableProvider | undefined>;
  runQuery(text: string, database: string): Promise<{ schema: Schema; batches: RecordBatch[] }>;
}

/** Evaluates a SQL constant expression (`now() - interval '1' day`): its value and type name. */
async function evaluateConstant(
  context: TqlContext,
  expression: string,
): Promise<{ value: unknown; dataType: string }> {
  const result = await context.runQuery(`SELECT ${expression}`, context.database);
  const rows = resultRows(result.batches);
  return { value: rows[0]?.[0] ?? null, dataType: greptimeTypeName(result.schema.fields[0]) };
}

/** Runs a TQL statement. */
export async function runTql(statement: TqlStatement, context: TqlContext): Promise<SqlOutput> {
  const expr = parsePromql(statement.query);
  if (statement.mode !== 'EVAL') {
    return {
      records: {
        schema: {
          column_schemas: [
            { name: 'plan_type', data_type: 'String' },
            { name: 'plan', data_type: 'String' },
          ],
        },
        rows: [['logical_plan', describeExpr(expr)]],
        total_rows: 1,
      },
    };
  }
  const start = await timeParameter(statement.start, context, 'start');
  const end = await timeParameter(statement.end, context, 'end');
  const step = await durationParameter(statement.step, context, 'step');
  const lookback = statement.lookback ? await durationParameter(statement.lookback, context, 'lookback') : undefined;
  if (step <= 0) throw new TesseraError(ErrorCode.InvalidArguments, `TQL step must be positive, got ${step}ms`);
  if (typeOf(expr) === 'matrix') {
    return { records: { schema: { column_schemas: [] }, rows: [], total_rows: 0 } };
  }
  const outcome = await runPromql(
    {
      query: statement.query,
      start,
      end,
      step,
      lookback,
      database: context.database,
      source: new TableSeriesSource(context.loadTable),
      allFields: true,
      leftOpen: true,
    },
    expr,
  );
  if (outcome.values.length > 1) rejectMultiFieldAggregates(expr);
  return tqlRecords(outcome, statement.alias?.value ?? null);
}

function sourceText(expr: SqlExpr, context: TqlContext): string {
  return context.sql.slice(expr.span.start, expr.span.end);
}

/** A start/end parameter in ms: seconds as a number, a number or time string, or a SQL timestamp expression. */
async function timeParameter(expr: SqlExpr, context: TqlContext, what: string): Promise<number> {
  if (expr.kind === 'number') return Number(expr.text) * 1000;
  if (expr.kind === 'string') return parseTimeText(expr.value, what);
  const { value, dataType } = await evaluateConstant(context, sourceText(expr, context));
  if (typeof value === 'number' && dataType.startsWith('Timestamp')) return value / ticksPerMillisecond(dataType);
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') return parseTimeText(value, what);
  throw new TesseraError(ErrorCode.InvalidArguments, `TQL ${what} must be a time, got ${String(value)}`);
}

function parseTimeText(text: string, what: string): number {
  const trimmed = text.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed) * 1000;
  let iso = trimmed.replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TesseraError(ErrorCode.InvalidArguments, `TQL ${what} is not a time: ${text}`);
  return ms;
}

/** A step/lookback parameter in ms: a duration string (`5s`), or seconds as a number. */
async function durationParameter(expr: SqlExpr, context: TqlContext, what: string): Promise<number> {
  let text: string;
  if (expr.kind === 'number') text = expr.text;
  else if (expr.kind === 'string') text = expr.value;
  else text = String((await evaluateConstant(context, sourceText(expr, context))).value);
  const duration = parseDuration(text.trim());
  if (duration !== null) return duration;
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  throw new TesseraError(ErrorCode.InvalidArguments, `TQL ${what} is not a duration: ${text}`);
}

function unwrap(expr: Expr): Expr {
  return expr.type === 'paren' ? unwrap(expr.expr) : expr;
}

/** The label columns an expression's result has, in GreptimeDB's order (static, from the tables). */
function labelColumns(expr: Expr, tables: TableSeries[]): string[] {
  const node = unwrap(expr);
  switch (node.type) {
    case 'vector':
    case 'matrix': {
      const selector = node.type === 'vector' ? node : node.vector;
      return tables.find((t) => t.table === selector.name)?.tags ?? [];
    }
    case 'subquery':
    case 'unary':
      return labelColumns(node.expr, tables);
    case 'aggregate': {
      const inner = labelColumns(node.expr, tables);
      if (node.op === 'topk' || node.op === 'bottomk' || node.op === 'limitk') return inner;
      // `by` labels the input does not have are no columns (GreptimeDB plans them away).
      const known =
        firstSelector(node.expr) === null || inner.length === 0
          ? node.grouping
          : node.grouping.filter((l) => inner.includes(l));
      const kept = node.without ? inner.filter((l) => !node.grouping.includes(l)) : known;
      if (node.op === 'count_values' && node.param?.type === 'string') return [...kept, node.param.value];
      return kept;
    }
    case 'binary': {
      const lt = typeOf(node.lhs);
      const rt = typeOf(node.rhs);
      if (lt === 'scalar' && rt === 'scalar') return [];
      if (lt === 'scalar') return labelColumns(node.rhs, tables);
      if (rt === 'scalar') return labelColumns(node.lhs, tables);
      const lhs = labelColumns(node.lhs, tables);
      const rhs = labelColumns(node.rhs, tables);
      const matching = node.matching;
      if (node.op === 'or') return [...lhs, ...rhs.filter((l) => !lhs.includes(l))];
      if (node.op === 'and' || node.op === 'unless' || matching === null) return lhs;
      if (matching.card === 'one-to-one') {
        return matching.on
          ? lhs.filter((l) => matching.labels.includes(l))
          : lhs.filter((l) => !matching.labels.includes(l));
      }
      const many = matching.card === 'many-to-one' ? lhs : rhs;
      return [...many, ...matching.include.filter((l) => !many.includes(l))];
    }
    case 'call': {
      const vectorArg = node.args.find((arg) => typeOf(arg) === 'vector' || typeOf(arg) === 'matrix');
      if (typeOf(node) === 'scalar') return [];
      if (node.func === 'vector' || node.func === 'time') return [];
      if (node.func === 'absent' || node.func === 'absent_over_time') {
        const selector = vectorArg ? firstSelector(vectorArg) : null;
        if (selector === null) return [];
        const matchers = selector.matchers.filter((m) => !m.name.startsWith('__'));
        return matchers
          .filter(
            (m) => m.op === '=' && m.value !== '' && matchers.filter((other) => other.name === m.name).length === 1,
          )
          .map((m) => m.name);
      }
      const inner = vectorArg ? labelColumns(vectorArg, tables) : [];
      if (node.func === 'histogram_quantile') return inner.filter((l) => l !== 'le');
      if (node.func === 'label_replace' || node.func === 'label_join') {
        const dst = node.args[1]?.type === 'string' ? node.args[1].value : '';
        return dst === '' || inner.includes(dst) ? inner : [dst, ...inner];
      }
      return inner;
    }
    default:
      return [];
  }
}

type Layout =
  'table' | 'fields-tags-time' | 'time-values-tags' | 'tags-time-values' | 'values-tags-time' | 'time-sorted';

function layoutOf(expr: Expr, alias: string | null): Layout {
  const node = unwrap(expr);
  if (alias !== null) return 'values-tags-time';
  switch (node.type) {
    case 'vector':
      return node.matchers.some((m) => m.name === '__field__') ? 'fields-tags-time' : 'table';
    case 'aggregate':
      return node.op === 'topk' || node.op === 'bottomk' || node.op === 'limitk'
        ? 'values-tags-time'
        : 'tags-time-values';
    case 'binary': {
      // GreptimeDB joins whenever both sides read tables (`x + scalar(y)` too).
      const join = firstSelector(node.lhs) !== null && firstSelector(node.rhs) !== null;
      if (node.op === 'and' || node.op === 'unless' || (node.op === 'or' && !join)) return layoutOf(node.lhs, null);
      if (node.op === 'or') return 'time-sorted';
      if (!join && ['==', '!=', '<', '<=', '>', '>='].includes(node.op) && !node.returnBool) {
        // A filter keeps the vector's own layout (a scalar on the left puts the time first).
        return typeOf(node.lhs) === 'vector' ? layoutOf(node.lhs, null) : 'time-values-tags';
      }
      return 'tags-time-values';
    }
    case 'call':
      return node.func === 'histogram_quantile' && node.args[1] ? layoutOf(node.args[1], null) : 'time-values-tags';
    default:
      return 'time-values-tags';
  }
}

const FUNCTION_NAMES: Record<string, string> = { sgn: 'signum', deg: 'degrees', rad: 'radians' };
const AGGREGATE_NAMES: Record<string, string> = { stddev: 'stddev_pop', stdvar: 'var_pop', count: 'count' };

function literalName(value: number): string {
  return `Float64(${Number.isInteger(value) ? value : value})`;
}

/** A GreptimeDB-like name for the value column (DataFusion's expression text, simplified). */
function valueName(expr: Expr, field: string, tables: TableSeries[], top = true): string {
  const node = unwrap(expr);
  const tsOf = (selectorName: string) => tables.find((t) => t.table === selectorName)?.timeIndex ?? 'ts';
  switch (node.type) {
    case 'number':
      return literalName(node.value);
    case 'vector':
      return field;
    case 'matrix':
      return field;
    case 'unary':
      return `(- ${valueName(node.expr, field, tables, false)})`;
    case 'call': {
      const args = node.args;
      if (node.func === 'time') return 'time / Float64(1000)';
      if (node.func === 'pi') return 'pi()';
      const rangeArg = args.find((a) => typeOf(a) === 'matrix');
      if (rangeArg !== undefined) {
        const selector = firstSelector(rangeArg);
        const ts = tsOf(selector?.name ?? '');
        const inner = valueName(rangeArg.type === 'subquery' ? rangeArg.expr : rangeArg, field, tables, false);
        const extra = args.filter((a) => a !== rangeArg).map((a) => valueName(a, field, tables, false));
        if (['rate', 'increase', 'delta'].includes(node.func)) {
          const range = unwrap(rangeArg).type === 'matrix' ? (unwrap(rangeArg) as { range: number }).range : 0;
          return `prom_${node.func}(${ts}_range,${inner},${ts},Int64(${range}))`;
        }
        return `prom_${node.func}(${[`${ts}_range`, inner, ...extra].join(',')})`;
      }
      const vectorArg = args.find((a) => typeOf(a) === 'vector');
      const inner = vectorArg ? valueName(vectorArg, field, tables, false) : '';
      if (
        [
          'label_replace',
          'label_join',
          'sort',
          'sort_desc',
          'sort_by_label',
          'sort_by_label_desc',
          'histogram_quantile',
        ].includes(node.func)
      )
        return inner;
      if (node.func === 'timestamp') return 'value';
      if (node.func === 'round')
        return `prom_round(${inner},${args[1] ? valueName(args[1], field, tables, false) : 'Float64(0)'})`;
      const extra = args.filter((a) => a !== vectorArg).map((a) => valueName(a, field, tables, false));
      return `${FUNCTION_NAMES[node.func] ?? node.func}(${[inner, ...extra].join(',')})`;
    }
    case 'aggregate': {
      const selector = firstSelector(node.expr);
      const inner = valueName(node.expr, field, tables, false);
      const qualified = unwrap(node.expr).type === 'vector' && selector ? `${selector.name}.${inner}` : inner;
      if (node.op === 'topk' || node.op === 'bottomk') return inner;
      if (node.op === 'group') return 'max(Float64(1))';
      return `${AGGREGATE_NAMES[node.op] ?? node.op}(${qualified})`;
    }
    case 'binary': {
      const lhs = valueName(node.lhs, field, tables, false);
      const rhs = valueName(node.rhs, field, tables, false);
      const op = node.op;
      // Two computed sides (no literal) are a join: GreptimeDB qualifies them by table, or by
      // lhs/rhs when both come from one table (or none).
      const literal = (e: Expr) => unwrap(e).type === 'number';
      const filter = ['==', '!=', '<', '<=', '>', '>='].includes(op) && !node.returnBool;
      if (filter && (typeOf(node.lhs) === 'scalar' || typeOf(node.rhs) === 'scalar')) {
        return typeOf(node.lhs) === 'vector' ? lhs : rhs;
      }
      if (!literal(node.lhs) && !literal(node.rhs) && !['and', 'or', 'unless'].includes(op)) {
        if (!top) return `${lhs} ${op} ${rhs}`;
        const lt = firstSelector(node.lhs)?.name;
        const rt = firstSelector(node.rhs)?.name;
        return lt !== undefined && rt !== undefined && lt !== rt
          ? `${lt}.${lhs} ${op} ${rt}.${rhs}`
          : `lhs.${lhs} ${op} rhs.${rhs}`;
      }
      if (['and', 'or', 'unless'].includes(op)) return lhs;
      if (['==', '!=', '<', '<=', '>', '>='].includes(op) && !node.returnBool)
        return typeOf(node.lhs) === 'vector' ? lhs : rhs;
      return `${lhs} ${op} ${rhs}`;
    }
    default:
      return 'value';
  }
}

/** Whether the result values are the field's own values (so they keep its type, e.g. Int64). */
function keepsFieldType(expr: Expr): boolean {
  const node = unwrap(expr);
  switch (node.type) {
    case 'vector':
      return true;
    case 'call':
      return ['label_replace', 'label_join', 'sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc'].includes(
        node.func,
      )
        ? keepsFieldType(node.args[0])
        : false;
    case 'aggregate':
      return ['topk', 'bottomk', 'limitk', 'sum', 'min', 'max'].includes(node.op) && keepsFieldType(node.expr);
    case 'binary':
      if (['and', 'or', 'unless'].includes(node.op)) return keepsFieldType(node.lhs);
      return (
        ['==', '!=', '<', '<=', '>', '>='].includes(node.op) &&
        !node.returnBool &&
        typeOf(node.rhs) === 'scalar' &&
        keepsFieldType(node.lhs)
      );
    default:
      return false;
  }
}

/** Formats a float value for the JSON rows: non-finite values as GreptimeDB prints them. */
function jsonFloat(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return value;
}

/** The records output of an evaluated TQL query. */
export function tqlRecords(outcome: PromqlOutcome, alias: string | null): SqlOutput {
  const { expr, steps, values, context } = outcome;
  const tables = context.tables;
  const selector = firstSelector(expr);
  // The first selector's table names the time index and value columns; when it does not exist
  // GreptimeDB answers `time` and `value` even if later selectors read tables.
  const mainTable = selector === null ? tables[0] : tables.find((t) => t.table === selector.name);
  const tsName = mainTable?.timeIndex ?? 'time';
  // GreptimeDB's PromQL plans cast the time index to milliseconds.
  const tsType = 'TimestampMillisecond';
  const perMs = 1;
  const castTime = mainTable !== undefined && mainTable.timeType !== 'TimestampMillisecond';
  const fieldNames = outcome.fieldNames.length > 0 ? outcome.fieldNames : ['value'];
  const plain = keepsFieldType(expr);
  const valueNames =
    alias !== null
      ? values.map((_, i) => (values.length === 1 ? alias : `${alias}_${fieldNames[i] ?? i}`))
      : values.map((_, i) =>
          mainTable === undefined && selector !== null ? 'value' : valueName(expr, fieldNames[i] ?? 'value', tables),
        );
  const valueTypes = values.map((_, i) => {
    if (!plain || mainTable === undefined) return 'Float64';
    return mainTable.fields.find((f) => f.name === fieldNames[i])?.dataType ?? 'Float64';
  });
  const isScalar = values[0]?.kind === 'scalar';
  const labels = isScalar ? [] : [...new Set(labelColumns(expr, tables))];
  // Labels the data has that the static list missed (e.g. from a table read later).
  const first = values[0];
  if (first?.kind === 'vector') {
    for (const s of first.series)
      for (const name of Object.keys(s.labels)) if (name !== '__name__' && !labels.includes(name)) labels.push(name);
  }

  // Columns: kind + index.
  type ColumnRef = { kind: 'time' } | { kind: 'value'; index: number } | { kind: 'label'; name: string };
  const time: ColumnRef = { kind: 'time' };
  const valueRefs: ColumnRef[] = values.map((_, index) => ({ kind: 'value', index }));
  const labelRefs: ColumnRef[] = labels.map((name) => ({ kind: 'label', name }));
  let columns: ColumnRef[];
  let layout: Layout = isScalar ? 'time-values-tags' : layoutOf(expr, alias);
  if (layout === 'table' && mainTable === undefined) layout = 'time-values-tags';
  if (layout === 'table' && castTime) layout = 'fields-tags-time';
  switch (layout) {
    case 'table': {
      columns = [];
      for (const name of mainTable!.columns) {
        if (name === mainTable!.timeIndex) columns.push(time);
        else if (labels.includes(name)) columns.push({ kind: 'label', name });
        else {
          const index = fieldNames.indexOf(name);
          if (index >= 0 && index < values.length) columns.push({ kind: 'value', index });
        }
      }
      for (const ref of labelRefs)
        if (!columns.some((c) => c.kind === 'label' && c.name === (ref as { name: string }).name)) columns.push(ref);
      break;
    }
    case 'fields-tags-time':
    case 'values-tags-time':
      columns = [...valueRefs, ...labelRefs, time];
      break;
    case 'tags-time-values':
      columns = [...labelRefs, time, ...valueRefs];
      break;
    case 'time-sorted': {
      const named = [
        ...valueRefs.map((ref, i) => ({ ref, name: valueNames[i] })),
        ...labels.map((name, i) => ({ ref: labelRefs[i], name })),
      ];
      named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      columns = [time, ...named.map((n) => n.ref)];
      break;
    }
    default:
      columns = [time, ...valueRefs, ...labelRefs];
  }

  const columnSchemas = columns.map((ref) => {
    if (ref.kind === 'time') return { name: tsName, data_type: tsType };
    if (ref.kind === 'value') return { name: valueNames[ref.index], data_type: valueTypes[ref.index] };
    return { name: ref.name, data_type: 'String' };
  });

  // Rows: one per (series, step) with a value in any field, sorted by labels then time.
  interface Entry {
    labels: Record<string, string>;
    step: number;
    values: (number | null)[];
  }
  const entries = new Map<string, Entry>();
  values.forEach((value: EvalValue, index) => {
    const add = (seriesLabels: Record<string, string>, stepIndex: number, v: number) => {
      const key = `${JSON.stringify(labels.map((l) => seriesLabels[l] ?? ''))}\u0000${stepIndex}`;
      let entry = entries.get(key);
      if (!entry) entries.set(key, (entry = { labels: seriesLabels, step: stepIndex, values: values.map(() => null) }));
      entry.values[index] = v;
    };
    if (value.kind === 'scalar') for (let i = 0; i < steps.length; i++) add({}, i, value.values[i]);
    else if (value.kind === 'vector') {
      for (const s of value.series)
        for (let i = 0; i < steps.length; i++) if (s.present[i]) add(s.labels, i, s.values[i]);
    }
  });
  // Rows by labels then time; topk/bottomk (a window per step in GreptimeDB) by time first.
  const byTimeFirst = layout === 'values-tags-time' && alias === null;
  const sorted = [...entries.values()].sort((a, b) => {
    if (byTimeFirst && a.step !== b.step) return a.step - b.step;
    for (const name of labels) {
      const av = a.labels[name] ?? '';
      const bv = b.labels[name] ?? '';
      if (av !== bv) return av < bv ? -1 : 1;
    }
    return a.step - b.step;
  });
  const rows = sorted.map((entry) =>
    columns.map((ref) => {
      if (ref.kind === 'time') return Math.floor(steps[entry.step] * perMs);
      if (ref.kind === 'label') return entry.labels[ref.name] ?? null;
      const v = entry.values[ref.index];
      return v === null ? null : jsonFloat(v);
    }),
  );
  return { records: { schema: { column_schemas: columnSchemas }, rows, total_rows: rows.length } };
}

/** GreptimeDB refuses `group` and `topk`/`bottomk` over a table with several value columns. */
function rejectMultiFieldAggregates(expr: Expr): void {
  const node = unwrap(expr);
  if (node.type === 'aggregate') {
    if (node.op === 'group')
      throw new TesseraError(ErrorCode.Unsupported, 'Multi fields calculation is not supported in group()');
    if (node.op === 'topk' || node.op === 'bottomk') {
      throw new TesseraError(ErrorCode.InvalidArguments, 'Unsupported expr type: topk or bottomk on multi-value input');
    }
    rejectMultiFieldAggregates(node.expr);
  } else if (node.type === 'call') node.args.forEach(rejectMultiFieldAggregates);
  else if (node.type === 'binary') {
    rejectMultiFieldAggregates(node.lhs);
    rejectMultiFieldAggregates(node.rhs);
  } else if (node.type === 'unary' || node.type === 'subquery') rejectMultiFieldAggregates(node.expr);
}

/** The parsed expression as an indented tree, for TQL EXPLAIN / ANALYZE. */
function describeExpr(expr: Expr, depth = 0): string {
  const node = unwrap(expr);
  const pad = '  '.repeat(depth);
  const child = (e: Expr) => `\n${describeExpr(e, depth + 1)}`;
  switch (node.type) {
    case 'vector': {
      const matchers = node.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ');
      const offset = node.offset !== 0 ? ` offset=${node.offset}ms` : '';
      return `${pad}PromInstantManipulate: ${node.name}{${matchers}}${offset}`;
    }
    case 'matrix':
      return `${pad}PromRangeManipulate: range=${node.range}ms${child(node.vector)}`;
    case 'subquery':
      return `${pad}PromSubquery: range=${node.range}ms step=${node.step}ms${child(node.expr)}`;
    case 'call':
      return `${pad}PromFunction: ${node.func}${node.args.map(child).join('')}`;
    case 'aggregate':
      return `${pad}Aggregate: ${node.op} ${node.without ? 'without' : 'by'} (${node.grouping.join(', ')})${child(node.expr)}`;
    case 'binary':
      return `${pad}BinaryExpr: ${node.op}${node.returnBool ? ' bool' : ''}${child(node.lhs)}${child(node.rhs)}`;
    case 'unary':
      return `${pad}Negate${child(node.expr)}`;
    case 'number':
      return `${pad}Literal: ${node.value}`;
    case 'string':
      return `${pad}Literal: "${node.value}"`;
    default:
      return `${pad}${node.type}`;
  }
}
