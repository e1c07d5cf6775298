/**
 * Parses queries: `[WITH ...] SELECT ... | VALUES ... | (query)` combined with
 * UNION / INTERSECT / EXCEPT, then ORDER BY / LIMIT / OFFSET; FROM items and joins; and
 * GreptimeDB's range-query clause `ALIGN interval [TO origin] [BY (keys)] [FILL option]`.
 *
 * INTERSECT binds tighter than UNION and EXCEPT, as in the SQL standard (and sqlparser-rs).
 * GreptimeDB checks range queries while parsing; so does `checkRangeSelect` here, with its
 * messages: an ALIGN without any RANGE expression, a RANGE without ALIGN, and `*` in a range
 * query are syntax errors.
 */
import type { Expr, Ident, OrderByItem } from './ast-expression.ts';
import type {
  AlignClause,
  Cte,
  Distinct,
  Join,
  JoinConstraint,
  JoinType,
  NamedWindow,
  Query,
  Select,
  SelectItem,
  SetExpr,
  TableAlias,
  TableFactor,
  TableWithJoins,
  Values,
  With,
} from './ast-query.ts';
import { isDurationLiteral } from './duration.ts';
import { QUERY_START, RESERVED_FOR_COLUMN_ALIAS, RESERVED_FOR_TABLE_ALIAS } from './keywords.ts';
import { isQueryStart, parseExpr, parseFillOption } from './parse-expression.ts';
import { parseOrderByItem, parseQualifiedWildcard, parseWindowSpec } from './parse-function-call.ts';
import { parseTql } from './parse-tql.ts';
import type { Parser } from './parser.ts';
import { invalidSyntaxError } from './syntax-error.ts';
import { someExpr } from './visit.ts';

/** Parses a full query at the cursor. */
export function parseQuery(p: Parser): Query {
  p.enter();
  try {
    const start = p.peek();
    const withClause = p.isKeyword('WITH') ? parseWith(p) : null;
    const body = parseSetExpr(p, 0);
    let orderBy: OrderByItem[] = [];
    if (p.eatKeywords('ORDER', 'BY')) orderBy = p.parseCommaSeparated(() => parseOrderByItem(p));
    const { limit, offset } = parseLimitOffset(p);
    return { kind: 'query', with: withClause, body, orderBy, limit, offset, span: p.spanFrom(start) };
  } finally {
    p.leave();
  }
}

function parseLimitOffset(p: Parser): { limit: Expr | null; offset: Expr | null } {
  let limit: Expr | null = null;
  let offset: Expr | null = null;
  for (let round = 0; round < 2; round++) {
    if (limit === null && p.eatKeyword('LIMIT')) {
      if (p.eatKeyword('ALL')) continue;
      limit = parseExpr(p);
      if (p.eatOperator(',')) {
        // MySQL's `LIMIT offset, count`.
        offset = limit;
        limit = parseExpr(p);
      }
    } else if (offset === null && p.eatKeyword('OFFSET')) {
      offset = parseExpr(p);
      if (!p.eatKeyword('ROWS')) p.eatKeyword('ROW');
    }
  }
  if (limit === null && p.isKeyword('FETCH')) {
    p.next();
    if (!p.eatKeyword('FIRST')) p.expectKeyword('NEXT');
    limit = parseExpr(p);
    if (!p.eatKeyword('ROWS')) p.expectKeyword('ROW');
    p.expectKeyword('ONLY');
  }
  return { limit, offset };
}

function setOperatorPrecedence(p: Parser): number {
  if (p.isKeyword('UNION') || p.isKeyword('EXCEPT')) return 10;
  if (p.isKeyword('INTERSECT')) return 20;
  return 0;
}

function parseSetExpr(p: Parser, precedence: number): SetExpr {
  let left = parseSetPrimary(p);
  for (;;) {
    const next = setOperatorPrecedence(p);
    if (next === 0 || precedence >= next) break;
    const op = p.next().upper as 'UNION' | 'INTERSECT' | 'EXCEPT';
    let quantifier: 'ALL' | 'DISTINCT' | null = null;
    if (p.eatKeyword('ALL')) quantifier = 'ALL';
    else if (p.eatKeyword('DISTINCT')) quantifier = 'DISTINCT';
    const right = parseSetExpr(p, next);
    left = { kind: 'set-operation', op, quantifier, left, right, span: p.spanFrom(left.span) };
  }
  return left;
}

