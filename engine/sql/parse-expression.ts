/**
 * The expression parser: a Pratt parser with sqlparser-rs's binding powers (precedence.ts), so
 * that `a || b = c`, `NOT a = b` or `-x::int` group here as they do in GreptimeDB. Function
 * calls and windows are in parse-function-call.ts; this file has the operators, literals,
 * names and the special forms (CASE, CAST, EXTRACT, POSITION, SUBSTRING, TRIM, INTERVAL).
 *
 * GreptimeDB's `RANGE '5m' [FILL ...]` is a postfix operator that binds tightest, so in
 * `max(a) RANGE '5m' - min(a) RANGE '5m'` each RANGE applies to its own call and in
 * `min(a) * 2 RANGE '5m'` it applies to `2`, which is an error as in GreptimeDB.
 */
import type { BinaryOperator, Expr, ObjectName } from './ast-expression.ts';
import type { Query } from './ast-query.ts';
import { DATE_TIME_FIELDS, QUERY_START } from './keywords.ts';
import { parseDataType } from './parse-data-type.ts';
import { Precedence } from './precedence.ts';
import { emptyCall, parseFunctionCall } from './parse-function-call.ts';
import { parseQuery } from './parse-query.ts';
import type { Parser } from './parser.ts';
import { isDurationLiteral } from './duration.ts';
import type { Token } from './token.ts';

const COMPARISON_OPERATORS: Record<string, BinaryOperator> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '<=>': '<=>',
  '~': '~',
  '~*': '~*',
  '!~': '!~',
  '!~*': '!~*',
};

const OPERATOR_PRECEDENCE: Record<string, number> = {
  '|': Precedence.Pipe,
  '^': Precedence.Caret,
  '<<': Precedence.Caret,
  '>>': Precedence.Caret,
  '&': Precedence.Ampersand,
  '+': Precedence.PlusMinus,
  '-': Precedence.PlusMinus,
  '*': Precedence.MulDivMod,
  '/': Precedence.MulDivMod,
  '%': Precedence.MulDivMod,
  '||': Precedence.MulDivMod,
  '::': Precedence.DoubleColon,
  '[': Precedence.DoubleColon,
  '->': Precedence.PgOther,
  '->>': Precedence.PgOther,
  '#>': Precedence.PgOther,
  '#>>': Precedence.PgOther,
  '@>': Precedence.PgOther,
  '<@': Precedence.PgOther,
  '@@': Precedence.PgOther,
};

const LIKE_WORDS = new Set(['LIKE', 'ILIKE', 'SIMILAR', 'RLIKE', 'REGEXP']);

/** Words that start a typed string literal: `TIMESTAMP '2023-01-01'`. */
const TYPED_STRING_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'DATETIME']);

/** SQL's niladic functions, written without parentheses. */
const NILADIC_FUNCTIONS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP']);

/** Parses one expression. */
export function parseExpr(p: Parser): Expr {
  return parseSubexpr(p, 0);
}

/** Parses an expression whose operators all bind tighter than `precedence`. */
export function parseSubexpr(p: Parser, precedence: number): Expr {
  p.enter();
  try {
    let expr = parsePrefix(p);
    for (;;) {
      const next = nextPrecedence(p);
      if (precedence >= next) break;
      expr = parseInfix(p, expr, next);
    }
    return expr;
  } finally {
    p.leave();
  }
}

