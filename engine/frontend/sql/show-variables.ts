/**
 * SHOW VARIABLES name (and PostgreSQL's `SHOW name`) and SHOW STATUS, as GreptimeDB answers
 * them over HTTP: one upper-cased column with the value. The time zone is the request's (the
 * `x-greptime-timezone` header, or a SET time_zone earlier in the same text); the read
 * preference is the server default.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { SetVariable, ShowVariables } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';

const values: Record<string, string> = {
  SYSTEM_TIME_ZONE: 'UTC',
  SYSTEM_TIMEZONE: 'UTC',
  TIME_ZONE: 'UTC',
  TIMEZONE: 'UTC',
  READ_PREFERENCE: 'LEADER',
  DATESTYLE: 'ISO, MDY',
  INTERVALSTYLE: 'postgres',
};

export function runShowVariables(statement: ShowVariables, timeZone = 'UTC'): SqlOutput {
  const name = statement.name.parts
    .map((part) => part.value)
    .join('.')
    .toUpperCase();
  const value = name === 'TIME_ZONE' || name === 'TIMEZONE' ? timeZone : values[name];
  if (value === undefined) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Unsupported show variable: ${name}`);
  }
  return {
    records: { schema: { column_schemas: [{ name, data_type: 'String' }] }, rows: [[value]], total_rows: 1 },
  };
}

/**
 * The zone a `SET [SESSION | LOCAL] time_zone = '...'` (or `@@time_zone`, `TIMEZONE`) sets;
 * undefined for other variables.
 */
export function sessionTimeZoneOf(statement: SetVariable, sql: string): string | undefined {
  const name = statement.name.parts
    .map((part) => part.value.toLowerCase())
    .join('.')
    .replace(/^@@/, '')
    .replace(/^(session|local)\./, '');
  if (name !== 'time_zone' && name !== 'timezone') return undefined;
  const value = statement.values[0];
  if (value === undefined) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'identifier') return value.parts.map((part) => part.text).join('.');
  return sql.slice(value.span.start, value.span.end);
}

/** SHOW STATUS: GreptimeDB keeps no status variables, so the table is empty. */
export function runShowStatus(): SqlOutput {
  return {
    records: {
      schema: {
        column_schemas: [
          { name: 'Variable_name', data_type: 'String' },
          { name: 'Value', data_type: 'String' },
        ],
      },
      rows: [],
      total_rows: 0,
    },
  };
}
