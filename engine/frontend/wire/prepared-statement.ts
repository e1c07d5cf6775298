/**
 * Prepared statements of the wire protocols and of SQL's PREPARE / EXECUTE: the statement text
 * with its placeholders (`?` numbered in order, `$n` by number), bound by putting each
 * parameter's SQL literal where its placeholder stands. This is GreptimeDB's fallback path
 * for statements it cannot plan ahead (it replaces placeholder spans with the values' SQL);
 * here it is the only path, since the query engine plans per execution anyway.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { parseStatement, tokenize } from '../../sql/index.ts';
import type { Statement } from '../../sql/index.ts';

export interface PreparedSql {
  source: string;
  statement: Statement;
  /** Where each placeholder stands and which parameter (1-based) it takes. */
  placeholders: { start: number; end: number; index: number }[];
  /** How many parameters an execution must bind: the highest placeholder index. */
  parameterCount: number;
}

/** A parameter value as a protocol decodes it. */
export type ParamValue = null | boolean | number | bigint | string | Uint8Array | { sql: string };

/** Parses and keeps one statement for later executions; throws its syntax error. */
export function prepareSql(source: string): PreparedSql {
  const statement = parseStatement(source);
  const placeholders: PreparedSql['placeholders'] = [];
  let questionMarks = 0;
  for (const token of tokenize(source)) {
    if (token.kind !== 'placeholder') continue;
    const index =
      token.value === '?' ? ++questionMarks : /^\$\d+$/.test(token.value) ? Number(token.value.slice(1)) : 0;
    if (index === 0) {
      throw new TesseraError(ErrorCode.Unsupported, `Named placeholder ${token.value} is not supported; use ? or $n`);
    }
    placeholders.push({ start: token.span.start, end: token.span.end, index });
  }
  const parameterCount = placeholders.reduce((max, placeholder) => Math.max(max, placeholder.index), 0);
  return { source, statement, placeholders, parameterCount };
}

/** A value as a SQL literal of the GreptimeDB dialect. */
export function sqlLiteral(value: ParamValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "'NaN'::DOUBLE";
    if (!Number.isFinite(value)) return value > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
  return value.sql;
}

/** The statement text with every placeholder replaced by its parameter's literal. */
export function bindSql(prepared: PreparedSql, literals: string[]): string {
  if (literals.length !== prepared.parameterCount) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Prepared statement expected ${prepared.parameterCount} parameters but got ${literals.length}`,
    );
  }
  let out = '';
  let at = 0;
  for (const placeholder of prepared.placeholders) {
    out += prepared.source.slice(at, placeholder.start) + literals[placeholder.index - 1]!;
    at = placeholder.end;
  }
  return out + prepared.source.slice(at);
}