/** The binding power of the operator at the cursor, 0 if there is none. */
function nextPrecedence(p: Parser): number {
  const token = p.peek();
  if (token.kind === 'operator') {
    if (token.value in COMPARISON_OPERATORS) return Precedence.Eq;
    return OPERATOR_PRECEDENCE[token.value] ?? 0;
  }
  if (token.kind !== 'word') return 0;
  switch (token.upper) {
    case 'OR':
      return Precedence.Or;
    case 'AND':
      return Precedence.And;
    case 'XOR':
      return Precedence.Xor;
    case 'IS':
      return Precedence.Is;
    case 'IN':
    case 'BETWEEN':
      return Precedence.Between;
    case 'LIKE':
    case 'ILIKE':
    case 'SIMILAR':
    case 'RLIKE':
    case 'REGEXP':
      return Precedence.Like;
    case 'DIV':
      return Precedence.MulDivMod;
    case 'NOT': {
      const after = p.peek(1);
      if (after.kind !== 'word') return 0;
      if (after.upper === 'IN' || after.upper === 'BETWEEN') return Precedence.Between;
      if (LIKE_WORDS.has(after.upper)) return Precedence.Like;
      return 0;
    }
    case 'AT':
      return p.isKeyword('TIME', 1) && p.isKeyword('ZONE', 2) ? Precedence.AtTimeZone : 0;
    case 'RANGE': {
      // Only a duration string or a parenthesized interval make RANGE GreptimeDB's range
      // operator; `ORDER BY ts RANGE BETWEEN ...` in a window is a frame.
      const after = p.peek(1);
      return (after.kind === 'string' && after.quote === '') || (after.kind === 'operator' && after.value === '(')
        ? Precedence.Range
        : 0;
    }
    default:
      return 0;
  }
}

function parseInfix(p: Parser, left: Expr, precedence: number): Expr {
  const token = p.next();
  const start = left.span;
  if (token.kind === 'operator') {
    const comparison = COMPARISON_OPERATORS[token.value];
    if (comparison !== undefined) {
      const quantifier = p.peek();
      if (
        quantifier.kind === 'word' &&
        (quantifier.upper === 'ANY' || quantifier.upper === 'ALL' || quantifier.upper === 'SOME') &&
        p.isOperator('(', 1)
      ) {
        p.next();
        p.next();
        const right = isQueryStart(p) ? parseQuery(p) : parseExpr(p);
        p.expectOperator(')');
        return {
          kind: 'quantified',
          op: comparison,
          quantifier: quantifier.upper as 'ANY' | 'ALL' | 'SOME',
          left,
          right,
          span: p.spanFrom(start),
        };
      }
      const right = parseSubexpr(p, precedence);
      return { kind: 'binary', op: comparison, left, right, span: p.spanFrom(start) };
    }
    switch (token.value) {
      case '::': {
        const dataType = parseDataType(p);
        return { kind: 'cast', expr: left, dataType, syntax: '::', span: p.spanFrom(start) };
      }
      case '[':
        return parseSubscript(p, left);
      default: {
        const right = parseSubexpr(p, precedence);
        return { kind: 'binary', op: token.value as BinaryOperator, left, right, span: p.spanFrom(start) };
      }
    }
  }

  switch (token.upper) {
    case 'OR':
    case 'AND':
    case 'XOR':
    case 'DIV': {
      const right = parseSubexpr(p, precedence);
      return { kind: 'binary', op: token.upper as BinaryOperator, left, right, span: p.spanFrom(start) };
    }
    case 'IS':
      return parseIs(p, left);
    case 'NOT':
      return parseNegatable(p, left, true, p.next());
    case 'IN':
    case 'BETWEEN':
    case 'LIKE':
    case 'ILIKE':
    case 'SIMILAR':
    case 'RLIKE':
    case 'REGEXP':
      return parseNegatable(p, left, false, token);
    case 'AT': {
      p.expectKeywords('TIME', 'ZONE');
      const timeZone = parseSubexpr(p, Precedence.AtTimeZone);
      return { kind: 'at-time-zone', expr: left, timeZone, span: p.spanFrom(start) };
    }
    case 'RANGE':
      return parseRange(p, left, token);
    default:
      throw p.expected('an operator', token);
  }
}

function parseIs(p: Parser, left: Expr): Expr {
  const not = p.eatKeyword('NOT') !== null;
  const token = p.next();
  if (token.kind === 'word') {
    switch (token.upper) {
      case 'NULL':
      case 'TRUE':
      case 'FALSE':
      case 'UNKNOWN':
        return { kind: 'is', expr: left, not, test: token.upper, span: p.spanFrom(left.span) };
      case 'DISTINCT': {
        p.expectKeyword('FROM');
        const right = parseSubexpr(p, Precedence.Is);
        return { kind: 'is-distinct-from', left, right, not, span: p.spanFrom(left.span) };
      }
    }
  }
  throw p.expected('NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS', token);
}

