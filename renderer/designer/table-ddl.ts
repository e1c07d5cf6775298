/**
 * The CREATE TABLE the design stands for: a new table from its columns, or an existing
 * table's SHOW CREATE TABLE under a new name (or as is), with the PARTITION ON COLUMNS clause
 * replaced. Both go through engine/sql's parser and printer, so the text is one the server
 * parses; the partition clause is written one region per line.
 */
import { formatExpr, formatStatement, parseExpression, parseStatement } from '../../engine/sql/index.ts';
import type { CreateTable, Ident, Statement } from '../../engine/sql/index.ts';
import { quoteIdentifier } from './column-kinds.ts';
import type { DesignColumn } from './column-kinds.ts';

const noSpan = { start: 0, end: 0, line: 0, column: 0 };

function ident(name: string): Ident {
  return { value: name, text: name, quote: /^[a-z_][a-z0-9_]*$/.test(name) ? '' : '"', span: noSpan };
}

/** `CREATE TABLE` for a new table (no partition clause yet): tags form the primary key. */
export function newTableSql(name: string, columns: readonly DesignColumn[]): string {
  const lines = columns.map(
    (column) => `${quoteIdentifier(column.name)} ${column.type}${column.role === 'timestamp' ? ' TIME INDEX' : ''}`,
  );
  const tags = columns.filter((column) => column.role === 'tag').map((column) => quoteIdentifier(column.name));
  if (tags.length > 0) lines.push(`PRIMARY KEY (${tags.join(', ')})`);
  return `CREATE TABLE ${quoteIdentifier(name)} (${lines.join(', ')})`;
}

function asCreateTable(sql: string): CreateTable {
  const statement: Statement = parseStatement(sql);
  if (statement.kind !== 'create-table') throw new Error(`Not a CREATE TABLE statement: ${sql.slice(0, 60)}`);
  return statement;
}

/**
 * The statement with `name` (a bare table name; the database part, if any, is kept) and the
 * rule: `exprs` empty means no partition clause (one region). Throws engine/sql's syntax
 * error when an expression does not parse.
 */
export function ddlWithRule(
  createTableSql: string,
  name: string,
  partitionColumns: readonly string[],
  exprs: readonly string[],
): string {
  const statement = asCreateTable(createTableSql);
  const parts = statement.name.parts;
  const renamed: CreateTable = {
    ...statement,
    name: { ...statement.name, parts: [...parts.slice(0, -1), ident(name)] },
    partitions:
      exprs.length === 0
        ? null
        : { columns: partitionColumns.map(ident), rules: exprs.map((text) => parseExpression(text)), span: noSpan },
  };
  const text = formatStatement(renamed, { pretty: true });
  if (renamed.partitions === null) return `${text};`;
  // The printer puts the whole clause on one line; a region per line reads better.
  const clause = `PARTITION ON COLUMNS (${partitionColumns.map(quoteIdentifier).join(', ')}) (\n${exprs.map((expr) => `  ${expr}`).join(',\n')}\n)`;
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.startsWith('PARTITION ON COLUMNS'));
  lines.splice(at, 1, clause);
  return `${lines.join('\n')};`;
}

/** The table name in a CREATE TABLE text (as written, unquoted). */
export function tableNameOf(createTableSql: string): string {
  return asCreateTable(createTableSql).name.parts.at(-1)!.value;
}

/** The partition clause of a CREATE TABLE text, as columns + expression texts (GreptimeDB's spelling). */
export function partitionsOf(createTableSql: string): { columns: string[]; exprs: string[] } | undefined {
  const statement = asCreateTable(createTableSql);
  if (statement.partitions === null) return undefined;
  return {
    columns: statement.partitions.columns.map((column) => column.value),
    exprs: statement.partitions.rules.map((rule) => formatExpr(rule)),
  };
}
