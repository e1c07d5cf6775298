/**
 * INSERT INTO t [(cols)] VALUES (...) and INSERT INTO t [(cols)] SELECT ...: the rows become
 * one Arrow batch in the table's types (values-batch.ts), split by region and put (write-rows.ts).
 * Constants convert directly; cells that need evaluating (`1 + 1`, `cast(...)`, functions)
 * are computed by one `SELECT <cells>` per row through `runQuery`, and a SELECT source runs
 * as a query. Query results come back as literals (`resultLiterals`) so both paths share the
 * conversion and its errors.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { resultRows } from '../../query/index.ts';
import type { Expr, Insert } from '../../sql/index.ts';
import { formatExpr, formatQuery } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { qualifiedName, requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';
import { valuesBatch } from './values-batch.ts';
import { jsonText } from '../wire/value-text.ts';
import { writeTarget } from './metric-tables.ts';
import { writeRows } from './write-rows.ts';

/** Runs a SELECT in the statement's database and returns its schema and batches. */
export type RunQuery = (sql: string) => Promise<{ schema: Schema; batches: RecordBatch[] }>;

const noSpan = { start: 0, end: 0, line: 0, column: 0 };
const timeUnits: Record<string, string> = { Second: 's', Millisecond: 'ms', Microsecond: 'us', Nanosecond: 'ns' };

/** Whether values-batch.ts converts the expression itself (a constant, DEFAULT or now()). */
export function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case 'null':
    case 'number':
    case 'string':
    case 'typed-string':
    case 'boolean':
    case 'default':
      return true;
    case 'nested':
      return isConstant(expr.expr);
    case 'unary':
      return (expr.op === '-' || expr.op === '+') && expr.operand.kind === 'number';
    case 'identifier':
    case 'function': {
      const name = (expr.kind === 'function' ? expr.name.parts : expr.parts).map((part) => part.value).join('.');
      const noArgs = expr.kind === 'identifier' || expr.args.length === 0;
      return noArgs && ['now', 'current_timestamp', 'localtimestamp'].includes(name);
    }
    default:
      return false;
  }
}

const ticksPerSecond: Record<string, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

/** Ticks of one time unit in another (truncating toward zero, as a cast does). */
export function rescaleTicks(ticks: bigint, from: string, to: string): bigint {
  return (ticks * ticksPerSecond[to]!) / ticksPerSecond[from]!;
}

/**
 * A query result as literal expressions, row by row. A timestamp (ticks in its unit) is
 * rescaled to `targetUnit(index)`, the unit of the timestamp column it goes into.
 */
export function resultLiterals(
  schema: Schema,
  batches: RecordBatch[],
  targetUnit: (index: number) => string | undefined,
): Expr[][] {
  const types = schema.fields.map((field) => greptimeTypeName(field));
  return resultRows(batches).map((row) =>
    row.map((value, index): Expr => {
      if (value === null) return { kind: 'null', span: noSpan };
      if (typeof value === 'boolean') return { kind: 'boolean', value, span: noSpan };
      // Lists are not stored in tables (as in GreptimeDB); carry their JSON text.
      if (Array.isArray(value)) return { kind: 'string', value: jsonText(value), prefix: '', span: noSpan };
      const type = types[index] ?? '';
      const unit = type.startsWith('Timestamp') ? timeUnits[type.slice('Timestamp'.length)] : undefined;
      const target = targetUnit(index);
      if (unit !== undefined && target !== undefined && /^-?\d+$/.test(String(value))) {
        return { kind: 'number', text: String(rescaleTicks(BigInt(value), unit, target)), span: noSpan };
      }
      if (typeof value === 'number' || typeof value === 'bigint') {
        return { kind: 'number', text: String(value), span: noSpan };
      }
      // Binary results arrive as hex text (resultRows); carry them as the bytes they are.
      if (type === 'Binary') return { kind: 'hex', digits: String(value), span: noSpan };
      return { kind: 'string', value, prefix: '', span: noSpan };
    }),
  );
}

/** GreptimeDB (MySQL dialect) reads a double-quoted name in INSERT VALUES as a string: `("host1", "2024-01-01")`. */
function doubleQuotedAsString(expr: Expr): Expr {
  if (expr.kind !== 'identifier' || expr.parts.length !== 1 || expr.parts[0].quote !== '"') return expr;
  return { kind: 'string', value: expr.parts[0].text, prefix: '', span: expr.span };
}

export async function runInsert(
  statement: Insert,
  context: TableContext,
  database: string,
  runQuery: RunQuery,
  timeZone?: string,
): Promise<SqlOutput> {
  const source = statement.source;
  const name = resolveTableName(statement.table, database);
  const table = await requireTable(context, name, qualifiedName(name));
  if (table.info.engine === 'metric' && table.info.physicalTable === undefined) {
    throw new TesseraError(ErrorCode.Unsupported, 'Write request to physical region is forbidden');
  }
  const byName = new Map(table.info.regionSchema.columns.map((column) => [column.name, column]));
  const targets =
    statement.columns.length > 0 ? statement.columns.map((column) => column.value) : table.info.columnOrder;
  const unitAt = (position: number): string | undefined => {
    const type = byName.get(targets[position] ?? '')?.type;
    return type?.kind === 'timestamp' ? type.unit : undefined;
  };
  let rows: Expr[][];
  if (source.body.kind === 'values' && !source.with && source.orderBy.length === 0) {
    rows = [];
    for (const written of source.body.rows) {
      const row = written.map(doubleQuotedAsString);
      if (row.every(isConstant)) {
        rows.push([...row]);
        continue;
      }
      const positions = row.flatMap((expr, position) => (isConstant(expr) ? [] : [position]));
      // Aliased, so that two cells with the same text (`'inf'::FLOAT, 'inf'::DOUBLE`) stay distinct columns.
      const cells = positions.map((position, index) => `${formatExpr(row[position]!)} AS c${index}`);
      const result = await runQuery(`SELECT ${cells.join(', ')}`);
      const values = resultLiterals(result.schema, result.batches, (index) => unitAt(positions[index]!))[0] ?? [];
      let next = 0;
      rows.push(row.map((expr) => (isConstant(expr) ? expr : values[next++]!)));
    }
  } else {
    const result = await runQuery(formatQuery(source));
    if (result.schema.fields.length !== targets.length) {
      throw new TesseraError(
        ErrorCode.PlanQuery,
        "Failed to plan SQL: Error during planning: Column count doesn't match insert query!",
      );
    }
    rows = resultLiterals(result.schema, result.batches, unitAt);
  }
  if (rows.length === 0) return { affectedrows: 0 };
  const batch = valuesBatch(
    table.info,
    statement.columns.map((column) => column.value),
    rows,
    Date.now(),
    timeZone,
  );
  const target = await writeTarget(context, table, batch);
  return { affectedrows: await writeRows(context.datanodes, target.route, target.batch, 'put') };
}
