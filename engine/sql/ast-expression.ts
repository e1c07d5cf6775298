/**
 * Expression nodes of the AST. Every node is a plain object with a `kind` discriminant and a
 * `span`; nothing here is a class, so ASTs can be compared, cloned and sent as JSON.
 *
 * The tree keeps what was written rather than what it means: `(a + b)` stays a `nested` node,
 * `x::int` and `CAST(x AS int)` are both `cast` nodes that remember their `syntax`, and
 * literals keep their lexeme (`number.text`) so that no precision is lost before the planner
 * decides on a type. Names keep both the folded `value` the planner resolves and the `text`
 * as written, so the formatter prints the user's spelling.
 */
import type { DataType } from './ast-data-type.ts';
import type { Query } from './ast-query.ts';
import type { Span } from './span.ts';

/**
 * A name. Unquoted names are folded to lower case in `value` (GreptimeDB and DataFusion both
 * normalize them so); quoted names keep their case. `quote` is the quote character used, or
 * empty; `'` appears where a string stands for a name (`DROP DATABASE 'my-db'`, `AS 'alias'`).
 */
export interface Ident {
  value: string;
  /** The name as written, without quotes and escapes. */
  text: string;
  quote: '' | '"' | '`' | "'";
  span: Span;
}

/** A possibly qualified name: `t`, `db.t`, `catalog.db.t`. */
export interface ObjectName {
  parts: Ident[];
  span: Span;
}

/** Any expression. */
export type Expr =
  | IdentifierExpr
  | NumberLiteral
  | StringLiteral
  | HexLiteral
  | BooleanLiteral
  | NullLiteral
  | TypedString
  | IntervalExpr
  | Placeholder
  | DefaultExpr
  | UnaryExpr
  | BinaryExpr
  | QuantifiedComparison
  | IsExpr
  | IsDistinctFromExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | LikeExpr
  | ExistsExpr
  | SubqueryExpr
  | FunctionCall
  | CastExpr
  | CaseExpr
  | ExtractExpr
  | PositionExpr
  | SubstringExpr
  | TrimExpr
  | ArrayExpr
  | SubscriptExpr
  | SliceExpr
  | TupleExpr
  | NestedExpr
  | AtTimeZoneExpr
  | RangeExpr;

/** A column or other name: `host`, `t.host`, `@@time_zone`. `parts` has at least one entry. */
export interface IdentifierExpr {
  kind: 'identifier';
  parts: Ident[];
  span: Span;
}

/** A numeric literal as written (`42`, `1.5`, `.5e3`); typing is the planner's job. */
export interface NumberLiteral {
  kind: 'number';
  text: string;
  span: Span;
}

/** A string literal. `prefix` is `E` for escape strings, `N` for national ones, else empty. */
export interface StringLiteral {
  kind: 'string';
  value: string;
  prefix: '' | 'E' | 'N';
  span: Span;
}

/** A binary literal: `X'0aff'` or `0x0aff`. `digits` are the hex digits as written. */
export interface HexLiteral {
  kind: 'hex';
  digits: string;
  span: Span;
}

/** `TRUE` / `FALSE`. */
export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
  span: Span;
}

/** `NULL`. */
export interface NullLiteral {
  kind: 'null';
  span: Span;
}

/** A literal with a type in front: `TIMESTAMP '2023-01-01 00:00:00'`, `DATE '2023-01-01'`. */
export interface TypedString {
  kind: 'typed-string';
  dataType: DataType;
  value: string;
  span: Span;
}

/**
 * `INTERVAL '1 hour'`, `INTERVAL '1' DAY`, `INTERVAL 3 HOUR TO MINUTE`. `value` is usually a
 * string literal; `unit`/`toUnit` are the upper-cased unit words when written.
 */
export interface IntervalExpr {
  kind: 'interval';
  value: Expr;
  unit: string | null;
  toUnit: string | null;
  span: Span;
}

/**
 * A parameter of a prepared statement: `$1`, `$name` or `?`. `index` is 1-based: the number
 * in `$n`, or the position of a `?` among the `?`s of the statement; 0 for `$name`.
 */
export interface Placeholder {
  kind: 'placeholder';
  text: string;
  index: number;
  span: Span;
}

/** The `DEFAULT` keyword where a value goes (`INSERT ... VALUES (1, DEFAULT)`). */
export interface DefaultExpr {
  kind: 'default';
  span: Span;
}

/** Prefix operators. `NOT` is logical, `~` bitwise. */
export type UnaryOperator = '-' | '+' | 'NOT' | '~';

/** A prefix operator applied to `operand`. */
export interface UnaryExpr {
  kind: 'unary';
  op: UnaryOperator;
  operand: Expr;
  span: Span;
}

