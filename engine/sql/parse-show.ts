/**
 * Parses SHOW and DESCRIBE statements, GreptimeDB's set (MySQL-flavoured, plus PostgreSQL's
 * `SHOW variable`):
 *
 *     SHOW [FULL] DATABASES|SCHEMAS [LIKE|WHERE]      SHOW [FULL] TABLES [FROM|IN db] [LIKE|WHERE]
 *     SHOW TABLE STATUS [FROM|IN db] [LIKE|WHERE]     SHOW VIEWS|FLOWS [FROM|IN db] [LIKE|WHERE]
 *     SHOW [FULL] COLUMNS|FIELDS FROM t [FROM db] [LIKE|WHERE]
 *     SHOW INDEX|INDEXES|KEYS FROM t [FROM db] [WHERE]   SHOW REGION[S] FROM t [FROM db] [WHERE]
 *     SHOW CREATE TABLE|DATABASE|SCHEMA|VIEW|FLOW name
 *     SHOW CHARSET | CHARACTER SET | COLLATION [LIKE|WHERE]
 *     SHOW VARIABLES name | SHOW STATUS | SHOW [FULL] PROCESSLIST | SHOW name
 *     DESC|DESCRIBE [TABLE] name
 *
 * As in GreptimeDB, anything but LIKE/WHERE after a SHOW is Unsupported (1001).
 */
import type { Ident } from './ast-expression.ts';
import type { DescribeTable, ShowFilter, Statement } from './ast-statement.ts';
import { parseExpr } from './parse-expression.ts';
import type { Parser } from './parser.ts';
import { unsupportedError } from './syntax-error.ts';
import type { Token } from './token.ts';

/** Parses a statement starting with SHOW. */
export function parseShow(p: Parser): Statement {
  const start = p.expectKeyword('SHOW');
  const token = p.peek();
  const word = token.kind === 'word' ? token.upper : '';
  switch (word) {
    case 'DATABASES':
    case 'SCHEMAS':
      p.next();
      return { kind: 'show-databases', full: false, filter: parseShowFilter(p), span: p.spanFrom(start) };
    case 'TABLES': {
      p.next();
      const database = parseFromDatabase(p);
      return { kind: 'show-tables', full: false, database, filter: parseShowFilter(p), span: p.spanFrom(start) };
    }
    case 'TABLE': {
      p.next();
      if (!p.eatKeyword('STATUS')) throw unsupportedError(p.peek());
      const database = parseFromDatabase(p);
      return { kind: 'show-table-status', database, filter: parseShowFilter(p), span: p.spanFrom(start) };
    }
    case 'VIEWS':
    case 'FLOWS': {
      p.next();
      const database = parseFromDatabase(p);
      const filter = parseShowFilter(p);
      const kind = word === 'VIEWS' ? 'show-views' : 'show-flows';
      return { kind, database, filter, span: p.spanFrom(start) };
    }
    case 'CHARSET':
      p.next();
      return { kind: 'show-charset', filter: parseShowFilter(p), span: p.spanFrom(start) };
    case 'CHARACTER':
      p.next();
      if (!p.eatKeyword('SET')) throw unsupportedError(p.peek());
      return { kind: 'show-charset', filter: parseShowFilter(p), span: p.spanFrom(start) };
    case 'COLLATION':
      p.next();
      return { kind: 'show-collation', filter: parseShowFilter(p), span: p.spanFrom(start) };
    case 'COLUMNS':
    case 'FIELDS':
      p.next();
      return parseShowColumns(p, start, false);
    case 'INDEX':
    case 'INDEXES':
    case 'KEYS':
    case 'REGION':
    case 'REGIONS': {
      p.next();
      const { table, database } = parseFromTable(p);
      const filter = p.atStatementEnd() ? null : parseWhereOnly(p);
      const kind = word.startsWith('REGION') ? 'show-region' : 'show-index';
      return { kind, table, database, filter, span: p.spanFrom(start) };
    }
    case 'CREATE':
      p.next();
      return parseShowCreate(p, start);
    case 'FULL': {
      p.next();
      const next = p.peek().kind === 'word' ? p.peek().upper : '';
      if (next === 'TABLES') {
        p.next();
        const database = parseFromDatabase(p);
        return { kind: 'show-tables', full: true, database, filter: parseShowFilter(p), span: p.spanFrom(start) };
      }
      if (next === 'COLUMNS' || next === 'FIELDS') {
        p.next();
        return parseShowColumns(p, start, true);
      }
      if (next === 'DATABASES' || next === 'SCHEMAS') {
        p.next();
        return { kind: 'show-databases', full: true, filter: parseShowFilter(p), span: p.spanFrom(start) };
      }
      if (next === 'PROCESSLIST') {
        p.next();
        return { kind: 'show-processlist', full: true, span: p.spanFrom(start) };
      }
      throw unsupportedError(p.peek());
    }
    case 'VARIABLES': {
      p.next();
      const name = p.parseObjectName('a variable name');
      return { kind: 'show-variables', name, span: p.spanFrom(start) };
    }
    case 'STATUS':
      p.next();
      return { kind: 'show-status', span: p.spanFrom(start) };
    case 'PROCESSLIST':
      p.next();
      return { kind: 'show-processlist', full: false, span: p.spanFrom(start) };
    default: {
      // PostgreSQL: `SHOW search_path`, `SHOW time_zone`.
      const name = p.parseObjectName('a variable name');
      return { kind: 'show-variables', name, span: p.spanFrom(start) };
    }
  }
}

