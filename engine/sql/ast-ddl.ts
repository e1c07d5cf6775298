/**
 * DDL nodes: CREATE / ALTER / DROP of databases, tables and views, and TRUNCATE.
 *
 * Shapes follow GreptimeDB's statements: a table has columns, constraints (PRIMARY KEY,
 * TIME INDEX), optional `PARTITION ON COLUMNS (...) (...)` rules, an engine and `WITH (...)`
 * options. What the syntax allows in two places (a column's `TIME INDEX` and a table-level
 * `TIME INDEX (col)`) is kept where it was written; `timeIndexColumn` answers the question
 * the planner asks.
 */
import type { DataType } from './ast-data-type.ts';
import type { Expr, Ident, ObjectName } from './ast-expression.ts';
import type { Query } from './ast-query.ts';
import type { Span } from './span.ts';

/**
 * One `key = value` of a `WITH (...)` list or of `ALTER ... SET`. `key` is lower-cased as
 * GreptimeDB does (quoted or not: `'TTL'` and `ttl` are the same option); `value` is the
 * expression as written: usually a string, also numbers, names, booleans or NULL.
 */
export interface SqlOption {
  key: string;
  value: Expr;
  span: Span;
}

/** The secondary indexes a column can declare (`host STRING INVERTED INDEX`). */
export type ColumnIndexType = 'INVERTED' | 'SKIPPING' | 'FULLTEXT' | 'VECTOR';

/** Options written after a column's type, in order. */
export type ColumnOption =
  | { kind: 'null'; span: Span }
  | { kind: 'not-null'; span: Span }
  | { kind: 'default'; value: Expr; span: Span }
  | { kind: 'primary-key'; span: Span }
  | { kind: 'time-index'; span: Span }
  | { kind: 'unique'; span: Span }
  | { kind: 'comment'; text: string; span: Span }
  | { kind: 'index'; indexType: ColumnIndexType; options: SqlOption[]; span: Span };

/** `name type [options...]`. */
export interface ColumnDef {
  name: Ident;
  dataType: DataType;
  options: ColumnOption[];
  span: Span;
}

/** A table-level constraint. */
export type TableConstraint =
  { kind: 'primary-key'; columns: Ident[]; span: Span } | { kind: 'time-index'; column: Ident; span: Span };

/**
 * `PARTITION ON COLUMNS (a, b) (rule, ...)`: each rule is a boolean expression over the
 * partition columns; rule i describes region i. Parsed here, enforced by engine/partition.
 */
export interface Partitions {
  columns: Ident[];
  rules: Expr[];
  span: Span;
}

/** `CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [WITH (...)]`. */
export interface CreateDatabase {
  kind: 'create-database';
  ifNotExists: boolean;
  name: ObjectName;
  options: SqlOption[];
  span: Span;
}

/**
 * `CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name (columns, constraints) [PARTITION ON ...]
 * [ENGINE = e] [WITH (...)]`. `engine` is null when not written (the server default, mito,
 * applies); `external` tables read files and need no time index.
 */
export interface CreateTable {
  kind: 'create-table';
  ifNotExists: boolean;
  external: boolean;
  name: ObjectName;
  columns: ColumnDef[];
  constraints: TableConstraint[];
  partitions: Partitions | null;
  engine: string | null;
  options: SqlOption[];
  span: Span;
}

/** `CREATE TABLE [IF NOT EXISTS] name LIKE source`. */
export interface CreateTableLike {
  kind: 'create-table-like';
  ifNotExists: boolean;
  name: ObjectName;
  source: ObjectName;
  span: Span;
}

/**
 * `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(columns)] AS query`. `definition` is the
 * query's source text, which GreptimeDB keeps to show in SHOW CREATE VIEW.
 */
export interface CreateView {
  kind: 'create-view';
  orReplace: boolean;
  ifNotExists: boolean;
  name: ObjectName;
  columns: Ident[];
  query: Query;
  definition: string;
  span: Span;
}