/** `[NOT] IN | BETWEEN | LIKE | ILIKE | SIMILAR TO | RLIKE | REGEXP`, after `left`. */
function parseNegatable(p: Parser, left: Expr, not: boolean, keyword: Token): Expr {
  switch (keyword.upper) {
    case 'IN': {
      p.expectOperator('(');
      if (isQueryStart(p)) {
        const query = parseQuery(p);
        p.expectOperator(')');
        return { kind: 'in-subquery', expr: left, not, query, span: p.spanFrom(left.span) };
      }
      const list: Expr[] = [];
      while (!p.isOperator(')')) {
        list.push(parseExpr(p));
        if (!p.eatOperator(',')) break;
      }
      p.expectOperator(')');
      return { kind: 'in-list', expr: left, not, list, span: p.spanFrom(left.span) };
    }
    case 'BETWEEN': {
      const low = parseSubexpr(p, Precedence.Between);
      p.expectKeyword('AND');
      const high = parseSubexpr(p, Precedence.Between);
      return { kind: 'between', expr: left, not, low, high, span: p.spanFrom(left.span) };
    }
    case 'LIKE':
    case 'ILIKE':
    case 'SIMILAR':
    case 'RLIKE':
    case 'REGEXP': {
      let op = keyword.upper as 'LIKE' | 'ILIKE' | 'SIMILAR TO' | 'RLIKE' | 'REGEXP';
      if (keyword.upper === 'SIMILAR') {
        p.expectKeyword('TO');
        op = 'SIMILAR TO';
      }
      const pattern = parseSubexpr(p, Precedence.Like);
      const escape = p.eatKeyword('ESCAPE') ? parseSubexpr(p, Precedence.Like) : null;
      return { kind: 'like', op, expr: left, not, pattern, escape, span: p.spanFrom(left.span) };
    }
    default:
      throw p.expected('IN, BETWEEN, LIKE, ILIKE or SIMILAR TO after NOT', keyword);
  }
}

function parseSubscript(p: Parser, left: Expr): Expr {
  // `[` is consumed. `a[i]` or a slice `a[lo:hi[:stride]]` with optional bounds.
  const lower = p.isOperator(':') ? null : parseExpr(p);
  if (p.eatOperator(']')) {
    if (lower === null) throw p.expected('an index');
    return { kind: 'subscript', expr: left, index: lower, span: p.spanFrom(left.span) };
  }
  p.expectOperator(':');
  const upper = p.isOperator(':') || p.isOperator(']') ? null : parseExpr(p);
  let stride: Expr | null = null;
  if (p.eatOperator(':')) stride = p.isOperator(']') ? null : parseExpr(p);
  p.expectOperator(']');
  return { kind: 'slice', expr: left, lower, upper, stride, span: p.spanFrom(left.span) };
}

/** GreptimeDB's `expr RANGE duration [FILL option]`; see RangeExpr. */
function parseRange(p: Parser, left: Expr, keyword: Token): Expr {
  let range: Expr;
  if (p.eatOperator('(')) {
    range = parseExpr(p);
    p.expectOperator(')');
  } else {
    const token = p.next();
    if (token.kind !== 'string') throw p.expected('a duration literal or a parenthesized interval', token);
    if (!isDurationLiteral(token.value)) {
      throw p.error(`not a valid duration string: ${token.value}`, token.span);
    }
    range = { kind: 'string', value: token.value, prefix: '', span: token.span };
  }
  const fill = p.eatKeyword('FILL') ? parseFillOption(p) : null;
  if (!hasRangeTarget(left)) {
    const text = p.slice(left.span.start, left.span.end);
    throw p.error(`Can't use the RANGE keyword in expression '${text}' without a function`, keyword.span);
  }
  return { kind: 'range', expr: left, range, fill, span: p.spanFrom(left.span) };
}

/**
 * The value after FILL (in a range expression or after ALIGN): NULL, PREV, LINEAR or a
 * constant, returned as written (words upper-cased, `-` joined to a number).
 */
