/**
 * Parses ALTER TABLE and ALTER DATABASE as GreptimeDB has them:
 *
 *     ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] def [FIRST | AFTER c] [, ADD ...]
 *     ALTER TABLE t ADD PRIMARY KEY (...) | TIME INDEX (...)
 *     ALTER TABLE t DROP COLUMN c
 *     ALTER TABLE t MODIFY COLUMN c <type>
 *     ALTER TABLE t MODIFY COLUMN c SET DEFAULT e [, MODIFY COLUMN ...] | DROP DEFAULT [, ...]
 *     ALTER TABLE t MODIFY COLUMN c SET FULLTEXT|SKIPPING|INVERTED INDEX [WITH (...)]
 *     ALTER TABLE t MODIFY COLUMN c UNSET FULLTEXT|SKIPPING|INVERTED INDEX
 *     ALTER TABLE t RENAME new_name
 *     ALTER TABLE t SET 'k' = v [, ...] | UNSET 'k' [, ...]
 *     ALTER TABLE t PARTITION ON COLUMNS (...) (...)
 *     ALTER TABLE t REPARTITION (...) [ON COLUMNS (...)] INTO (...)   (and SPLIT / MERGE PARTITION)
 *     ALTER DATABASE d SET 'k' = v [, ...] | UNSET 'k' [, ...]
 */
import type { AddColumn, AlterDatabase, AlterTable, AlterTableOperation, ColumnIndexType } from './ast-ddl.ts';
import type { Expr, Ident } from './ast-expression.ts';
import { parseColumnDef, parseIfNotExists, parsePartitions, parseTableConstraint } from './parse-create.ts';
import { parseDataType } from './parse-data-type.ts';
import { parseExpr } from './parse-expression.ts';
import { parseOption, parseOptionKey, parseWithOptions } from './parse-options.ts';
import type { Parser } from './parser.ts';
import type { Token } from './token.ts';

/** Parses a statement starting with ALTER. */
export function parseAlter(p: Parser): AlterTable | AlterDatabase {
  const start = p.expectKeyword('ALTER');
  if (p.eatKeyword('TABLE')) return parseAlterTable(p, start);
  if (p.eatKeyword('DATABASE') || p.eatKeyword('SCHEMA')) return parseAlterDatabase(p, start);
  throw p.expected('DATABASE or TABLE after ALTER');
}

function parseAlterDatabase(p: Parser, start: Token): AlterDatabase {
  const name = p.parseObjectName('a database name');
  if (p.eatKeyword('SET')) {
    const options = p.parseCommaSeparated(() => parseOption(p));
    return { kind: 'alter-database', name, operation: { kind: 'set-options', options }, span: p.spanFrom(start) };
  }
  if (p.eatKeyword('UNSET')) {
    const keys = p.parseCommaSeparated(() => parseOptionKey(p));
    return { kind: 'alter-database', name, operation: { kind: 'unset-options', keys }, span: p.spanFrom(start) };
  }
  throw p.expected('SET or UNSET after ALTER DATABASE');
}

function parseAlterTable(p: Parser, start: Token): AlterTable {
  const name = p.parseObjectName('a table name');
  const operation = parseAlterTableOperation(p);
  const options = parseWithOptions(p);
  return { kind: 'alter-table', name, operation, options, span: p.spanFrom(start) };
}

function parseAlterTableOperation(p: Parser): AlterTableOperation {
  const token = p.peek();
  switch (token.kind === 'word' ? token.upper : '') {
    case 'ADD':
      return parseAdd(p);
    case 'DROP': {
      p.next();
      p.expectKeyword('COLUMN');
      return { kind: 'drop-column', column: p.parseIdent('a column name') };
    }
    case 'MODIFY':
      return parseModify(p);
    case 'RENAME': {
      p.next();
      p.eatKeyword('TO');
      const newName = p.parseObjectName('a table name');
      if (newName.parts.length !== 1) throw p.error('expect table name without database', newName.span);
      return { kind: 'rename-table', newName: newName.parts[0] };
    }
    case 'SET': {
      p.next();
      return { kind: 'set-options', options: p.parseCommaSeparated(() => parseOption(p)) };
    }
    case 'UNSET': {
      p.next();
      return { kind: 'unset-options', keys: p.parseCommaSeparated(() => parseOptionKey(p)) };
    }
    case 'PARTITION': {
      const partitions = parsePartitions(p);
      if (partitions.rules.length === 0) {
        throw p.error('PARTITION ON COLUMNS requires at least one partition expression', partitions.span);
      }
      return { kind: 'partition', partitions };
    }
    case 'REPARTITION':
      return parseRepartition(p);
    case 'SPLIT':
    case 'MERGE':
      return parseSplitOrMerge(p);
    default:
      throw p.expected(
        'ADD, DROP, MODIFY, RENAME, SET, UNSET, PARTITION, REPARTITION, SPLIT or MERGE after ALTER TABLE',
      );
  }
}

