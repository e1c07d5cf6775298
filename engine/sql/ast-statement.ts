/**
 * The top of the AST: `Statement`, the union of every statement the parser produces, and the
 * statements that are neither queries nor DDL (DML, SHOW, DESCRIBE, session commands, EXPLAIN,
 * TQL, ADMIN, prepared statements).
 */
import type {
  AlterDatabase,
  AlterTable,
  Comment,
  CreateDatabase,
  CreateTable,
  CreateTableLike,
  CreateView,
  Drop,
  Truncate,
} from './ast-ddl.ts';
import type { Expr, FunctionCall, Ident, ObjectName } from './ast-expression.ts';
import type { Query } from './ast-query.ts';
import type { Span } from './span.ts';

/** Every statement kind. Discriminate on `kind`. */
export type Statement =
  | Query
  | Insert
  | Delete
  | Truncate
  | CreateDatabase
  | CreateTable
  | CreateTableLike
  | CreateView
  | Drop
  | AlterTable
  | AlterDatabase
  | Comment
  | ShowDatabases
  | ShowTables
  | ShowTableStatus
  | ShowColumns
  | ShowIndex
  | ShowRegion
  | ShowViews
  | ShowFlows
  | ShowCreate
  | ShowCharset
  | ShowCollation
  | ShowVariables
  | ShowStatus
  | ShowProcessList
  | DescribeTable
  | Use
  | SetVariable
  | Explain
  | TqlStatement
  | Admin
  | Prepare
  | Execute
  | Deallocate
  | Kill;

/**
 * `INSERT INTO [TABLE] name [(cols)] <query>` and `REPLACE INTO ...` (`replace`; GreptimeDB
 * treats it as INSERT, since writes are upserts anyway). `source` is a VALUES or SELECT query.
 */
export interface Insert {
  kind: 'insert';
  table: ObjectName;
  columns: Ident[];
  source: Query;
  replace: boolean;
  span: Span;
}

/** `DELETE FROM name [WHERE expr]`. */
export interface Delete {
  kind: 'delete';
  table: ObjectName;
  where: Expr | null;
  span: Span;
}

/** The filter of a SHOW: `LIKE 'pattern'` or `WHERE expr`. */
export type ShowFilter = { kind: 'like'; pattern: string; span: Span } | { kind: 'where'; expr: Expr; span: Span };

