/**
 * Vectorized evaluation: a logical expression is compiled once per operator into a closure
 * tree that maps a `Chunk` to a `Column`, a whole batch at a time. Column references are
 * bound to indices at compile time; each node is one indexed loop over typed arrays.
 * SQL's three-valued logic lives in the validity arrays: AND/OR follow Kleene's tables, a
 * comparison with NULL is NULL, and a filter keeps only rows that are valid and true.
 */
import type { Chunk, Column } from './column.ts';
import { bigintAt, columnValue, constantColumn, emptyValues, nullColumn, takeColumn } from './column.ts';
import type { RowValue } from './column.ts';
import {
  bigintOfFloat,
  hasExactStorage,
  int64Range,
  isWide,
  packExact,
  wrapInt64,
  SAFE_LIMIT,
} from './exact-integers.ts';
import type { SqlType } from './data-type.ts';
import {
  comparisonCommonType,
  isFloatStored,
  isInteger,
  isTemporal,
  isTimestamp,
  timestampTicksPerSecond,
} from './data-type.ts';
import { compareBoxed, evaluateBoxedBinary, negateBoxed } from './boxed-arithmetic.ts';
import { castBoxed, formatBoxed } from './cast-boxed.ts';
import { isBoxed } from './data-type.ts';
import { executionError, planningError } from './errors.ts';
import { computedFieldIndex, exprType, isComparison } from './expr-type.ts';
import { aggregateFunction, scalarFunction } from './functions/registry.ts';
import { mergeValidity } from './functions/helpers.ts';
import type { PlanField } from './logical-plan.ts';
import type { PlanExpr } from './plan-expr.ts';
import { formatPlanExpr } from './plan-expr.ts';
import { resolveField } from './resolve-column.ts';
import { formatDateDays, formatTimestampTicks, parseDateDays, parseTimestampExact } from './timestamp.ts';

/** A compiled expression: batch in, column out. */
export type Evaluator = (chunk: Chunk) => Column;

/** Compiles `expr` against the input `fields`. Throws PlanQuery errors for unknown names and types. */
export function compileExpr(expr: PlanExpr, fields: PlanField[]): Evaluator {
  const computed = computedFieldIndex(expr, fields);
  if (computed !== -1) return (chunk) => chunk.columns[computed];
  switch (expr.kind) {
    case 'column': {
      const index = resolveField(fields, expr.relation, expr.name);
      return (chunk) => chunk.columns[index];
    }
    case 'literal': {
      const { type, value } = expr;
      return (chunk) => constantColumn(type, value, chunk.length);
    }
    case 'alias':
      return compileExpr(expr.expr, fields);
    case 'binary':
      return compileBinary(expr.op, expr.left, expr.right, fields);
    case 'not': {
      const inner = compileExpr(expr.expr, fields);
      return (chunk) => {
        const column = inner(chunk);
        if (column.type === 'Null') return nullColumn('Boolean', chunk.length);
        const source = column.values as Uint8Array;
        const out = new Uint8Array(chunk.length);
        for (let i = 0; i < out.length; i++) out[i] = source[i] ^ 1;
        return { type: 'Boolean', length: chunk.length, values: out, valid: column.valid };
      };
    }
    case 'negative': {
      const inner = compileExpr(expr.expr, fields);
      const type = exprType(expr, fields);
      return (chunk) => {
        const column = inner(chunk);
        if (column.type === 'Null') return nullColumn(type, chunk.length);
        if (isBoxed(column.type)) return negateBoxed(column);
        const source = column.values as Float64Array;
        const out = new Float64Array(chunk.length);
        for (let i = 0; i < out.length; i++) out[i] = -source[i];
        if (column.exact && hasExactStorage(type)) {
          const rows = new Array<number | bigint>(chunk.length);
          for (let i = 0; i < rows.length; i++)
            rows[i] = isWide(out[i]) ? wrapInt64(-bigintAt(column, i), type) : out[i];
          const packed = packExact(rows, type === 'UInt64');
          return { type, length: chunk.length, values: packed.values, valid: column.valid, exact: packed.exact };
        }
        return { type, length: chunk.length, values: out, valid: column.valid };
      };
    }
    case 'is-null': {
      const inner = compileExpr(expr.expr, fields);
      const not = expr.not ? 1 : 0;
      return (chunk) => {
        const column = inner(chunk);
        const out = new Uint8Array(chunk.length);
        if (column.type === 'Null') out.fill(1 ^ not);
        else if (column.valid === null) out.fill(not);
        else for (let i = 0; i < out.length; i++) out[i] = column.valid[i] ^ 1 ^ not;
        return { type: 'Boolean', length: chunk.length, values: out, valid: null };
      };
    }
    case 'between': {
      // x BETWEEN a AND b is x >= a AND x <= b; NOT BETWEEN is x < a OR x > b.
      const rewritten: PlanExpr = expr.not
        ? {
            kind: 'binary',
            op: 'OR',
            left: { kind: 'binary', op: '<', left: expr.expr, right: expr.low },
            right: { kind: 'binary', op: '>', left: expr.expr, right: expr.high },
          }
        : {
            kind: 'binary',
            op: 'AND',
            left: { kind: 'binary', op: '>=', left: expr.expr, right: expr.low },
            right: { kind: 'binary', op: '<=', left: expr.expr, right: expr.high },
          };
      return compileExpr(rewritten, fields);
    }
    case 'in-list':
      return compileInList(expr.expr, expr.list, expr.not, fields);
    case 'like':
      return compileLike(expr.expr, expr.pattern, expr.not, expr.caseInsensitive, fields);
    case 'case':
      return compileCase(expr, fields);
    case 'cast': {
      const inner = compileExpr(expr.expr, fields);
      const { type, try: tryCast } = expr;
      return (chunk) => castColumn(inner(chunk), type, tryCast);
    }
    case 'function': {
      const fn = scalarFunction(expr.name);
      if (fn === undefined) throw planningError(`Invalid function '${expr.name}'.`);
      const args = expr.args.map((arg) => compileExpr(arg, fields));
      const type = exprType(expr, fields);
      return (chunk) =>
        fn.evaluate(
          args.map((arg) => arg(chunk)),
          chunk.length,
          type,
        );
    }
    case 'aggregate':
      if (aggregateFunction(expr.name) === undefined) throw planningError(`Invalid function '${expr.name}'.`);
      throw planningError(`Aggregate ${formatPlanExpr(expr)} is not allowed here`);
    case 'window':
      throw planningError(`Window function ${formatPlanExpr(expr)} is not allowed here`);
    case 'subquery':
      throw planningError(`Subquery ${formatPlanExpr(expr)} was not executed before its query`);
  }
}