export function parseFillOption(p: Parser): string {
  const token = p.next();
  if (token.kind === 'word') return token.upper;
  if (token.kind === 'number' || token.kind === 'string') return token.text;
  if (token.kind === 'operator' && (token.value === '-' || token.value === '+') && p.peek().kind === 'number') {
    return `${token.value}${p.next().text}`;
  }
  throw p.expected('NULL, PREV, LINEAR or a constant after FILL', token);
}

/** Whether RANGE has a function call to apply to: GreptimeDB looks through +-*, (), casts. */
function hasRangeTarget(expr: Expr): boolean {
  const pending: Expr[] = [expr];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.kind === 'function') return true;
    if (next.kind === 'binary') pending.push(next.left, next.right);
    else if (next.kind === 'nested' || next.kind === 'cast') pending.push(next.expr);
  }
  return false;
}

/** Whether the cursor is at the start of a query (SELECT, WITH, VALUES, or `(` before one). */
export function isQueryStart(p: Parser, offset = 0): boolean {
  if (p.isAnyKeyword(QUERY_START, offset)) return true;
  let i = offset;
  while (p.isOperator('(', i)) i++;
  return i > offset && p.isAnyKeyword(QUERY_START, i) && !p.isKeyword('VALUES', i);
}

function parsePrefix(p: Parser): Expr {
  const token = p.peek();
  switch (token.kind) {
    case 'number':
      p.next();
      return { kind: 'number', text: token.value, span: token.span };
    case 'string':
      p.next();
      return { kind: 'string', value: token.value, prefix: token.quote as '' | 'E' | 'N', span: token.span };
    case 'hex-string':
      p.next();
      return { kind: 'hex', digits: token.value, span: token.span };
    case 'placeholder': {
      p.next();
      const index =
        token.value === '?' ? ++p.questionMarks : /^\$\d+$/.test(token.value) ? Number(token.value.slice(1)) : 0;
      return { kind: 'placeholder', text: token.value, index, span: token.span };
    }
    case 'quoted-identifier':
      return parseNameOrCall(p);
    case 'word':
      return parseWordPrefix(p, token);
    case 'operator':
      return parseOperatorPrefix(p, token);
    default:
      throw p.expected('an expression');
  }
}

function parseOperatorPrefix(p: Parser, token: Token): Expr {
  switch (token.value) {
    case '-':
    case '+':
    case '~': {
      p.next();
      const operand = parseSubexpr(p, token.value === '~' ? Precedence.PlusMinus : Precedence.MulDivMod);
      return { kind: 'unary', op: token.value, operand, span: p.spanFrom(token) };
    }
    case '(': {
      // `(SELECT ...)` is a subquery; `((SELECT 1) + 1)` is not, so several parentheses
      // before SELECT are tried as a subquery first and read as an expression otherwise.
      if (p.isAnyKeyword(QUERY_START, 1)) return parseSubqueryExpr(p, token);
      if (isQueryStart(p, 1)) {
        const subquery = p.tryParse(() => parseSubqueryExpr(p, token));
        if (subquery !== null) return subquery;
      }
      p.next();
      const first = parseExpr(p);
      if (p.eatOperator(',')) {
        const elements = [first];
        while (!p.isOperator(')')) {
          elements.push(parseExpr(p));
          if (!p.eatOperator(',')) break;
        }
        p.expectOperator(')');
        return { kind: 'tuple', elements, span: p.spanFrom(token) };
      }
      p.expectOperator(')');
      return { kind: 'nested', expr: first, span: p.spanFrom(token) };
    }
    case '[':
      p.next();
      return parseArrayElements(p, token, false);
    default:
      throw p.expected('an expression');
  }
}

function parseSubqueryExpr(p: Parser, open: Token): Expr {
  p.expectOperator('(');
  const query = parseQuery(p);
  p.expectOperator(')');
  return { kind: 'subquery', query, span: p.spanFrom(open) };
}

/** After `[`: `1, 2, 3]`. */
function parseArrayElements(p: Parser, start: Token, keyword: boolean): Expr {
  const elements: Expr[] = [];
  while (!p.isOperator(']')) {
    elements.push(parseExpr(p));
    if (!p.eatOperator(',')) break;
  }
  p.expectOperator(']');
  return { kind: 'array', elements, keyword, span: p.spanFrom(start) };
}