function parseShowColumns(p: Parser, start: Token, full: boolean): Statement {
  const { table, database } = parseFromTable(p);
  return { kind: 'show-columns', full, table, database, filter: parseShowFilter(p), span: p.spanFrom(start) };
}

function parseShowCreate(p: Parser, start: Token): Statement {
  const token = p.peek();
  const word = token.kind === 'word' ? token.upper : '';
  const objectTypes: Record<string, 'TABLE' | 'DATABASE' | 'VIEW' | 'FLOW'> = {
    TABLE: 'TABLE',
    DATABASE: 'DATABASE',
    SCHEMA: 'DATABASE',
    VIEW: 'VIEW',
    FLOW: 'FLOW',
  };
  const objectType = objectTypes[word];
  if (objectType === undefined) throw unsupportedError(token);
  p.next();
  const name = p.parseObjectName(`a ${objectType.toLowerCase()} name`);
  return { kind: 'show-create', objectType, name, span: p.spanFrom(start) };
}

/** `[FROM|IN db]`. */
function parseFromDatabase(p: Parser): Ident | null {
  if (p.eatKeyword('FROM') || p.eatKeyword('IN')) return p.parseIdent('a database name');
  return null;
}

/** `FROM|IN table [FROM|IN db]`; `db.table` is accepted for the table too. */
function parseFromTable(p: Parser): { table: Ident; database: Ident | null } {
  if (!p.eatKeyword('FROM') && !p.eatKeyword('IN')) throw p.expected('FROM or IN and a table name');
  const name = p.parseObjectName('a table name');
  let database: Ident | null = name.parts.length > 1 ? name.parts[name.parts.length - 2] : null;
  const table = name.parts[name.parts.length - 1];
  const fromDatabase = parseFromDatabase(p);
  if (fromDatabase !== null) database = fromDatabase;
  return { table, database };
}

/** `LIKE 'pattern'`, `WHERE expr`, or nothing at the end of the statement. */
function parseShowFilter(p: Parser): ShowFilter | null {
  if (p.atStatementEnd()) return null;
  const start = p.peek();
  if (p.eatKeyword('LIKE')) {
    const pattern = p.parseIdent('a pattern after LIKE');
    return { kind: 'like', pattern: pattern.value, span: p.spanFrom(start) };
  }
  return parseWhereOnly(p);
}

function parseWhereOnly(p: Parser): ShowFilter {
  const start = p.peek();
  if (!p.eatKeyword('WHERE')) throw unsupportedError(start);
  const expr = parseExpr(p);
  return { kind: 'where', expr, span: p.spanFrom(start) };
}

/** Parses `DESC|DESCRIBE [TABLE] name`. */
export function parseDescribe(p: Parser): DescribeTable {
  const start = p.next();
  if (p.isKeyword('TABLE') && !p.atStatementEnd(1)) p.next();
  const name = p.parseObjectName('a table name');
  return { kind: 'describe-table', name, span: p.spanFrom(start) };
}