/**
 * `compiled` brought to `type` (coerceTo) per batch; a literal is brought once, so text compared
 * with a timestamp is parsed once per query, not once per row. A literal that fails to convert
 * is left to fail (or not, on no rows) when a batch runs, as before.
 */
function coercedEvaluator(expr: PlanExpr, compiled: Evaluator, type: SqlType): Evaluator {
  if (expr.kind !== 'literal' || expr.type === type || expr.value === null) {
    return (chunk) => coerceTo(compiled(chunk), type);
  }
  let value: RowValue;
  try {
    value = columnValue(coerceTo(constantColumn(expr.type, expr.value, 1), type), 0);
  } catch {
    return (chunk) => coerceTo(compiled(chunk), type);
  }
  return (chunk) => constantColumn(type, value, chunk.length);
}

/** Brings a column to `type` for a comparison (strings parsed to numbers or timestamps, units scaled). */
function coerceTo(column: Column, type: SqlType): Column {
  if (column.type === type || column.type === 'Null') return column;
  if (isFloatStored(column.type) && isFloatStored(type)) {
    if (isTimestamp(column.type) && isTimestamp(type)) return castColumn(column, type, false);
    return column;
  }
  return castColumn(column, type, false);
}

function compileBinary(op: string, leftExpr: PlanExpr, rightExpr: PlanExpr, fields: PlanField[]): Evaluator {
  const left = compileExpr(leftExpr, fields);
  const right = compileExpr(rightExpr, fields);
  const leftType = exprType(leftExpr, fields);
  const rightType = exprType(rightExpr, fields);
  if (op === 'AND' || op === 'OR') return compileLogical(op, left, right);
  if (isComparison(op)) {
    const common = comparisonCommonType(leftType, rightType) ?? leftType;
    const finer = isTimestamp(common) ? finerTimestampText(op, leftExpr, rightExpr, common) : null;
    if (finer !== null) {
      // A timestamp compared with text finer than its unit (GreptimeDB #8214): compare with the
      // text's instant, not the text truncated to the column's unit.
      const column = finer.side === 'right' ? left : right;
      return (chunk) => {
        const length = chunk.length;
        const a = coerceTo(column(chunk), common);
        if (finer.op === 'false' || finer.op === 'true') {
          const out = new Uint8Array(length).fill(finer.op === 'true' ? 1 : 0);
          const valid = a.type === 'Null' ? new Uint8Array(length) : a.valid;
          return { type: 'Boolean', length, values: out, valid };
        }
        const b = constantColumn(common, finer.ticks, length);
        const result = compare(finer.op, a, b, length);
        if (a.exact || b.exact) refineWideTies(finer.op, a, b, result);
        return result;
      };
    }
    const exact = hasExactStorage(common);
    const coercedLeft = coercedEvaluator(leftExpr, left, common);
    const coercedRight = coercedEvaluator(rightExpr, right, common);
    return (chunk) => {
      const a = coercedLeft(chunk);
      const b = coercedRight(chunk);
      const result = compare(op, a, b, chunk.length);
      if (exact && (a.exact || b.exact) && result.type === 'Boolean') refineWideTies(op, a, b, result);
      return result;
    };
  }
  if (op === '||') {
    return (chunk) => {
      const a = castColumn(left(chunk), 'Utf8', false);
      const b = castColumn(right(chunk), 'Utf8', false);
      const length = chunk.length;
      const out = new Array<string>(length);
      const x = a.values as string[];
      const y = b.values as string[];
      for (let i = 0; i < length; i++) out[i] = (x?.[i] ?? '') + (y?.[i] ?? '');
      return { type: 'Utf8', length, values: out, valid: mergeValidity([a, b], length) };
    };
  }
  const type = exprType({ kind: 'binary', op: op as '+', left: leftExpr, right: rightExpr }, fields);
  const integer = isInteger(type);
  const exactResult = hasExactStorage(type) && (isInteger(leftType) || isTimestamp(leftType) || leftType === 'Null');
  const exactOperands = exactResult && (isInteger(rightType) || isTimestamp(rightType) || rightType === 'Null');
  if (isBoxed(type) || isBoxed(leftType) || isBoxed(rightType)) {
    return (chunk) => evaluateBoxedBinary(op, left(chunk), right(chunk), type, chunk.length);
  }
  return (chunk) => {
    const a = left(chunk);
    const b = right(chunk);
    const length = chunk.length;
    if (a.type === 'Null' || b.type === 'Null') return nullColumn(type, length);
    const x = a.values as Float64Array;
    const y = b.values as Float64Array;
    const out = new Float64Array(length);
    const valid = mergeValidity([a, b], length);
    switch (op) {
      case '+':
        for (let i = 0; i < length; i++) out[i] = x[i] + y[i];
        break;
      case '-':
        for (let i = 0; i < length; i++) out[i] = x[i] - y[i];
        break;
      case '*':
        for (let i = 0; i < length; i++) out[i] = x[i] * y[i];
        break;
      case '/':
        if (integer) {
          for (let i = 0; i < length; i++) {
            if (y[i] === 0 && (valid === null || valid[i] === 1))
              throw executionError('Arrow error: Divide by zero error');
            out[i] = Math.trunc(x[i] / y[i]);
          }
        } else for (let i = 0; i < length; i++) out[i] = x[i] / y[i];
        break;
      case '%':
        if (integer) {
          for (let i = 0; i < length; i++) {
            if (y[i] === 0 && (valid === null || valid[i] === 1))
              throw executionError('Arrow error: Divide by zero error');
            out[i] = x[i] % y[i];
          }
        } else for (let i = 0; i < length; i++) out[i] = x[i] % y[i];
        break;
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>':
        for (let i = 0; i < length; i++) out[i] = bitwise(op, x[i], y[i]);
        break;
      default:
        throw executionError(`Unsupported binary operator ${op}`);
    }
    if (integer) wrapInteger(out, type);
    if (exactOperands && (a.exact || b.exact || out.some(isWide))) {
      return exactArithmetic(op, a, b, type, out, valid);
    }
    return { type, length, values: out, valid };
  };
}