function parseSetPrimary(p: Parser): SetExpr {
  if (p.isKeyword('SELECT')) return parseSelect(p);
  if (p.isKeyword('VALUES')) return parseValues(p);
  if (p.isOperator('(')) {
    const open = p.next();
    const query = parseQuery(p);
    p.expectOperator(')');
    return { ...query, span: p.spanFrom(open) };
  }
  throw p.expected('SELECT, VALUES or a parenthesized query');
}

/** `VALUES (a, b), (c, d)` (MySQL's `VALUES ROW(a, b)` too). */
export function parseValues(p: Parser): Values {
  const start = p.expectKeyword('VALUES');
  const rows = p.parseCommaSeparated(() => {
    p.eatKeyword('ROW');
    p.expectOperator('(');
    const row: Expr[] = [];
    while (!p.isOperator(')')) {
      row.push(parseExpr(p));
      if (!p.eatOperator(',')) break;
    }
    p.expectOperator(')');
    return row;
  });
  return { kind: 'values', rows, span: p.spanFrom(start) };
}

function parseWith(p: Parser): With {
  const start = p.expectKeyword('WITH');
  const recursive = p.eatKeyword('RECURSIVE') !== null;
  const ctes = p.parseCommaSeparated(() => parseCte(p));
  return { recursive, ctes, span: p.spanFrom(start) };
}

function parseCte(p: Parser): Cte {
  const name = p.parseIdent('a CTE name');
  const columns = p.isOperator('(') ? p.parseParenthesizedIdents() : [];
  p.expectKeyword('AS');
  if (!p.eatKeywords('NOT', 'MATERIALIZED')) p.eatKeyword('MATERIALIZED');
  p.expectOperator('(');
  let body: Cte['body'];
  if (p.isKeyword('TQL')) {
    const tql = parseTql(p, true);
    if (tql.mode !== 'EVAL') throw invalidSyntaxError('Invalid SQL, error: Only TQL EVAL is supported in CTEs');
    body = tql;
  } else {
    body = parseQuery(p);
  }
  p.expectOperator(')');
  return { name, columns, body, span: p.spanFrom(name.span) };
}

function parseSelect(p: Parser): Select {
  const start = p.expectKeyword('SELECT');
  let distinct: Distinct | null = null;
  const distinctToken = p.peek();
  if (p.eatKeyword('DISTINCT')) {
    let on: Expr[] | null = null;
    if (p.eatKeyword('ON')) {
      p.expectOperator('(');
      on = p.parseCommaSeparated(() => parseExpr(p));
      p.expectOperator(')');
    }
    distinct = { on, span: p.spanFrom(distinctToken) };
  } else {
    p.eatKeyword('ALL');
  }

  const projection = parseProjection(p);
  let from: TableWithJoins[] = [];
  if (p.eatKeyword('FROM')) from = p.parseCommaSeparated(() => parseTableWithJoins(p));
  const where = p.eatKeyword('WHERE') ? parseExpr(p) : null;

  let groupBy: Expr[] | 'all' = [];
  if (p.eatKeywords('GROUP', 'BY')) {
    if (p.isKeyword('ALL') && !p.isOperator('(', 1)) {
      p.next();
      groupBy = 'all';
    } else {
      groupBy = p.parseCommaSeparated(() => parseExpr(p));
    }
  }

  const align = parseAlignAndFill(p);
  const having = p.eatKeyword('HAVING') ? parseExpr(p) : null;
  const windows: NamedWindow[] = [];
  if (p.eatKeyword('WINDOW')) {
    windows.push(
      ...p.parseCommaSeparated(() => {
        const name = p.parseIdent('a window name', false);
        p.expectKeyword('AS');
        const spec = parseWindowSpec(p);
        return { name, spec, span: p.spanFrom(name.span) };
      }),
    );
  }
  const qualify = p.eatKeyword('QUALIFY') ? parseExpr(p) : null;

  const select: Select = {
    kind: 'select',
    distinct,
    projection,
    from,
    where,
    groupBy,
    having,
    align,
    windows,
    qualify,
    span: p.spanFrom(start),
  };
  checkRangeSelect(p, select);
  return select;
}

function parseProjection(p: Parser): SelectItem[] {
  return p.parseCommaSeparated((): SelectItem => {
    const token = p.peek();
    if (token.kind === 'operator' && token.value === '*') {
      p.next();
      return { kind: 'wildcard', qualifier: null, span: token.span };
    }
    const wildcard = parseQualifiedWildcard(p);
    if (wildcard !== null && wildcard.kind === 'wildcard') return wildcard;
    const expr = parseExpr(p);
    const alias = parseColumnAlias(p);
    return { kind: 'select-expr', expr, alias, span: p.spanFrom(expr.span) };
  });
}

