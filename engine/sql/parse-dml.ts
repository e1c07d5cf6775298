/**
 * Parses the statements that change rows: `INSERT INTO [TABLE] t [(cols)] VALUES ... | SELECT
 * ...`, `REPLACE INTO ...` (an INSERT in GreptimeDB, where writes are upserts), `DELETE FROM t
 * [WHERE ...]` and `TRUNCATE [TABLE] t [FILE RANGE (start, end), ...]`.
 */
import type { Truncate } from './ast-ddl.ts';
import type { Delete, Insert } from './ast-statement.ts';
import { parseExpr } from './parse-expression.ts';
import { parseQuery } from './parse-query.ts';
import type { Parser } from './parser.ts';

/** Parses INSERT or REPLACE. */
export function parseInsert(p: Parser): Insert {
  const start = p.next();
  const replace = start.upper === 'REPLACE';
  if (!p.eatKeyword('INTO') && !replace) throw p.expected('INTO');
  p.eatKeyword('TABLE');
  const table = p.parseObjectName('a table name');
  let columns: Insert['columns'] = [];
  // `(` opens a column list unless it opens the query: `INSERT INTO t (SELECT ...)`.
  if (p.isOperator('(') && !p.isKeyword('SELECT', 1) && !p.isKeyword('WITH', 1) && !p.isKeyword('VALUES', 1)) {
    columns = p.parseParenthesizedIdents();
  }
  const source = parseQuery(p);
  return { kind: 'insert', table, columns, source, replace, span: p.spanFrom(start) };
}

/** Parses `DELETE FROM t [WHERE expr]`. */
export function parseDelete(p: Parser): Delete {
  const start = p.expectKeyword('DELETE');
  p.expectKeyword('FROM');
  const table = p.parseObjectName('a table name');
  const where = p.eatKeyword('WHERE') ? parseExpr(p) : null;
  return { kind: 'delete', table, where, span: p.spanFrom(start) };
}

/** Parses `TRUNCATE [TABLE] t [FILE RANGE (start, end), ...]`. */
export function parseTruncate(p: Parser): Truncate {
  const start = p.expectKeyword('TRUNCATE');
  p.eatKeyword('TABLE');
  const table = p.parseObjectName('a table name');
  const ranges: Truncate['ranges'] = [];
  if (p.eatKeywords('FILE', 'RANGE')) {
    ranges.push(
      ...p.parseCommaSeparated(() => {
        p.expectOperator('(');
        const rangeStart = parseExpr(p);
        p.expectOperator(',');
        const rangeEnd = parseExpr(p);
        p.expectOperator(')');
        return { start: rangeStart, end: rangeEnd };
      }),
    );
  }
  return { kind: 'truncate', table, ranges, span: p.spanFrom(start) };
}