/**
 * 64-bit integer (or timestamp) arithmetic redone exactly on the rows the floats cannot hold:
 * those with a wide operand or result, in BigInt, wrapping as Arrow's kernels do
 * (`9223372036854775800 + 1000` is -9223372036854774816).
 */
function exactArithmetic(
  op: string,
  a: Column,
  b: Column,
  type: SqlType,
  floats: Float64Array,
  valid: Uint8Array | null,
): Column {
  const length = floats.length;
  const rows = new Array<number | bigint>(length);
  const xs = a.values as Float64Array;
  const ys = b.values as Float64Array;
  for (let i = 0; i < length; i++) {
    const result = floats[i];
    if (!isWide(result) && !isWide(xs[i]) && !isWide(ys[i])) {
      rows[i] = result;
      continue;
    }
    if (valid !== null && valid[i] === 0) {
      rows[i] = 0;
      continue;
    }
    const x = bigintAt(a, i);
    const y = bigintAt(b, i);
    let value: bigint;
    switch (op) {
      case '+':
        value = x + y;
        break;
      case '-':
        value = x - y;
        break;
      case '*':
        value = x * y;
        break;
      case '/':
        value = y === 0n ? 0n : x / y;
        break;
      case '%':
        value = y === 0n ? 0n : x % y;
        break;
      case '&':
        value = x & y;
        break;
      case '|':
        value = x | y;
        break;
      case '^':
        value = x ^ y;
        break;
      case '<<':
        value = x << (y & 63n);
        break;
      default:
        value = x >> (y & 63n);
    }
    rows[i] = wrapInt64(value, type);
  }
  const packed = packExact(rows, type === 'UInt64');
  return { type, length, values: packed.values, valid, exact: packed.exact };
}