/** `DROP TABLE|VIEW [IF EXISTS] a, b` / `DROP DATABASE|SCHEMA [IF EXISTS] name`. */
export interface Drop {
  kind: 'drop';
  objectType: 'TABLE' | 'VIEW' | 'DATABASE' | 'FLOW';
  ifExists: boolean;
  names: ObjectName[];
  span: Span;
}

/**
 * `TRUNCATE [TABLE] name [FILE RANGE (start, end), ...]`. Without ranges the whole table is
 * emptied; with them, GreptimeDB drops the SST files whose time range lies inside one of the
 * `[start, end)` ranges (values as written, usually timestamp strings or numbers).
 */
export interface Truncate {
  kind: 'truncate';
  table: ObjectName;
  ranges: { start: Expr; end: Expr }[];
  span: Span;
}

/** `COMMENT ON TABLE t | COLUMN t.c | FLOW f IS 'text' | NULL` (`comment` null removes it). */
export interface Comment {
  kind: 'comment';
  objectType: 'TABLE' | 'COLUMN' | 'FLOW';
  name: ObjectName;
  comment: string | null;
  span: Span;
}

/** Where ALTER TABLE ADD COLUMN puts the column: `FIRST`, `AFTER col`, or at the end. */
export type ColumnLocation = { kind: 'first' } | { kind: 'after'; column: Ident };

/** One `ADD [COLUMN] [IF NOT EXISTS] def [FIRST | AFTER col]`. */
export interface AddColumn {
  column: ColumnDef;
  ifNotExists: boolean;
  location: ColumnLocation | null;
  span: Span;
}

/** The change an ALTER TABLE makes. */
export type AlterTableOperation =
  | { kind: 'add-columns'; columns: AddColumn[] }
  | { kind: 'add-constraint'; constraint: TableConstraint }
  | { kind: 'drop-column'; column: Ident }
  | { kind: 'modify-column-type'; column: Ident; dataType: DataType }
  | { kind: 'set-defaults'; defaults: { column: Ident; value: Expr }[] }
  | { kind: 'drop-defaults'; columns: Ident[] }
  | { kind: 'set-column-index'; column: Ident; indexType: ColumnIndexType; options: SqlOption[] }
  | { kind: 'unset-column-index'; column: Ident; indexType: ColumnIndexType }
  | { kind: 'rename-table'; newName: Ident }
  | { kind: 'set-options'; options: SqlOption[] }
  | { kind: 'unset-options'; keys: string[] }
  | { kind: 'partition'; partitions: Partitions }
  | {
      /** `REPARTITION (from...) [ON COLUMNS (...)] INTO (into...)`, and `SPLIT`/`MERGE PARTITION`. */
      kind: 'repartition';
      syntax: 'REPARTITION' | 'SPLIT' | 'MERGE';
      from: Expr[];
      into: Expr[];
      columns: Ident[] | null;
    };

/** `ALTER TABLE name operation [WITH (...)]`. */
export interface AlterTable {
  kind: 'alter-table';
  name: ObjectName;
  operation: AlterTableOperation;
  options: SqlOption[];
  span: Span;
}

/** `ALTER DATABASE name SET 'k' = 'v', ...` / `UNSET 'k', ...`. */
export interface AlterDatabase {
  kind: 'alter-database';
  name: ObjectName;
  operation: { kind: 'set-options'; options: SqlOption[] } | { kind: 'unset-options'; keys: string[] };
  span: Span;
}

/** The time index column of a CREATE TABLE (column option or constraint), or null. */
export function timeIndexColumn(table: CreateTable): Ident | null {
  for (const constraint of table.constraints) {
    if (constraint.kind === 'time-index') return constraint.column;
  }
  for (const column of table.columns) {
    if (column.options.some((option) => option.kind === 'time-index')) return column.name;
  }
  return null;
}

/** The primary key columns of a CREATE TABLE, from column options and constraints, in order. */
export function primaryKeyColumns(table: CreateTable): Ident[] {
  const keys: Ident[] = [];
  for (const column of table.columns) {
    if (column.options.some((option) => option.kind === 'primary-key')) keys.push(column.name);
  }
  for (const constraint of table.constraints) {
    if (constraint.kind === 'primary-key') keys.push(...constraint.columns);
  }
  return keys;
}