function parseWordPrefix(p: Parser, token: Token): Expr {
  const nextIsParen = p.isOperator('(', 1);
  switch (token.upper) {
    case 'TRUE':
    case 'FALSE':
      p.next();
      return { kind: 'boolean', value: token.upper === 'TRUE', span: token.span };
    case 'NULL':
      p.next();
      return { kind: 'null', span: token.span };
    case 'NOT': {
      p.next();
      if (p.isKeyword('EXISTS') && p.isOperator('(', 1)) {
        p.next();
        return parseExistsBody(p, token, true);
      }
      const operand = parseSubexpr(p, Precedence.UnaryNot);
      return { kind: 'unary', op: 'NOT', operand, span: p.spanFrom(token) };
    }
    case 'EXISTS':
      if (!nextIsParen) break;
      p.next();
      return parseExistsBody(p, token, false);
    case 'CASE':
      return parseCase(p);
    case 'CAST':
    case 'TRY_CAST':
    case 'SAFE_CAST':
      if (!nextIsParen) break;
      return parseCastCall(p);
    case 'EXTRACT':
      if (!nextIsParen) break;
      return parseExtract(p);
    case 'POSITION': {
      if (!nextIsParen) break;
      const position = p.tryParse(() => parsePosition(p));
      if (position !== null) return position;
      break;
    }
    case 'SUBSTRING':
    case 'SUBSTR': {
      if (!nextIsParen) break;
      const substring = p.tryParse(() => parseSubstring(p));
      if (substring !== null) return substring;
      break;
    }
    case 'TRIM': {
      if (!nextIsParen) break;
      const trim = p.tryParse(() => parseTrim(p));
      if (trim !== null) return trim;
      break;
    }
    case 'INTERVAL':
      if (canStartIntervalValue(p.peek(1))) return parseInterval(p);
      break;
    case 'ARRAY':
      if (p.isOperator('[', 1)) {
        p.next();
        p.next();
        return parseArrayElements(p, token, true);
      }
      break;
    case 'DEFAULT':
      if (nextIsParen || p.isOperator('.', 1)) break;
      p.next();
      return { kind: 'default', span: token.span };
    default:
      if (TYPED_STRING_TYPES.has(token.upper) && p.peek(1).kind === 'string' && p.peek(1).quote === '') {
        const dataType = parseDataType(p);
        const value = p.next();
        return { kind: 'typed-string', dataType, value: value.value, span: p.spanFrom(token) };
      }
      if (NILADIC_FUNCTIONS.has(token.upper) && !nextIsParen && !p.isOperator('.', 1)) {
        p.next();
        const name = p.tokenIdent(token);
        return emptyCall({ parts: [name], span: token.span }, [], false, token.span);
      }
  }
  return parseNameOrCall(p);
}

function canStartIntervalValue(token: Token): boolean {
  if (token.kind === 'string' || token.kind === 'number' || token.kind === 'placeholder') return true;
  return token.kind === 'operator' && (token.value === '-' || token.value === '+' || token.value === '(');
}

/** A name (`a`, `t.a`, `"T"."a"`) or, when `(` follows, a function call. */
function parseNameOrCall(p: Parser): Expr {
  const first = p.next();
  const parts = [p.tokenIdent(first)];
  while (p.isOperator('.') && p.isIdentStart(1)) {
    p.next();
    parts.push(p.tokenIdent(p.next()));
  }
  const name: ObjectName = { parts, span: p.spanFrom(first) };
  if (p.isOperator('(')) return parseFunctionCall(p, name);
  return { kind: 'identifier', parts, span: name.span };
}

function parseExistsBody(p: Parser, start: Token, not: boolean): Expr {
  p.expectOperator('(');
  const query: Query = parseQuery(p);
  p.expectOperator(')');
  return { kind: 'exists', not, query, span: p.spanFrom(start) };
}