/**
 * For `ts op 'text'` (either side) whose text names an instant between two ticks of `type`'s
 * unit: the column-side operator and the floor tick that compare the same way at the text's
 * precision (`ts >= '...00.000000195'` on milliseconds is `ts > '...00.000'`); `=` never holds
 * and `!=` always does. Null when the text is not such a literal.
 */
function finerTimestampText(
  op: string,
  leftExpr: PlanExpr,
  rightExpr: PlanExpr,
  type: SqlType,
): { side: 'left' | 'right'; op: string; ticks: number | bigint } | null {
  const side = rightExpr.kind === 'literal' && typeof rightExpr.value === 'string' ? 'right' : 'left';
  const text = side === 'right' ? rightExpr : leftExpr;
  if (text.kind !== 'literal' || typeof text.value !== 'string') return null;
  const perSecond = timestampTicksPerSecond(type);
  if (perSecond >= 1e9) return null;
  const nanos = parseTimestampExact(text.value, 1e9);
  if (nanos === null) return null;
  const exact = BigInt(nanos);
  const step = BigInt(1e9 / perSecond);
  let floor = exact / step;
  if (floor * step > exact) floor -= 1n;
  if (floor * step === exact) return null;
  // The operator with the column on the left.
  const mirrored: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };
  const columnOp = side === 'right' ? op : mirrored[op];
  const adjusted: Record<string, string> = { '>=': '>', '>': '>', '<': '<=', '<=': '<=', '=': 'false', '!=': 'true' };
  const ticks = Number.isSafeInteger(Number(floor)) ? Number(floor) : floor;
  return { side, op: adjusted[columnOp] ?? columnOp, ticks };
}

/**
 * Comparisons of 64-bit values decided again where the floats tie past 2^53 (two different
 * nanosecond timestamps can round to one float): the floats order every other pair exactly.
 */
function refineWideTies(op: string, a: Column, b: Column, result: Column): void {
  const xs = a.values as Float64Array;
  const ys = b.values as Float64Array;
  const out = result.values as Uint8Array;
  const holds = orderTest(op);
  for (let i = 0; i < result.length; i++) {
    const x = xs[i];
    if (x !== ys[i] || !isWide(x)) continue;
    const ex = bigintAt(a, i);
    const ey = bigintAt(b, i);
    out[i] = holds(ex < ey ? -1 : ex > ey ? 1 : 0) ? 1 : 0;
  }
}

/** A bitwise operation on two integers, exact over 64 bits. */
function bitwise(op: string, x: number, y: number): number {
  const a = BigInt.asIntN(64, BigInt(Math.trunc(x)));
  const b = BigInt(Math.trunc(y));
  let result: bigint;
  if (op === '&') result = a & b;
  else if (op === '|') result = a | b;
  else if (op === '^') result = a ^ b;
  else if (op === '<<') result = BigInt.asIntN(64, a << b);
  else result = a >> b;
  return Number(result);
}

/**
 * Integer arithmetic wraps around in the result's width, as Arrow's kernels do for 8, 16 and
 * 32 bits (`100::TINYINT + 50::TINYINT` is -106). 64-bit results stay as computed: Float64
 * cannot hold their wrapped values exactly.
 */
function wrapInteger(values: Float64Array, type: SqlType): void {
  let wrap: ((value: number) => number) | null = null;
  if (type === 'Int8') wrap = (value) => (value << 24) >> 24;
  else if (type === 'Int16') wrap = (value) => (value << 16) >> 16;
  else if (type === 'Int32') wrap = (value) => value | 0;
  else if (type === 'UInt8') wrap = (value) => value & 0xff;
  else if (type === 'UInt16') wrap = (value) => value & 0xffff;
  else if (type === 'UInt32') wrap = (value) => value >>> 0;
  if (wrap === null) return;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isFinite(value) && (value !== wrap(value) || Object.is(value, -0))) values[i] = wrap(value);
  }
}