function parseAdd(p: Parser): AlterTableOperation {
  p.expectKeyword('ADD');
  const constraint = parseTableConstraint(p);
  if (constraint !== null) return { kind: 'add-constraint', constraint };
  const columns: AddColumn[] = [parseAddColumn(p, p.previous())];
  while (p.isOperator(',') && p.isKeyword('ADD', 1)) {
    p.next();
    const add = p.next();
    columns.push(parseAddColumn(p, add));
  }
  return { kind: 'add-columns', columns };
}

function parseAddColumn(p: Parser, start: Token): AddColumn {
  p.eatKeyword('COLUMN');
  const ifNotExists = parseIfNotExists(p);
  const column = parseColumnDef(p);
  let location: AddColumn['location'] = null;
  if (p.eatKeyword('FIRST')) location = { kind: 'first' };
  else if (p.eatKeyword('AFTER')) location = { kind: 'after', column: p.parseIdent('a column name') };
  return { column, ifNotExists, location, span: p.spanFrom(start) };
}

const INDEX_TYPES = new Set(['FULLTEXT', 'SKIPPING', 'INVERTED', 'VECTOR']);

function parseIndexType(p: Parser): ColumnIndexType {
  const token = p.peek();
  if (token.kind !== 'word' || !INDEX_TYPES.has(token.upper)) throw p.expected('FULLTEXT, INVERTED or SKIPPING INDEX');
  p.next();
  p.expectKeyword('INDEX');
  return token.upper as ColumnIndexType;
}

function parseModify(p: Parser): AlterTableOperation {
  p.expectKeyword('MODIFY');
  p.expectKeyword('COLUMN');
  const column = p.parseIdent('a column name');
  if (p.eatKeyword('SET')) {
    if (p.eatKeyword('DEFAULT')) {
      const defaults: { column: Ident; value: Expr }[] = [{ column, value: parseExpr(p) }];
      while (p.isOperator(',') && p.isKeyword('MODIFY', 1)) {
        p.next();
        p.expectKeywords('MODIFY', 'COLUMN');
        const next = p.parseIdent('a column name');
        p.expectKeywords('SET', 'DEFAULT');
        defaults.push({ column: next, value: parseExpr(p) });
      }
      return { kind: 'set-defaults', defaults };
    }
    const indexType = parseIndexType(p);
    return { kind: 'set-column-index', column, indexType, options: parseWithOptions(p) };
  }
  if (p.eatKeyword('UNSET')) return { kind: 'unset-column-index', column, indexType: parseIndexType(p) };
  if (p.eatKeyword('DROP')) {
    p.expectKeyword('DEFAULT');
    const columns = [column];
    while (p.isOperator(',') && p.isKeyword('MODIFY', 1)) {
      p.next();
      p.expectKeywords('MODIFY', 'COLUMN');
      columns.push(p.parseIdent('a column name'));
      p.expectKeywords('DROP', 'DEFAULT');
    }
    return { kind: 'drop-defaults', columns };
  }
  return { kind: 'modify-column-type', column, dataType: parseDataType(p) };
}

/** `(expr, ...)` of a repartition clause: not empty, trailing comma allowed. */
function parseRepartitionExprs(p: Parser, clause: string): Expr[] {
  p.expectOperator('(');
  if (p.isOperator(')')) throw p.expected(`an expression inside ${clause} clause`);
  const exprs: Expr[] = [];
  while (!p.isOperator(')')) {
    exprs.push(parseExpr(p));
    if (!p.eatOperator(',')) break;
  }
  p.expectOperator(')');
  return exprs;
}

function parseOnColumns(p: Parser): Ident[] | null {
  return p.eatKeywords('ON', 'COLUMNS') ? p.parseParenthesizedIdents() : null;
}

function parseRepartition(p: Parser): AlterTableOperation {
  p.expectKeyword('REPARTITION');
  const from = parseRepartitionExprs(p, 'REPARTITION');
  const columns = parseOnColumns(p);
  p.expectKeyword('INTO');
  const into = parseRepartitionExprs(p, 'REPARTITION');
  if (p.isOperator(',')) throw p.expected('end of REPARTITION clause');
  return { kind: 'repartition', syntax: 'REPARTITION', from, into, columns };
}

function parseSplitOrMerge(p: Parser): AlterTableOperation {
  const syntax = p.next().upper as 'SPLIT' | 'MERGE';
  p.expectKeyword('PARTITION');
  const clause = `${syntax} PARTITION`;
  const from = parseRepartitionExprs(p, clause);
  if (syntax === 'MERGE') {
    if (p.isOperator(',')) throw p.expected(`end of ${clause} clause`);
    return { kind: 'repartition', syntax, from, into: [], columns: null };
  }
  if (from.length !== 1) throw p.error(`Expected a single partition expression inside ${clause} clause`, from[1].span);
  const columns = parseOnColumns(p);
  p.expectKeyword('INTO');
  const into = parseRepartitionExprs(p, clause);
  if (p.isOperator(',') || p.isKeyword('ON')) throw p.expected(`end of ${clause} clause`);
  return { kind: 'repartition', syntax, from, into, columns };
}