function parseColumnAlias(p: Parser): Ident | null {
  if (p.eatKeyword('AS')) return p.parseIdent('an alias');
  const token = p.peek();
  if (token.kind === 'word' && !RESERVED_FOR_COLUMN_ALIAS.has(token.upper)) return p.parseIdent();
  if (token.kind === 'quoted-identifier') return p.parseIdent();
  if (token.kind === 'string' && token.quote === '') return p.parseIdent();
  return null;
}

/** `ALIGN ... [TO ...] [BY (...)]` and `FILL ...`, in either order, each at most once. */
function parseAlignAndFill(p: Parser): AlignClause | null {
  let align: Omit<AlignClause, 'fill' | 'span'> | null = null;
  let fill: string | null = null;
  const start = p.peek();
  for (let round = 0; round < 2; round++) {
    if (p.isKeyword('ALIGN')) {
      const keyword = p.next();
      if (align !== null) throw p.error('Duplicate ALIGN keyword detected in SELECT clause', keyword.span);
      align = parseAlignBody(p);
    }
    if (p.isKeyword('FILL')) {
      const keyword = p.next();
      if (fill !== null) throw p.error('Duplicate FILL keyword detected in SELECT clause', keyword.span);
      fill = parseFillOption(p);
    }
  }
  if (align === null) {
    if (fill !== null) throw p.error('ALIGN argument cannot be omitted in the range select query', start.span);
    return null;
  }
  return { ...align, fill, span: p.spanFrom(start) };
}

function parseAlignBody(p: Parser): Omit<AlignClause, 'fill' | 'span'> {
  let interval: Expr;
  if (p.eatOperator('(')) {
    interval = parseExpr(p);
    p.expectOperator(')');
  } else {
    const token = p.next();
    if (token.kind !== 'string' || token.quote !== '') throw p.expected('a duration string after ALIGN', token);
    if (!isDurationLiteral(token.value)) throw p.error(`not a valid duration string: ${token.value}`, token.span);
    interval = { kind: 'string', value: token.value, prefix: '', span: token.span };
  }

  let to: Expr | null = null;
  if (p.eatKeyword('TO')) {
    if (p.eatOperator('(')) {
      to = parseExpr(p);
      p.expectOperator(')');
    } else {
      // GreptimeDB takes the next token as text: NOW, CALENDAR or a timestamp string.
      const token = p.next();
      if (token.kind === 'string') to = { kind: 'string', value: token.value, prefix: '', span: token.span };
      else if (token.kind === 'word' || token.kind === 'quoted-identifier' || token.kind === 'number') {
        to = { kind: 'identifier', parts: [p.tokenIdent(token)], span: token.span };
      } else throw p.expected('NOW, CALENDAR or a timestamp after ALIGN ... TO', token);
    }
  }

  let by: Expr[] | null = null;
  if (p.eatKeyword('BY')) {
    p.expectOperator('(');
    by = [];
    while (!p.isOperator(')')) {
      by.push(parseExpr(p));
      if (!p.eatOperator(',')) break;
    }
    p.expectOperator(')');
  }
  return { interval, to, by };
}

/** GreptimeDB's parse-time checks on range queries. */
function checkRangeSelect(p: Parser, select: Select): void {
  const hasRange = select.projection.some(
    (item) => item.kind === 'select-expr' && someExpr(item.expr, (e) => e.kind === 'range'),
  );
  if (select.align !== null) {
    const wildcard = select.projection.find((item) => item.kind === 'wildcard');
    if (wildcard !== undefined) throw p.error('Wildcard `*` is not allowed in range select query', wildcard.span);
    if (!hasRange) {
      throw p.error('Illegal Range select, no RANGE keyword found in any SelectItem', select.align.span);
    }
  } else if (hasRange) {
    throw p.error('ALIGN argument cannot be omitted in the range select query', select.span);
  }
}

/** A FROM item with the joins that follow it. */
export function parseTableWithJoins(p: Parser): TableWithJoins {
  const start = p.peek();
  const relation = parseTableFactor(p);
  const joins: Join[] = [];
  for (;;) {
    const join = parseJoin(p);
    if (join === null) break;
    joins.push(join);
  }
  return { relation, joins, span: p.spanFrom(start) };
}

