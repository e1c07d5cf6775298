/**
 * One client connection's session over a wire protocol (MySQL or PostgreSQL): the current
 * database, the time zone and other variables, and the prepared statements. `run` executes a
 * query text statement by statement: the statements that act on the session (USE, SET,
 * PREPARE / EXECUTE / DEALLOCATE, SHOW VARIABLES) are answered here; every other statement
 * goes to the `SqlHandler` seam with the session's database. The first failure ends the text
 * and is thrown, as GreptimeDB's servers report only the error then.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { normalizeTimeZone } from '../../query/index.ts';
import { parseSql } from '../../sql/index.ts';
import type { Expr, SetVariable, Statement } from '../../sql/index.ts';
import type { SqlHandler, SqlOutput, SqlSession } from '../http/handle-sql.ts';
import { normalizePostgresSyntax } from '../sql/pg-catalog/postgres-syntax.ts';
import { bindSql, prepareSql } from './prepared-statement.ts';
import type { PreparedSql } from './prepared-statement.ts';
import { wireTypeOf } from './value-text.ts';
import type { WireType } from './value-text.ts';

export interface WireColumn {
  name: string;
  /** GreptimeDB's type name (`Int64`, `String`, `TimestampMillisecond`). */
  dataType: string;
  type: WireType;
}

export type WireResult =
  | { kind: 'rows'; columns: WireColumn[]; rows: unknown[][] }
  | { kind: 'affected'; count: number }
  /** A statement with nothing to report (USE): MySQL answers OK, PostgreSQL an empty row set. */
  | { kind: 'empty' };

export type WireProtocol = 'mysql' | 'postgres';

/** Who the connection is, for process_list and KILL: its number and GreptimeDB's client text. */
export interface WireConnectionIdentity {
  processId: number;
  /** `mysql[127.0.0.1:50412]` */
  client: string;
}

/** GreptimeDB's text for a connection in process_list: `<channel>[<client address>]`. */
export function wireClientText(protocol: WireProtocol, address: string | undefined, port: number | undefined): string {
  if (address === undefined || port === undefined) return `${protocol}[unknown client addr]`;
  return address.includes(':') ? `${protocol}[[${address}]:${port}]` : `${protocol}[${address}:${port}]`;
}

export type WireRows = Extract<WireResult, { kind: 'rows' }>;

const readPreferences = new Set(['leader', 'follower', 'follower_preferred', 'leader_preferred']);

/** A result of string columns (or all of `dataType`), for answers made up without the SQL engine. */
export function rowsResult(names: string[], rows: unknown[][], dataType = 'String'): WireRows {
  return { kind: 'rows', columns: names.map((name) => ({ name, dataType, type: wireTypeOf(dataType) })), rows };
}

function fromSqlOutput(output: SqlOutput): WireResult {
  if ('affectedrows' in output) return { kind: 'affected', count: output.affectedrows };
  const columns = output.records.schema.column_schemas.map((column) => ({
    name: column.name,
    dataType: column.data_type,
    type: wireTypeOf(column.data_type),
  }));
  return { kind: 'rows', columns, rows: output.records.rows };
}

/** The text of a SET value: a string's content, a name, a number as written. */
function settingText(expr: Expr, sql: string): string {
  if (expr.kind === 'string') return expr.value;
  if (expr.kind === 'identifier') return expr.parts.map((part) => part.value).join('.');
  return sql.slice(expr.span.start, expr.span.end);
}