function parseCase(p: Parser): Expr {
  const start = p.expectKeyword('CASE');
  const operand = p.isKeyword('WHEN') ? null : parseExpr(p);
  const whens: { condition: Expr; result: Expr }[] = [];
  while (p.eatKeyword('WHEN')) {
    const condition = parseExpr(p);
    p.expectKeyword('THEN');
    const result = parseExpr(p);
    whens.push({ condition, result });
  }
  if (whens.length === 0) throw p.expected('WHEN');
  const elseResult = p.eatKeyword('ELSE') ? parseExpr(p) : null;
  p.expectKeyword('END');
  return { kind: 'case', operand, whens, elseResult, span: p.spanFrom(start) };
}

function parseCastCall(p: Parser): Expr {
  const start = p.next();
  p.expectOperator('(');
  const expr = parseExpr(p);
  p.expectKeyword('AS');
  const dataType = parseDataType(p);
  p.expectOperator(')');
  const syntax = start.upper === 'CAST' ? 'CAST' : 'TRY_CAST';
  return { kind: 'cast', expr, dataType, syntax, span: p.spanFrom(start) };
}

function parseExtract(p: Parser): Expr {
  const start = p.next();
  p.expectOperator('(');
  const fieldToken = p.next();
  let field: string;
  if (fieldToken.kind === 'word') field = fieldToken.upper;
  else if (fieldToken.kind === 'string' || fieldToken.kind === 'quoted-identifier')
    field = fieldToken.value.toUpperCase();
  else throw p.expected('a date/time field', fieldToken);
  if (!p.eatKeyword('FROM')) p.expectOperator(',');
  const expr = parseExpr(p);
  p.expectOperator(')');
  return { kind: 'extract', field, expr, span: p.spanFrom(start) };
}

function parsePosition(p: Parser): Expr {
  const start = p.next();
  p.expectOperator('(');
  const needle = parseSubexpr(p, Precedence.Between);
  p.expectKeyword('IN');
  const haystack = parseExpr(p);
  p.expectOperator(')');
  return { kind: 'position', needle, haystack, span: p.spanFrom(start) };
}

function parseSubstring(p: Parser): Expr {
  const start = p.next();
  p.expectOperator('(');
  const expr = parseExpr(p);
  let from: Expr | null = null;
  let length: Expr | null = null;
  if (p.eatKeyword('FROM')) from = parseExpr(p);
  if (p.eatKeyword('FOR')) length = parseExpr(p);
  if (from === null && length === null) throw p.expected('FROM or FOR');
  p.expectOperator(')');
  return { kind: 'substring', expr, from, for: length, span: p.spanFrom(start) };
}

function parseTrim(p: Parser): Expr {
  const start = p.next();
  p.expectOperator('(');
  let where: 'BOTH' | 'LEADING' | 'TRAILING' | null = null;
  if (p.isKeyword('BOTH') || p.isKeyword('LEADING') || p.isKeyword('TRAILING')) {
    where = p.next().upper as 'BOTH' | 'LEADING' | 'TRAILING';
  }
  let chars: Expr | null = null;
  let expr: Expr;
  if (where !== null && p.eatKeyword('FROM')) {
    expr = parseExpr(p);
  } else {
    const first = parseExpr(p);
    if (p.eatKeyword('FROM')) {
      chars = first;
      expr = parseExpr(p);
    } else {
      if (where === null) throw p.expected('FROM');
      expr = first;
    }
  }
  p.expectOperator(')');
  return { kind: 'trim', where, chars, expr, span: p.spanFrom(start) };
}

function parseInterval(p: Parser): Expr {
  const start = p.expectKeyword('INTERVAL');
  // Like sqlparser, the value is a prefix expression: `INTERVAL '1' DAY + x` adds x afterwards.
  const value = parsePrefix(p);
  let unit: string | null = null;
  let toUnit: string | null = null;
  if (p.isAnyKeyword(DATE_TIME_FIELDS)) {
    unit = p.next().upper;
    if (p.isKeyword('TO') && p.isAnyKeyword(DATE_TIME_FIELDS, 1)) {
      p.next();
      toUnit = p.next().upper;
    }
  }
  return { kind: 'interval', value, unit, toUnit, span: p.spanFrom(start) };
}