/** `SHOW [FULL] DATABASES|SCHEMAS [LIKE|WHERE]`. */
export interface ShowDatabases {
  kind: 'show-databases';
  full: boolean;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW [FULL] TABLES [FROM|IN db] [LIKE|WHERE]`. */
export interface ShowTables {
  kind: 'show-tables';
  full: boolean;
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW TABLE STATUS [FROM|IN db] [LIKE|WHERE]`. */
export interface ShowTableStatus {
  kind: 'show-table-status';
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW [FULL] COLUMNS|FIELDS FROM|IN table [FROM|IN db] [LIKE|WHERE]`. */
export interface ShowColumns {
  kind: 'show-columns';
  full: boolean;
  table: Ident;
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW INDEX|INDEXES|KEYS FROM|IN table [FROM|IN db] [WHERE]`. */
export interface ShowIndex {
  kind: 'show-index';
  table: Ident;
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW REGION|REGIONS FROM|IN table [FROM|IN db] [WHERE]`. */
export interface ShowRegion {
  kind: 'show-region';
  table: Ident;
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW VIEWS [FROM|IN db] [LIKE|WHERE]`. */
export interface ShowViews {
  kind: 'show-views';
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW FLOWS [FROM|IN db] [LIKE|WHERE]`. */
export interface ShowFlows {
  kind: 'show-flows';
  database: Ident | null;
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW CREATE TABLE|DATABASE|VIEW|FLOW name`. */
export interface ShowCreate {
  kind: 'show-create';
  objectType: 'TABLE' | 'DATABASE' | 'VIEW' | 'FLOW';
  name: ObjectName;
  span: Span;
}

/** `SHOW CHARSET` / `SHOW CHARACTER SET [LIKE|WHERE]`. */
export interface ShowCharset {
  kind: 'show-charset';
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW COLLATION [LIKE|WHERE]`. */
export interface ShowCollation {
  kind: 'show-collation';
  filter: ShowFilter | null;
  span: Span;
}

/** `SHOW VARIABLES name`, and PostgreSQL's `SHOW name` (`SHOW search_path`). */
export interface ShowVariables {
  kind: 'show-variables';
  name: ObjectName;
  span: Span;
}

/** `SHOW STATUS`. */
export interface ShowStatus {
  kind: 'show-status';
  span: Span;
}

/** `SHOW [FULL] PROCESSLIST`. */
export interface ShowProcessList {
  kind: 'show-processlist';
  full: boolean;
  span: Span;
}

/** `DESC|DESCRIBE [TABLE] name`. */
export interface DescribeTable {
  kind: 'describe-table';
  name: ObjectName;
  span: Span;
}

/** `USE db`. */
export interface Use {
  kind: 'use';
  database: Ident;
  span: Span;
}

/**
 * `SET [SESSION|LOCAL|GLOBAL] name = value [, ...]`, `SET name TO value`, and PostgreSQL's
 * `SET TIME ZONE value`, which arrives as the variable `time_zone` with `syntax: 'TIME ZONE'`.
 * `values` has one entry except for lists (`SET search_path = a, b`).
 */
export interface SetVariable {
  kind: 'set-variable';
  scope: 'SESSION' | 'LOCAL' | 'GLOBAL' | null;
  name: ObjectName;
  values: Expr[];
  syntax: '=' | 'TO' | 'TIME ZONE';
  span: Span;
}

/** `EXPLAIN [ANALYZE] [VERBOSE] [FORMAT f] statement`. */
export interface Explain {
  kind: 'explain';
  analyze: boolean;
  verbose: boolean;
  format: string | null;
  statement: Statement;
  span: Span;
}

/**
 * `TQL EVAL|EXPLAIN|ANALYZE [(start, end, step [, lookback])] <promql> [AS alias]`.
 * The parameters are expressions (numbers, strings such as `'5s'`, or `now() - '1h'::interval`
 * style expressions) for the PromQL engine to evaluate; without parentheses GreptimeDB uses
 * start 0, end 0, step '5m', which is what `start`/`end`/`step` hold then (with `defaults`).
 * `query` is the PromQL text exactly as written, trimmed, without a trailing `;`.
 */
export interface TqlStatement {
  kind: 'tql';
  mode: 'EVAL' | 'EXPLAIN' | 'ANALYZE';
  verbose: boolean;
  format: string | null;
  start: Expr;
  end: Expr;
  step: Expr;
  lookback: Expr | null;
  /** True when no parameter list was written. */
  defaults: boolean;
  query: string;
  /** Where `query` sits in the parsed text. */
  querySpan: Span;
  alias: Ident | null;
  span: Span;
}

/** `ADMIN fn(args)`: GreptimeDB's administration functions (flush_table, compact_table, ...). */
export interface Admin {
  kind: 'admin';
  call: FunctionCall;
  span: Span;
}

/**
 * `PREPARE name FROM 'sql'` (MySQL: `source` is the SQL text) or `PREPARE name AS statement`
 * (PostgreSQL: `statement` is parsed, `source` is its text).
 */
export interface Prepare {
  kind: 'prepare';
  name: Ident;
  source: string;
  statement: Statement | null;
  span: Span;
}

/** `EXECUTE name [USING v, ...]` (MySQL) or `EXECUTE name (v, ...)` (PostgreSQL). */
export interface Execute {
  kind: 'execute';
  name: Ident;
  params: Expr[];
  span: Span;
}

/** `DEALLOCATE [PREPARE] name`. */
export interface Deallocate {
  kind: 'deallocate';
  name: Ident;
  span: Span;
}

/** `KILL [QUERY] id`: a MySQL connection id (number) or a GreptimeDB process id (string). */
export interface Kill {
  kind: 'kill';
  target: string;
  connection: boolean;
  span: Span;
}