/**
 * Infix operators, spelled canonically: `<>` becomes `!=`, `==` becomes `=`, `DIV` stays a
 * word. `~`, `~*`, `!~`, `!~*` are regex matches (PostgreSQL style), `||` concatenation,
 * `@@` GreptimeDB's full-text term match (`matches_term`).
 */
export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | 'DIV'
  | '||'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '<=>'
  | 'AND'
  | 'OR'
  | 'XOR'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '~'
  | '~*'
  | '!~'
  | '!~*'
  | '->'
  | '->>'
  | '#>'
  | '#>>'
  | '@>'
  | '<@'
  | '@@';

/** `left op right`; chains are left-deep (`a - b - c` is `(a - b) - c`). */
export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOperator;
  left: Expr;
  right: Expr;
  span: Span;
}

/** `x = ANY (subquery)`, `x > ALL (array)`. `SOME` is kept as written (it means `ANY`). */
export interface QuantifiedComparison {
  kind: 'quantified';
  op: BinaryOperator;
  quantifier: 'ANY' | 'ALL' | 'SOME';
  left: Expr;
  right: Query | Expr;
  span: Span;
}

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsExpr {
  kind: 'is';
  expr: Expr;
  not: boolean;
  test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
  span: Span;
}

/** `a IS [NOT] DISTINCT FROM b`. */
export interface IsDistinctFromExpr {
  kind: 'is-distinct-from';
  left: Expr;
  right: Expr;
  not: boolean;
  span: Span;
}

/** `expr [NOT] BETWEEN low AND high` (both ends inclusive). */
export interface BetweenExpr {
  kind: 'between';
  expr: Expr;
  not: boolean;
  low: Expr;
  high: Expr;
  span: Span;
}

/** `expr [NOT] IN (a, b, ...)`; the list may be empty. */
export interface InListExpr {
  kind: 'in-list';
  expr: Expr;
  not: boolean;
  list: Expr[];
  span: Span;
}

/** `expr [NOT] IN (SELECT ...)`. */
export interface InSubqueryExpr {
  kind: 'in-subquery';
  expr: Expr;
  not: boolean;
  query: Query;
  span: Span;
}

/** `LIKE`, `ILIKE`, `SIMILAR TO` (and MySQL's `RLIKE`/`REGEXP`), with an optional `ESCAPE`. */
export interface LikeExpr {
  kind: 'like';
  op: 'LIKE' | 'ILIKE' | 'SIMILAR TO' | 'RLIKE' | 'REGEXP';
  expr: Expr;
  not: boolean;
  pattern: Expr;
  escape: Expr | null;
  span: Span;
}

/** `[NOT] EXISTS (SELECT ...)`. */
export interface ExistsExpr {
  kind: 'exists';
  not: boolean;
  query: Query;
  span: Span;
}

/** A scalar subquery: `(SELECT max(x) FROM t)`. */
export interface SubqueryExpr {
  kind: 'subquery';
  query: Query;
  span: Span;
}

/** `*` or `t.*`, in a select list or as a function argument (`count(*)`). */
export interface Wildcard {
  kind: 'wildcard';
  qualifier: ObjectName | null;
  span: Span;
}

/** `name => value` in a function call. */
export interface NamedArgument {
  kind: 'named-argument';
  name: Ident;
  value: Expr;
  span: Span;
}

/** What may stand between the parentheses of a function call. */
export type FunctionArg = Expr | Wildcard | NamedArgument;

/** One `ORDER BY` entry; `asc`/`nullsFirst` are null when not written (defaults apply). */
export interface OrderByItem {
  expr: Expr;
  asc: boolean | null;
  nullsFirst: boolean | null;
  span: Span;
}

/** A frame bound: `UNBOUNDED PRECEDING`, `CURRENT ROW`, `<offset> FOLLOWING` ... */
export interface WindowFrameBound {
  kind: 'current-row' | 'preceding' | 'following';
  /** The offset; null for UNBOUNDED (and for CURRENT ROW). */
  offset: Expr | null;
  span: Span;
}

/** `ROWS|RANGE|GROUPS BETWEEN start AND end`, or a single start bound (`end` null). */
export interface WindowFrame {
  units: 'ROWS' | 'RANGE' | 'GROUPS';
  start: WindowFrameBound;
  end: WindowFrameBound | null;
  span: Span;
}

/** The inside of `OVER (...)` or of a `WINDOW w AS (...)` definition. */
export interface WindowSpec {
  /** `OVER (w ORDER BY ...)`: a named window this one refines. */
  baseName: Ident | null;
  partitionBy: Expr[];
  orderBy: OrderByItem[];
  frame: WindowFrame | null;
  span: Span;
}

