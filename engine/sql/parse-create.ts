/**
 * Parses CREATE statements: DATABASE/SCHEMA, TABLE (columns, PRIMARY KEY, TIME INDEX,
 * column options and indexes, `PARTITION ON COLUMNS`, `ENGINE =`, `WITH (...)`), TABLE ... LIKE,
 * EXTERNAL TABLE and [OR REPLACE] VIEW.
 *
 * GreptimeDB answers `CREATE TABLE IF EXISTS` with Unsupported (1001) rather than a syntax
 * error, and `CREATE TABLE IF (...)` creates a table named `if`; both are kept. The time
 * index rules GreptimeDB enforces while parsing are in validate-create-table.ts.
 */
import type {
  ColumnDef,
  ColumnIndexType,
  ColumnOption,
  CreateDatabase,
  CreateTable,
  CreateTableLike,
  CreateView,
  Partitions,
  TableConstraint,
} from './ast-ddl.ts';
import type { Expr } from './ast-expression.ts';
import { parseDataType } from './parse-data-type.ts';
import { parseExpr } from './parse-expression.ts';
import { parseWithOptions } from './parse-options.ts';
import { parseQuery } from './parse-query.ts';
import type { Parser } from './parser.ts';
import { invalidColumnOptionError, invalidSyntaxError, unsupportedError } from './syntax-error.ts';
import type { Token } from './token.ts';
import { checkColumnTimeIndex, validateTimeIndex } from './validate-create-table.ts';

type CreateStatement = CreateDatabase | CreateTable | CreateTableLike | CreateView;

/** Parses a statement starting with CREATE. */
export function parseCreate(p: Parser): CreateStatement {
  const start = p.expectKeyword('CREATE');
  if (p.eatKeywords('OR', 'REPLACE')) {
    if (p.isKeyword('VIEW')) return parseCreateView(p, start, true);
    throw unsupportedError(p.peek());
  }
  const token = p.peek();
  switch (token.kind === 'word' ? token.upper : '') {
    case 'TABLE':
      p.next();
      return parseCreateTable(p, start, false);
    case 'EXTERNAL':
      p.next();
      p.expectKeyword('TABLE');
      return parseCreateTable(p, start, true);
    case 'DATABASE':
    case 'SCHEMA':
      p.next();
      return parseCreateDatabase(p, start);
    case 'VIEW':
      return parseCreateView(p, start, false);
    default:
      throw unsupportedError(token);
  }
}

/** `IF NOT EXISTS`, GreptimeDB's way: `IF EXISTS` is Unsupported, a lone `IF` is a name. */
export function parseIfNotExists(p: Parser): boolean {
  if (!p.isKeyword('IF')) return false;
  if (p.eatKeywords('IF', 'NOT')) {
    p.expectKeyword('EXISTS');
    return true;
  }
  if (p.isKeyword('EXISTS', 1)) throw unsupportedError(p.peek(1));
  return false;
}

function parseCreateDatabase(p: Parser, start: Token): CreateDatabase {
  const ifNotExists = parseIfNotExists(p);
  const name = p.parseObjectName('a database name');
  const options = parseWithOptions(p);
  return { kind: 'create-database', ifNotExists, name, options, span: p.spanFrom(start) };
}

function parseCreateView(p: Parser, start: Token, orReplace: boolean): CreateView {
  p.expectKeyword('VIEW');
  const ifNotExists = parseIfNotExists(p);
  const name = p.parseObjectName('a view name');
  const columns = p.isOperator('(') ? p.parseParenthesizedIdents() : [];
  p.expectKeyword('AS');
  const queryStart = p.peek().span.start;
  const query = parseQuery(p);
  const definition = p.slice(queryStart, p.previous().span.end);
  return { kind: 'create-view', orReplace, ifNotExists, name, columns, query, definition, span: p.spanFrom(start) };
}

function parseCreateTable(p: Parser, start: Token, external: boolean): CreateTable | CreateTableLike {
  const ifNotExists = parseIfNotExists(p);
  const name = p.parseObjectName('a table name');
  if (p.eatKeyword('LIKE')) {
    const source = p.parseObjectName('a table name');
    return { kind: 'create-table-like', ifNotExists, name, source, span: p.spanFrom(start) };
  }
  const { columns, constraints } = parseColumnsAndConstraints(p);
  if (!external || columns.length > 0) validateTimeIndex(columns, constraints);
  const partitions = p.isKeyword('PARTITION') ? parsePartitions(p) : null;
  let engine: string | null = null;
  if (p.eatKeyword('ENGINE')) {
    p.expectOperator('=');
    engine = p.parseIdent('an engine name', false).text;
  }
  const options = parseWithOptions(p);
  return {
    kind: 'create-table',
    ifNotExists,
    external,
    name,
    columns,
    constraints,
    partitions,
    engine,
    options,
    span: p.spanFrom(start),
  };
}