function compileLogical(op: 'AND' | 'OR', left: Evaluator, right: Evaluator): Evaluator {
  return (chunk) => {
    const length = chunk.length;
    const a = left(chunk);
    const b = right(chunk);
    const x = a.type === 'Null' ? null : (a.values as Uint8Array);
    const y = b.type === 'Null' ? null : (b.values as Uint8Array);
    const xValid = a.type === 'Null' ? new Uint8Array(length) : a.valid;
    const yValid = b.type === 'Null' ? new Uint8Array(length) : b.valid;
    const out = new Uint8Array(length);
    if (xValid === null && yValid === null) {
      if (op === 'AND') for (let i = 0; i < length; i++) out[i] = x![i] & y![i];
      else for (let i = 0; i < length; i++) out[i] = x![i] | y![i];
      return { type: 'Boolean', length, values: out, valid: null };
    }
    // Kleene logic: FALSE AND NULL is FALSE, TRUE OR NULL is TRUE, otherwise NULL wins.
    const valid = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const xv = xValid === null ? 1 : xValid[i];
      const yv = yValid === null ? 1 : yValid[i];
      const xb = xv === 1 ? x![i] : 0;
      const yb = yv === 1 ? y![i] : 0;
      if (op === 'AND') {
        if ((xv === 1 && xb === 0) || (yv === 1 && yb === 0)) valid[i] = 1;
        else if (xv === 1 && yv === 1) {
          valid[i] = 1;
          out[i] = 1;
        }
      } else if ((xv === 1 && xb === 1) || (yv === 1 && yb === 1)) {
        valid[i] = 1;
        out[i] = 1;
      } else if (xv === 1 && yv === 1) valid[i] = 1;
    }
    return { type: 'Boolean', length, values: out, valid };
  };
}

/** Whether a three-way comparison's result (negative, zero, positive) satisfies `op`. */
function orderTest(op: string): (order: number) => boolean {
  switch (op) {
    case '=':
      return (order) => order === 0;
    case '!=':
      return (order) => order !== 0;
    case '<':
      return (order) => order < 0;
    case '<=':
      return (order) => order <= 0;
    case '>':
      return (order) => order > 0;
    default:
      return (order) => order >= 0;
  }
}

function compare(op: string, a: Column, b: Column, length: number): Column {
  if (a.type === 'Null' || b.type === 'Null') return nullColumn('Boolean', length);
  const out = new Uint8Array(length);
  if (isBoxed(a.type) && (a.type === 'Binary' || a.type === 'Interval(MonthDayNano)')) {
    // Objects compare by content, not identity: a three-way comparison per row.
    const xs = a.values as unknown[];
    const ys = b.values as unknown[];
    const holds = orderTest(op);
    for (let i = 0; i < length; i++) {
      const c = compareBoxed(xs[i], ys[i]);
      out[i] = holds(c) ? 1 : 0;
    }
    return { type: 'Boolean', length, values: out, valid: mergeValidity([a, b], length) };
  }
  if ((a.type === 'Float64' || a.type === 'Float32') && (hasNaN(a) || hasNaN(b))) {
    // DataFusion compares floats in IEEE total order: NaN equals NaN and is above +inf.
    const xs = a.values as Float64Array;
    const ys = b.values as Float64Array;
    const holds = orderTest(op);
    for (let i = 0; i < length; i++) {
      const x = xs[i];
      const y = ys[i];
      const c = Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : Number.isNaN(y) ? -1 : x < y ? -1 : x > y ? 1 : 0;
      out[i] = holds(c) ? 1 : 0;
    }
    return { type: 'Boolean', length, values: out, valid: mergeValidity([a, b], length) };
  }
  const x = a.values as Float64Array | string[];
  const y = b.values as Float64Array | string[];
  switch (op) {
    case '=':
      for (let i = 0; i < length; i++) out[i] = x[i] === y[i] ? 1 : 0;
      break;
    case '!=':
      for (let i = 0; i < length; i++) out[i] = x[i] !== y[i] ? 1 : 0;
      break;
    case '<':
      for (let i = 0; i < length; i++) out[i] = x[i] < y[i] ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < length; i++) out[i] = x[i] <= y[i] ? 1 : 0;
      break;
    case '>':
      for (let i = 0; i < length; i++) out[i] = x[i] > y[i] ? 1 : 0;
      break;
    case '>=':
      for (let i = 0; i < length; i++) out[i] = x[i] >= y[i] ? 1 : 0;
      break;
  }
  return { type: 'Boolean', length, values: out, valid: mergeValidity([a, b], length) };
}