/**
 * A function call, aggregate or window function: `lower(x)`, `count(DISTINCT x)`,
 * `first_value(x ORDER BY ts)`, `sum(x) FILTER (WHERE y > 0)`, `rank() OVER (...)`.
 * `parens` is false for the SQL niladic forms `CURRENT_TIMESTAMP`, `CURRENT_DATE`, ...
 */
export interface FunctionCall {
  kind: 'function';
  name: ObjectName;
  args: FunctionArg[];
  distinct: boolean;
  /** `ORDER BY` inside the argument list (ordered aggregates). */
  orderBy: OrderByItem[];
  /** `WITHIN GROUP (ORDER BY ...)` after the argument list. */
  withinGroup: OrderByItem[];
  filter: Expr | null;
  nullTreatment: 'IGNORE NULLS' | 'RESPECT NULLS' | null;
  /** `OVER (spec)` or `OVER name`. */
  over: WindowSpec | Ident | null;
  parens: boolean;
  span: Span;
}

/** `CAST(x AS t)`, `TRY_CAST(x AS t)` or `x::t`. */
export interface CastExpr {
  kind: 'cast';
  expr: Expr;
  dataType: DataType;
  syntax: 'CAST' | 'TRY_CAST' | '::';
  span: Span;
}

/** One `WHEN condition THEN result` of a CASE. */
export interface CaseWhen {
  condition: Expr;
  result: Expr;
}

/** `CASE [operand] WHEN ... THEN ... [ELSE ...] END`. */
export interface CaseExpr {
  kind: 'case';
  operand: Expr | null;
  whens: CaseWhen[];
  elseResult: Expr | null;
  span: Span;
}

/** `EXTRACT(field FROM expr)`; `field` is upper-cased (`YEAR`, `EPOCH`, ...). */
export interface ExtractExpr {
  kind: 'extract';
  field: string;
  expr: Expr;
  span: Span;
}

/** `POSITION(needle IN haystack)`. The comma form is an ordinary function call. */
export interface PositionExpr {
  kind: 'position';
  needle: Expr;
  haystack: Expr;
  span: Span;
}

/** `SUBSTRING(expr FROM start FOR length)`. The comma form is an ordinary function call. */
export interface SubstringExpr {
  kind: 'substring';
  expr: Expr;
  from: Expr | null;
  for: Expr | null;
  span: Span;
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM expr)`. `TRIM(x)` is an ordinary call. */
export interface TrimExpr {
  kind: 'trim';
  where: 'BOTH' | 'LEADING' | 'TRAILING' | null;
  chars: Expr | null;
  expr: Expr;
  span: Span;
}

/** `[1, 2, 3]` or `ARRAY[1, 2, 3]` (`keyword` remembers which). */
export interface ArrayExpr {
  kind: 'array';
  elements: Expr[];
  keyword: boolean;
  span: Span;
}

/** `a[i]`. */
export interface SubscriptExpr {
  kind: 'subscript';
  expr: Expr;
  index: Expr;
  span: Span;
}

/** `a[lower:upper]` or `a[lower:upper:stride]`; any bound may be omitted. */
export interface SliceExpr {
  kind: 'slice';
  expr: Expr;
  lower: Expr | null;
  upper: Expr | null;
  stride: Expr | null;
  span: Span;
}

/** `(a, b, ...)` with two or more elements (one element in parentheses is `nested`). */
export interface TupleExpr {
  kind: 'tuple';
  elements: Expr[];
  span: Span;
}

/** Parentheses around one expression, kept so that printing and RANGE see what was written. */
export interface NestedExpr {
  kind: 'nested';
  expr: Expr;
  span: Span;
}

/** `ts AT TIME ZONE 'Asia/Shanghai'`. */
export interface AtTimeZoneExpr {
  kind: 'at-time-zone';
  expr: Expr;
  timeZone: Expr;
  span: Span;
}

/**
 * GreptimeDB's range expression: `max(cpu) RANGE '5m' [FILL PREV]`, `(a + b) RANGE '1h'`.
 * `expr` contains at least one function call (the parser checks, as GreptimeDB does): the
 * RANGE applies to every function call in it that is not nested inside another call's
 * arguments. `range` is a duration string literal (`'5m'`, checked to be a valid PromQL
 * duration) or the expression written in parentheses (`RANGE (INTERVAL '1 hour')`).
 * `fill` is the FILL option as written upper-cased (`NULL`, `PREV`, `LINEAR`, or a constant's
 * text such as `6` or `-1.5`), null when absent (the ALIGN clause's FILL then applies).
 */
export interface RangeExpr {
  kind: 'range';
  expr: Expr;
  range: Expr;
  fill: string | null;
  span: Span;
}
