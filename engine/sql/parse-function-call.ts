/**
 * Parses function calls and what hangs off them: the argument list (`*`, `t.*`, `name => v`,
 * `DISTINCT`, an `ORDER BY` inside the parentheses), then `WITHIN GROUP (ORDER BY ...)`,
 * `FILTER (WHERE ...)`, `IGNORE|RESPECT NULLS` and `OVER (window)` / `OVER name`, with window
 * specifications and frames (`ROWS|RANGE|GROUPS BETWEEN ... AND ...`).
 */
import type {
  Expr,
  FunctionArg,
  FunctionCall,
  Ident,
  ObjectName,
  OrderByItem,
  WindowFrame,
  WindowFrameBound,
  WindowSpec,
} from './ast-expression.ts';
import { parseExpr, parseSubexpr } from './parse-expression.ts';
import { Precedence } from './precedence.ts';
import type { Parser } from './parser.ts';
import type { Span } from './span.ts';

/** A call with no arguments and none of the optional clauses. */
export function emptyCall(name: ObjectName, args: FunctionArg[], parens: boolean, span: Span): FunctionCall {
  return {
    kind: 'function',
    name,
    args,
    distinct: false,
    orderBy: [],
    withinGroup: [],
    filter: null,
    nullTreatment: null,
    over: null,
    parens,
    span,
  };
}

/** After the name of a function, at `(`: arguments, then FILTER / WITHIN GROUP / OVER. */
export function parseFunctionCall(p: Parser, name: ObjectName): FunctionCall {
  p.expectOperator('(');
  const call = emptyCall(name, [], true, name.span);
  if (p.eatKeyword('DISTINCT')) call.distinct = true;
  else if (p.isKeyword('ALL') && !p.isOperator('(', 1)) p.next();
  while (!p.isOperator(')') && !p.isKeywords('ORDER', 'BY')) {
    call.args.push(parseFunctionArg(p));
    if (!p.eatOperator(',')) break;
  }
  if (p.eatKeywords('ORDER', 'BY')) call.orderBy = p.parseCommaSeparated(() => parseOrderByItem(p));
  call.nullTreatment = parseNullTreatment(p);
  p.expectOperator(')');
  if (p.isKeywords('WITHIN', 'GROUP')) {
    p.next();
    p.next();
    p.expectOperator('(');
    p.expectKeywords('ORDER', 'BY');
    call.withinGroup = p.parseCommaSeparated(() => parseOrderByItem(p));
    p.expectOperator(')');
  }
  if (p.isKeyword('FILTER') && p.isOperator('(', 1)) {
    p.next();
    p.next();
    p.expectKeyword('WHERE');
    call.filter = parseExpr(p);
    p.expectOperator(')');
  }
  call.nullTreatment ??= parseNullTreatment(p);
  if (p.eatKeyword('OVER')) {
    call.over = p.isOperator('(') ? parseWindowSpec(p) : p.parseIdent('a window name', false);
  }
  call.span = p.spanFrom(name.span);
  return call;
}

function parseNullTreatment(p: Parser): FunctionCall['nullTreatment'] {
  if (p.eatKeywords('IGNORE', 'NULLS')) return 'IGNORE NULLS';
  if (p.eatKeywords('RESPECT', 'NULLS')) return 'RESPECT NULLS';
  return null;
}

function parseFunctionArg(p: Parser): FunctionArg {
  const token = p.peek();
  if (token.kind === 'operator' && token.value === '*') {
    p.next();
    return { kind: 'wildcard', qualifier: null, span: token.span };
  }
  if (p.isIdentStart() && p.isOperator('=>', 1)) {
    const name = p.parseIdent();
    p.next();
    const value = parseExpr(p);
    return { kind: 'named-argument', name, value, span: p.spanFrom(name.span) };
  }
  const wildcard = parseQualifiedWildcard(p);
  if (wildcard !== null) return wildcard;
  return parseExpr(p);
}

/** `t.*` or `db.t.*` at the cursor, or null (cursor unchanged) if it is something else. */
export function parseQualifiedWildcard(p: Parser): FunctionArg | null {
  let i = 0;
  while (p.isIdentStart(i) && p.isOperator('.', i + 1)) {
    if (p.isOperator('*', i + 2)) {
      const start = p.peek();
      const parts: Ident[] = [];
      for (let k = 0; k <= i; k += 2) {
        parts.push(p.tokenIdent(p.next()));
        p.next(); // '.'
      }
      p.next(); // '*'
      const qualifier: ObjectName = { parts, span: p.spanFrom(start) };
      return { kind: 'wildcard', qualifier, span: p.spanFrom(start) };
    }
    i += 2;
  }
  return null;
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`. */
export function parseOrderByItem(p: Parser): OrderByItem {
  const expr = parseExpr(p);
  let asc: boolean | null = null;
  if (p.eatKeyword('ASC')) asc = true;
  else if (p.eatKeyword('DESC')) asc = false;
  let nullsFirst: boolean | null = null;
  if (p.eatKeywords('NULLS', 'FIRST')) nullsFirst = true;
  else if (p.eatKeywords('NULLS', 'LAST')) nullsFirst = false;
  return { expr, asc, nullsFirst, span: p.spanFrom(expr.span) };
}

const WINDOW_CLAUSE_START = new Set(['PARTITION', 'ORDER', 'ROWS', 'RANGE', 'GROUPS']);

/** `( [base] [PARTITION BY ...] [ORDER BY ...] [frame] )`. */
export function parseWindowSpec(p: Parser): WindowSpec {
  const open = p.expectOperator('(');
  let baseName: Ident | null = null;
  if (p.isIdentStart() && !p.isAnyKeyword(WINDOW_CLAUSE_START)) baseName = p.parseIdent('a window name', false);
  let partitionBy: Expr[] = [];
  if (p.eatKeywords('PARTITION', 'BY')) partitionBy = p.parseCommaSeparated(() => parseExpr(p));
  let orderBy: OrderByItem[] = [];
  if (p.eatKeywords('ORDER', 'BY')) orderBy = p.parseCommaSeparated(() => parseOrderByItem(p));
  let frame: WindowFrame | null = null;
  if (p.isKeyword('ROWS') || p.isKeyword('RANGE') || p.isKeyword('GROUPS')) frame = parseWindowFrame(p);
  p.expectOperator(')');
  return { baseName, partitionBy, orderBy, frame, span: p.spanFrom(open) };
}

function parseWindowFrame(p: Parser): WindowFrame {
  const unitsToken = p.next();
  const units = unitsToken.upper as WindowFrame['units'];
  if (p.eatKeyword('BETWEEN')) {
    const start = parseFrameBound(p);
    p.expectKeyword('AND');
    const end = parseFrameBound(p);
    return { units, start, end, span: p.spanFrom(unitsToken) };
  }
  const start = parseFrameBound(p);
  return { units, start, end: null, span: p.spanFrom(unitsToken) };
}

function parseFrameBound(p: Parser): WindowFrameBound {
  const first = p.peek();
  if (p.eatKeywords('CURRENT', 'ROW')) return { kind: 'current-row', offset: null, span: p.spanFrom(first) };
  let offset: Expr | null = null;
  if (!p.eatKeyword('UNBOUNDED')) offset = parseSubexpr(p, Precedence.Between);
  if (p.eatKeyword('PRECEDING')) return { kind: 'preceding', offset, span: p.spanFrom(first) };
  if (p.eatKeyword('FOLLOWING')) return { kind: 'following', offset, span: p.spanFrom(first) };
  throw p.expected('PRECEDING or FOLLOWING');
}