function hasNaN(column: Column): boolean {
  const values = column.values as Float64Array;
  for (let i = 0; i < column.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

function compileInList(target: PlanExpr, list: PlanExpr[], not: boolean, fields: PlanField[]): Evaluator {
  const targetType = exprType(target, fields);
  let common = targetType;
  for (const item of list) common = comparisonCommonType(common, exprType(item, fields)) ?? common;
  const value = compileExpr(target, fields);
  const items = list.map((item) => compileExpr(item, fields));
  return (chunk) => {
    const length = chunk.length;
    const column = coerceTo(value(chunk), common);
    const out = new Uint8Array(length);
    const valid = column.valid === null ? new Uint8Array(length).fill(1) : column.valid.slice();
    if (column.type === 'Null') valid.fill(0);
    const x = column.values as Float64Array | string[] | Uint8Array;
    // Rows not found where the list holds a NULL are NULL, not FALSE.
    const itemColumns = items.map((item) => coerceTo(item(chunk), common));
    const found = new Uint8Array(length);
    const sawNull = new Uint8Array(length);
    for (const item of itemColumns) {
      if (item.type === 'Null') {
        sawNull.fill(1);
        continue;
      }
      const y = item.values as Float64Array | string[] | Uint8Array;
      const refine = column.exact || item.exact;
      for (let i = 0; i < length; i++) {
        if (item.valid !== null && item.valid[i] === 0) sawNull[i] = 1;
        else if (x[i] === y[i]) {
          if (refine && isWide(x[i] as number) && bigintAt(column, i) !== bigintAt(item, i)) continue;
          found[i] = 1;
        }
      }
    }
    for (let i = 0; i < length; i++) {
      if (valid[i] === 0) continue;
      if (found[i] === 1) out[i] = not ? 0 : 1;
      else if (sawNull[i] === 1) valid[i] = 0;
      else out[i] = not ? 1 : 0;
    }
    return { type: 'Boolean', length, values: out, valid };
  };
}

/** A RegExp for a SQL LIKE pattern (`%` any run, `_` one character, `\` escapes). */
export function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compileLike(
  target: PlanExpr,
  patternExpr: PlanExpr,
  not: boolean,
  caseInsensitive: boolean,
  fields: PlanField[],
): Evaluator {
  const value = compileExpr(target, fields);
  const pattern = compileExpr(patternExpr, fields);
  const constant = patternExpr.kind === 'literal' && typeof patternExpr.value === 'string';
  const fixed = constant ? likePattern(patternExpr.value as string, caseInsensitive) : null;
  return (chunk) => {
    const length = chunk.length;
    const column = value(chunk);
    const patterns = pattern(chunk);
    if (column.type === 'Null' || patterns.type === 'Null') return nullColumn('Boolean', length);
    const x = column.values as string[];
    const p = patterns.values as string[];
    const out = new Uint8Array(length);
    const flip = not ? 1 : 0;
    for (let i = 0; i < length; i++) {
      const regex = fixed ?? likePattern(p[i], caseInsensitive);
      out[i] = (regex.test(x[i]) ? 1 : 0) ^ flip;
    }
    return { type: 'Boolean', length, values: out, valid: mergeValidity([column, patterns], length) };
  };
}

function compileCase(expr: Extract<PlanExpr, { kind: 'case' }>, fields: PlanField[]): Evaluator {
  const type = exprType(expr, fields);
  const conditions = expr.whens.map(({ when }) =>
    compileExpr(expr.operand === null ? when : { kind: 'binary', op: '=', left: expr.operand, right: when }, fields),
  );
  const results = expr.whens.map(({ then }) => compileExpr(then, fields));
  const otherwise = expr.elseExpr === null ? null : compileExpr(expr.elseExpr, fields);
  return (chunk) => {
    const length = chunk.length;
    const values = emptyValues(type, length) as unknown[] | null;
    const valid = new Uint8Array(length);
    const done = new Uint8Array(length);
    // 64-bit results past 2^53: the exact words of the rows whose branch carried them.
    let exact: BigInt64Array | BigUint64Array | null = null;
    let fromExact: Uint8Array | null = null;
    // A branch is evaluated only on the rows it decides (as DataFusion does), so a branch that
    // would fail elsewhere (a cast, a division by zero) is not run on those rows.
    const assign = (result: Evaluator, pick: (i: number) => boolean): void => {
      const rows: number[] = [];
      for (let i = 0; i < length; i++) if (done[i] === 0 && pick(i)) rows.push(i);
      if (rows.length === 0) return;
      const all = rows.length === length;
      const indices = Uint32Array.from(rows);
      const input = all
        ? chunk
        : { columns: chunk.columns.map((column) => takeColumn(column, indices)), length: rows.length };
      const cast = coerceTo(result(input), type);
      const source = cast.values as unknown[] | null;
      const castExact = cast.exact ?? null;
      if (castExact !== null && exact === null) {
        exact = type === 'UInt64' ? new BigUint64Array(length) : new BigInt64Array(length);
        fromExact = new Uint8Array(length);
      }
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k];
        done[i] = 1;
        if (cast.type === 'Null' || source === null || (cast.valid !== null && cast.valid[k] === 0)) continue;
        valid[i] = 1;
        values![i] = source[k];
        if (castExact !== null) {
          exact![i] = castExact[k];
          fromExact![i] = 1;
        }
      }
    };
    for (let w = 0; w < conditions.length; w++) {
      const condition = conditions[w](chunk);
      if (condition.type === 'Null') continue;
      const truth = condition.values as Uint8Array;
      const conditionValid = condition.valid;
      assign(results[w], (i) => truth[i] === 1 && (conditionValid === null || conditionValid[i] === 1));
    }
    if (otherwise !== null) assign(otherwise, () => true);
    // (Assigned inside `assign`, which the compiler's flow analysis does not follow.)
    const words = exact as BigInt64Array | BigUint64Array | null;
    if (words !== null) {
      const floats = values as unknown as Float64Array;
      for (let i = 0; i < length; i++) if (fromExact![i] === 0) words[i] = bigintOfFloat(floats[i]);
      return { type, length, values: values as Column['values'], valid, exact: words };
    }
    return { type, length, values: values as Column['values'], valid };
  };
}