/** Minutes east of UTC for a time zone name GreptimeDB accepts; throws for an unknown zone. */
export function timeZoneOffsetMinutes(zone: string, at = Date.now()): number {
  if (/^(utc|z|system)$/i.test(zone)) return 0;
  const fixed = /^([+-])(\d{1,2}):(\d{2})$/.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at);
  } catch {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid timezone: ${zone}`);
  }
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
}

export class WireSession {
  database: string;
  timeZone = 'UTC';
  readonly protocol: WireProtocol;
  /** Other session variables by lower-case name (max_execution_time, read_preference, ...). */
  readonly variables = new Map<string, string>();
  /** SQL-level prepared statements (PREPARE name FROM ...), by name. */
  readonly prepared = new Map<string, PreparedSql>();
  private readonly handler: SqlHandler;
  private readonly identity: WireConnectionIdentity | undefined;

  constructor(handler: SqlHandler, protocol: WireProtocol, database = 'public', identity?: WireConnectionIdentity) {
    this.handler = handler;
    this.protocol = protocol;
    this.database = database;
    this.identity = identity;
  }

  private sqlSession(): SqlSession {
    return {
      channel: this.protocol,
      timeZone: this.timeZone,
      readPreference: this.variables.get('read_preference'),
      ...(this.identity ? { processId: this.identity.processId, client: this.identity.client } : {}),
    };
  }

  /** Minutes east of UTC of the session's time zone, now. */
  offsetMinutes(): number {
    return timeZoneOffsetMinutes(this.timeZone);
  }

  /** Runs every statement of `sql` in order; throws the first failure. */
  async run(written: string): Promise<WireResult[]> {
    const results: WireResult[] = [];
    // psql's and DBeaver's catalog queries use PostgreSQL spellings the parser does not take.
    const sql = this.protocol === 'postgres' ? normalizePostgresSyntax(written) : written;
    for (const statement of parseSql(sql)) {
      const text = sql.slice(statement.span.start, statement.span.end).trim();
      results.push(...(await this.runStatement(statement, text, sql)));
    }
    return results;
  }

  /** Runs a prepared statement with its parameters as SQL literals. */
  async runPrepared(prepared: PreparedSql, literals: string[]): Promise<WireResult[]> {
    return this.run(bindSql(prepared, literals));
  }

  /** Switches the current database, failing when it does not exist. */
  async useDatabase(name: string): Promise<void> {
    const outputs = await this.handler.execute('SHOW DATABASES', this.database);
    const first = outputs[0];
    const known = first && 'records' in first ? first.records.rows.map((row) => String(row[0])) : [];
    // pg_catalog is a schema for PostgreSQL clients only, as in GreptimeDB.
    const pgCatalog = this.protocol === 'postgres' && name === 'pg_catalog';
    if (!known.includes(name) && !pgCatalog) {
      throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
    }
    this.database = name;
  }

  private async runStatement(statement: Statement, text: string, sql: string): Promise<WireResult[]> {
    switch (statement.kind) {
      case 'use':
        await this.useDatabase(statement.database.value);
        return [{ kind: 'empty' }];
      case 'set-variable':
        this.setVariable(statement, sql);
        return [{ kind: 'affected', count: 0 }];
      case 'prepare': {
        this.prepared.set(statement.name.value, prepareSql(statement.source));
        return [{ kind: 'affected', count: 0 }];
      }
      case 'execute': {
        const prepared = this.prepared.get(statement.name.value);
        if (!prepared) {
          throw new TesseraError(ErrorCode.InvalidArguments, `Prepare statement not found: ${statement.name.value}`);
        }
        const literals = statement.params.map((param) => sql.slice(param.span.start, param.span.end));
        return this.runPrepared(prepared, literals);
      }
      case 'deallocate':
        this.prepared.delete(statement.name.value);
        return [{ kind: 'affected', count: 0 }];
      case 'show-variables': {
        const answer = this.showVariable(statement.name.parts.map((part) => part.value).join('.'));
        return answer
          ? [answer]
          : (await this.handler.execute(text, this.database, this.sqlSession())).map(fromSqlOutput);
      }
      default:
        return (await this.handler.execute(text, this.database, this.sqlSession())).map(fromSqlOutput);
    }
  }

  private setVariable(statement: SetVariable, sql: string): void {
    const name = statement.name.parts
      .map((part) => part.value.toLowerCase())
      .join('.')
      .replace(/^@@/, '')
      .replace(/^(session|local)\./, '');
    const value = statement.values.length > 0 ? settingText(statement.values[0]!, sql) : '';
    switch (name) {
      case 'time_zone':
      case 'timezone':
        timeZoneOffsetMinutes(value);
        // Shown as GreptimeDB shows it: `+8:00` reads back `+08:00`.
        this.timeZone = normalizeTimeZone(value);
        return;
      case 'search_path':
        this.database = value;
        return;
      case 'max_execution_time':
        if (value.startsWith('-')) {
          throw new TesseraError(
            ErrorCode.Unsupported,
            `Not supported: Unsupported timeout expr ${value} in set variable statement`,
          );
        }
        if (!/^\d+$/.test(value) || BigInt(value) > 0xffffffffffffffffn) {
          throw new TesseraError(
            ErrorCode.Unsupported,
            `Not supported: Invalid timeout expr ${value} in set variable statement`,
          );
        }
        this.variables.set(name, String(BigInt(value)));
        return;
      case 'read_preference':
        if (!readPreferences.has(value.toLowerCase())) {
          throw new TesseraError(
            ErrorCode.Unsupported,
            `Not supported: Invalid read preference expr ${value} in set variable statement`,
          );
        }
        this.variables.set(name, value.toLowerCase());
        return;
      default:
        this.variables.set(name, value);
    }
  }

  /** The value of a session variable as SHOW / SELECT @@ report it; `undefined` when unknown. */
  variable(name: string): string | undefined {
    const key = name.toLowerCase().replace(/^(session|local|global)\./, '');
    if (key === 'time_zone' || key === 'timezone') return this.timeZone;
    if (key === 'system_time_zone') return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    if (key === 'search_path') return this.database;
    if (key === 'max_execution_time') return this.variables.get(key) ?? '0';
    return this.variables.get(key);
  }

  /** SHOW of a variable this session holds; undefined leaves it to the SQL engine. */
  private showVariable(name: string): WireResult | undefined {
    const lower = name.toLowerCase();
    const held =
      ['time_zone', 'timezone', 'search_path', 'max_execution_time'].includes(lower) || this.variables.has(lower);
    const value = held ? this.variable(name) : undefined;
    if (value === undefined) return undefined;
    const header = lower === 'search_path' ? lower : name.toUpperCase();
    return rowsResult([header], [[value]]);
  }
}