/** Keyword sequences that introduce a join, longest first, with the join type each means. */
const JOIN_KEYWORDS: [string[], JoinType][] = [
  [['JOIN'], 'INNER'],
  [['INNER', 'JOIN'], 'INNER'],
  [['LEFT', 'OUTER', 'JOIN'], 'LEFT'],
  [['LEFT', 'SEMI', 'JOIN'], 'LEFT SEMI'],
  [['LEFT', 'ANTI', 'JOIN'], 'LEFT ANTI'],
  [['LEFT', 'JOIN'], 'LEFT'],
  [['RIGHT', 'OUTER', 'JOIN'], 'RIGHT'],
  [['RIGHT', 'SEMI', 'JOIN'], 'RIGHT SEMI'],
  [['RIGHT', 'ANTI', 'JOIN'], 'RIGHT ANTI'],
  [['RIGHT', 'JOIN'], 'RIGHT'],
  [['FULL', 'OUTER', 'JOIN'], 'FULL'],
  [['FULL', 'JOIN'], 'FULL'],
  [['SEMI', 'JOIN'], 'LEFT SEMI'],
  [['ANTI', 'JOIN'], 'LEFT ANTI'],
  [['CROSS', 'JOIN'], 'CROSS'],
];

function parseJoinType(p: Parser): { type: JoinType; natural: boolean } | null {
  const natural = p.eatKeyword('NATURAL') !== null;
  for (const [words, type] of JOIN_KEYWORDS) {
    if (p.eatKeywords(...words)) return { type, natural };
  }
  if (natural) throw p.expected('a join type after NATURAL');
  return null;
}

function parseJoin(p: Parser): Join | null {
  const start = p.peek();
  const joinType = parseJoinType(p);
  if (joinType === null) return null;
  const relation = parseTableFactor(p);
  let constraint: JoinConstraint = { kind: 'none' };
  if (joinType.natural) {
    constraint = { kind: 'natural' };
  } else if (joinType.type !== 'CROSS') {
    if (p.eatKeyword('ON')) constraint = { kind: 'on', expr: parseExpr(p) };
    else if (p.eatKeyword('USING')) constraint = { kind: 'using', columns: p.parseParenthesizedIdents() };
  }
  return { type: joinType.type, relation, constraint, span: p.spanFrom(start) };
}

/** One FROM item: a table, `(query)`, a table function, or `(a JOIN b)`, with an alias. */
export function parseTableFactor(p: Parser): TableFactor {
  p.enter();
  try {
    return parseTableFactorInner(p);
  } finally {
    p.leave();
  }
}

function parseTableFactorInner(p: Parser): TableFactor {
  const start = p.peek();
  if (p.isKeyword('LATERAL') && p.isOperator('(', 1)) {
    p.next();
    p.next();
    const query = parseQuery(p);
    p.expectOperator(')');
    const alias = parseTableAlias(p);
    return { kind: 'derived', lateral: true, query, alias, span: p.spanFrom(start) };
  }
  if (p.isOperator('(')) {
    const derived = (): TableFactor => {
      p.next();
      const query = parseQuery(p);
      p.expectOperator(')');
      const alias = parseTableAlias(p);
      return { kind: 'derived', lateral: false, query, alias, span: p.spanFrom(start) };
    };
    // `(SELECT ...)` is a derived table; `((SELECT ...) JOIN t ON ...)` is a nested join, so
    // several parentheses before SELECT are tried as a derived table first.
    if (p.isAnyKeyword(QUERY_START, 1)) return derived();
    if (isQueryStart(p, 1)) {
      const factor = p.tryParse(derived);
      if (factor !== null) return factor;
    }
    p.next();
    const join = parseTableWithJoins(p);
    p.expectOperator(')');
    const alias = parseTableAlias(p);
    return { kind: 'nested-join', join, alias, span: p.spanFrom(start) };
  }
  const name = p.parseObjectName('a table name');
  if (p.isOperator('(')) {
    p.next();
    const args: Expr[] = [];
    while (!p.isOperator(')')) {
      args.push(parseExpr(p));
      if (!p.eatOperator(',')) break;
    }
    p.expectOperator(')');
    const alias = parseTableAlias(p);
    return { kind: 'table-function', name, args, alias, span: p.spanFrom(start) };
  }
  const alias = parseTableAlias(p);
  return { kind: 'table', name, alias, span: p.spanFrom(start) };
}

function parseTableAlias(p: Parser): TableAlias | null {
  const start = p.peek();
  let name: Ident;
  if (p.eatKeyword('AS')) {
    name = p.parseIdent('an alias');
  } else if (
    (start.kind === 'word' && !RESERVED_FOR_TABLE_ALIAS.has(start.upper)) ||
    start.kind === 'quoted-identifier'
  ) {
    name = p.parseIdent();
  } else {
    return null;
  }
  const columns = p.isOperator('(') ? p.parseParenthesizedIdents() : [];
  return { name, columns, span: p.spanFrom(start) };
}