/** `(col def | PRIMARY KEY (...) | TIME INDEX (...), ...)`; a trailing comma is allowed. */
function parseColumnsAndConstraints(p: Parser): { columns: ColumnDef[]; constraints: TableConstraint[] } {
  const columns: ColumnDef[] = [];
  const constraints: TableConstraint[] = [];
  if (!p.eatOperator('(') || p.eatOperator(')')) return { columns, constraints };
  for (;;) {
    const constraint = parseTableConstraint(p);
    if (constraint !== null) constraints.push(constraint);
    else if (p.isIdentStart() || p.peek().kind === 'string') columns.push(parseColumnDef(p));
    else throw p.expected('a column name or constraint definition');
    const comma = p.eatOperator(',') !== null;
    if (p.eatOperator(')')) break;
    if (!comma) throw p.expected("',' or ')' after column definition");
  }
  return { columns, constraints };
}

/** `PRIMARY KEY (cols)` or `TIME INDEX (col)` at the cursor, or null. */
export function parseTableConstraint(p: Parser): TableConstraint | null {
  const start = p.peek();
  if (p.isKeywords('PRIMARY', 'KEY') && p.isOperator('(', 2)) {
    p.next();
    p.next();
    const columns = p.parseParenthesizedIdents();
    return { kind: 'primary-key', columns, span: p.spanFrom(start) };
  }
  if (p.isKeywords('TIME', 'INDEX') && p.isOperator('(', 2)) {
    p.next();
    p.next();
    const columns = p.parseParenthesizedIdents();
    if (columns.length !== 1) {
      throw invalidSyntaxError('Invalid time index: it should contain only one column in time index');
    }
    return { kind: 'time-index', column: columns[0], span: p.spanFrom(start) };
  }
  return null;
}

const INDEX_WORDS: Record<string, ColumnIndexType> = {
  INVERTED: 'INVERTED',
  SKIPPING: 'SKIPPING',
  FULLTEXT: 'FULLTEXT',
  VECTOR: 'VECTOR',
};

/** `name type [NULL | NOT NULL | DEFAULT e | PRIMARY KEY | TIME INDEX | COMMENT '...' | ... INDEX]*`. */
export function parseColumnDef(p: Parser): ColumnDef {
  const name = p.parseIdent('a column name');
  const dataType = parseDataType(p);
  const options: ColumnOption[] = [];
  for (;;) {
    const token = p.peek();
    if (token.kind !== 'word') break;
    if (p.eatKeywords('NOT', 'NULL')) {
      options.push({ kind: 'not-null', span: p.spanFrom(token) });
    } else if (p.eatKeyword('NULL')) {
      options.push({ kind: 'null', span: token.span });
    } else if (p.eatKeyword('DEFAULT')) {
      const value: Expr = parseExpr(p);
      options.push({ kind: 'default', value, span: p.spanFrom(token) });
    } else if (p.eatKeywords('PRIMARY', 'KEY')) {
      options.push({ kind: 'primary-key', span: p.spanFrom(token) });
    } else if (p.eatKeywords('TIME', 'INDEX')) {
      options.push({ kind: 'time-index', span: p.spanFrom(token) });
    } else if (p.eatKeyword('UNIQUE')) {
      p.eatKeyword('KEY');
      options.push({ kind: 'unique', span: p.spanFrom(token) });
    } else if (p.eatKeyword('COMMENT')) {
      const text = p.next();
      if (text.kind !== 'string') throw p.expected('a string after COMMENT', text);
      options.push({ kind: 'comment', text: text.value, span: p.spanFrom(token) });
    } else if (token.upper in INDEX_WORDS) {
      p.next();
      const indexType = INDEX_WORDS[token.upper];
      if (!p.eatKeyword('INDEX')) {
        throw invalidColumnOptionError(name.value, `expect INDEX after ${token.upper} keyword`);
      }
      if (options.some((option) => option.kind === 'index' && option.indexType === indexType)) {
        throw invalidColumnOptionError(name.value, `duplicated ${indexType} INDEX option`);
      }
      const indexOptions = parseWithOptions(p);
      options.push({ kind: 'index', indexType, options: indexOptions, span: p.spanFrom(token) });
    } else {
      break;
    }
  }
  const column: ColumnDef = { name, dataType, options, span: p.spanFrom(name.span) };
  checkColumnTimeIndex(column);
  return column;
}

/** `PARTITION ON COLUMNS (a, b) (rule, ...)`. */
export function parsePartitions(p: Parser): Partitions {
  const start = p.expectKeyword('PARTITION');
  p.expectKeywords('ON', 'COLUMNS');
  const columns = p.parseParenthesizedIdents();
  p.expectOperator('(');
  const rules: Expr[] = [];
  while (!p.isOperator(')')) {
    rules.push(parseExpr(p));
    if (!p.eatOperator(',')) break;
  }
  p.expectOperator(')');
  return { columns, rules, span: p.spanFrom(start) };
}