function formatNumber(value: number | bigint, type: SqlType): string {
  if (typeof value === 'bigint')
    return isTimestamp(type) ? formatTimestampTicks(value, timestampTicksPerSecond(type)) : String(value);
  if (isTimestamp(type)) return formatTimestampTicks(value, timestampTicksPerSecond(type));
  if (type === 'Date') return formatDateDays(value);
  if (Number.isInteger(value) && (type === 'Float64' || type === 'Float32')) return String(value);
  // Rust prints infinities as `inf` / `-inf`.
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/**
 * Converts a column to `type`. Invalid strings raise DataFusion's cast error, or become NULL
 * for TRY_CAST. Float to integer truncates; timestamps rescale between units.
 */
export function castColumn(column: Column, type: SqlType, tryCast: boolean): Column {
  const length = column.length;
  if (column.type === type) return column;
  if (column.type === 'Null') return nullColumn(type, length);
  if (type === 'Null') return nullColumn(type, length);
  if (isBoxed(type) || isBoxed(column.type)) {
    return castBoxed(column, type, tryCast, (boxed, i) => formatBoxed(boxed.type, (boxed.values as unknown[])[i]));
  }
  let valid = column.valid === null ? null : column.valid.slice();
  const invalidate = (i: number): void => {
    valid ??= new Uint8Array(length).fill(1);
    valid[i] = 0;
  };
  if (type === 'Utf8') {
    const out = new Array<string>(length);
    const source = column.values as Float64Array | Uint8Array;
    const exact = column.exact;
    for (let i = 0; i < length; i++) {
      out[i] =
        column.type === 'Boolean'
          ? source[i]
            ? 'true'
            : 'false'
          : formatNumber(exact && isWide(source[i]) ? exact[i] : source[i], column.type);
    }
    return { type, length, values: out, valid };
  }
  if (column.type === 'Utf8') {
    const texts = column.values as string[];
    const values = emptyValues(type, length) as Float64Array | Uint8Array;
    let exactRows: (number | bigint)[] | null = null;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const text = texts[i];
      let parsed: number | bigint | null;
      if (type === 'Boolean') {
        const lower = text.trim().toLowerCase();
        parsed =
          lower === 'true' || lower === 't' || lower === '1'
            ? 1
            : lower === 'false' || lower === 'f' || lower === '0'
              ? 0
              : null;
      } else if (type === 'Date') {
        parsed = parseDateDays(text);
      } else if (isTimestamp(type)) {
        parsed = parseTimestampExact(text, timestampTicksPerSecond(type));
      } else {
        parsed = isInteger(type) ? parseIntegerText(text, type) : parseFloatText(text);
      }
      if (parsed === null) {
        if (tryCast) {
          invalidate(i);
          continue;
        }
        if (isTemporal(type))
          throw executionError(`Parser error: Error parsing timestamp from '${text}': error parsing date`);
        throw executionError(`Cast error: Cannot cast string '${text}' to value of ${type} type`);
      }
      if (typeof parsed === 'bigint') {
        exactRows ??= Array.from(values as Float64Array);
        exactRows[i] = parsed;
        values[i] = Number(parsed);
      } else {
        values[i] = parsed;
        if (exactRows !== null) exactRows[i] = parsed;
      }
    }
    if (exactRows !== null) {
      const packed = packExact(exactRows, type === 'UInt64');
      return { type, length, values: packed.values, valid, exact: packed.exact };
    }
    return { type, length, values, valid };
  }
  if (type === 'Boolean') {
    const source = column.values as Float64Array;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = source[i] !== 0 ? 1 : 0;
    return { type, length, values: out, valid };
  }
  const out = new Float64Array(length);
  if (column.type === 'Boolean') {
    const source = column.values as Uint8Array;
    for (let i = 0; i < length; i++) out[i] = source[i];
    return { type, length, values: out, valid };
  }
  const source = column.values as Float64Array;
  if (isTemporal(column.type) && isTemporal(type)) {
    const from = timestampTicksPerSecond(column.type);
    const to = timestampTicksPerSecond(type);
    if (to >= from) for (let i = 0; i < length; i++) out[i] = source[i] * (to / from);
    else for (let i = 0; i < length; i++) out[i] = Math.floor(source[i] / (from / to));
    if (column.exact || (to > from && hasExactStorage(type) && out.some(isWide))) {
      return rescaleExact(column, type, out, valid, from, to);
    }
    return { type, length, values: out, valid };
  }
  if (hasExactStorage(type) && (column.exact || hasExactStorage(column.type))) {
    // Between Int64, UInt64 and timestamps: the same integers, range-checked into UInt64 / Int64.
    const [low, high] = int64Range(type);
    const unsigned = type === 'UInt64';
    let exact: BigInt64Array | BigUint64Array | null = null;
    for (let i = 0; i < length; i++) {
      const value = source[i];
      if (valid !== null && valid[i] === 0) continue;
      const wide = isWide(value) || value < 0;
      if (wide) {
        const big = bigintAt(column, i);
        if (big < low || big > high) {
          if (!tryCast) throw executionError(`Cast error: Can't cast value ${big} to type ${type}`);
          invalidate(i);
          continue;
        }
        if (isWide(value)) {
          exact ??= unsigned ? new BigUint64Array(length) : new BigInt64Array(length);
          exact[i] = big;
        }
      }
      out[i] = value;
    }
    if (exact !== null) for (let i = 0; i < length; i++) if (!isWide(out[i])) exact[i] = bigintOfFloat(out[i]);
    return exact === null ? { type, length, values: out, valid } : { type, length, values: out, valid, exact };
  }
  if (isInteger(type)) {
    const range = INTEGER_RANGES[type];
    for (let i = 0; i < length; i++) {
      const value = Math.trunc(source[i]);
      if (range !== undefined && (value < range[0] || value > range[1]) && (valid === null || valid[i] === 1)) {
        if (!tryCast) throw executionError(`Cast error: Can't cast value ${value} to type ${type}`);
        invalidate(i);
      }
      out[i] = value;
    }
  } else if (type === 'Float32') {
    // A Float32 holds the float nearest in single precision, as the Arrow column it becomes.
    for (let i = 0; i < length; i++) out[i] = Math.fround(source[i]);
  } else out.set(source);
  return { type, length, values: out, valid };
}

/** Integer types narrower than 53 bits: a cast into one checks the range, as arrow's does. */
const INTEGER_RANGES: Partial<Record<SqlType, [number, number]>> = {
  Int8: [-128, 127],
  Int16: [-32768, 32767],
  Int32: [-2147483648, 2147483647],
  UInt8: [0, 255],
  UInt16: [0, 65535],
  UInt32: [0, 4294967295],
};

/** A float from text as Rust parses one: decimal, `inf` / `infinity` / `nan` in any case, signed. */
function parseFloatText(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const number = Number(trimmed);
  if (!Number.isNaN(number)) return number;
  const lower = trimmed.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.startsWith('-') || lower.startsWith('+') ? lower.slice(1) : lower;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return null;
}

/** An integer from text (a bigint past 2^53, null outside the type's range); null when it is not one. */
function parseIntegerText(text: string, type: SqlType): number | bigint | null {
  const trimmed = text.trim();
  const number = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isInteger(number)) return null;
  if (Math.abs(number) < SAFE_LIMIT || !hasExactStorage(type) || !/^[+-]?\d+$/.test(trimmed)) return number;
  const big = BigInt(trimmed);
  const [low, high] = int64Range(type);
  return big < low || big > high ? null : big;
}

/** A timestamp unit change redone in BigInt for rows whose ticks are past 2^53 (floor division down). */
function rescaleExact(
  column: Column,
  type: SqlType,
  floats: Float64Array,
  valid: Uint8Array | null,
  from: number,
  to: number,
): Column {
  const rows = new Array<number | bigint>(floats.length);
  const source = column.values as Float64Array;
  const factor = BigInt(Math.round(Math.max(from, to) / Math.min(from, to)));
  for (let i = 0; i < rows.length; i++) {
    if (!isWide(source[i]) && !isWide(floats[i])) {
      rows[i] = floats[i];
      continue;
    }
    const value = bigintAt(column, i);
    if (to >= from) rows[i] = BigInt.asIntN(64, value * factor);
    else {
      const quotient = value / factor;
      rows[i] = quotient * factor > value ? quotient - 1n : quotient;
    }
  }
  const packed = packExact(rows, false);
  return { type, length: floats.length, values: packed.values, valid, exact: packed.exact };
}
