/**
 * Query nodes: `SELECT`, set operations, `VALUES`, `FROM` items and joins, CTEs (including
 * GreptimeDB's TQL CTEs) and GreptimeDB's `ALIGN ... BY ... FILL` range-query clause.
 *
 * A `Query` is the unit that has ORDER BY / LIMIT / WITH; its `body` is a `SetExpr`, which is a
 * `Select`, a `Values`, a set operation, or a parenthesized `Query` again.
 */
import type { Expr, Ident, ObjectName, OrderByItem, Wildcard, WindowSpec } from './ast-expression.ts';
import type { TqlStatement } from './ast-statement.ts';
import type { Span } from './span.ts';

/** `[WITH ...] body [ORDER BY ...] [LIMIT ...] [OFFSET ...]`. */
export interface Query {
  kind: 'query';
  with: With | null;
  body: SetExpr;
  orderBy: OrderByItem[];
  limit: Expr | null;
  offset: Expr | null;
  span: Span;
}

/** The body of a query. A parenthesized query inside a set operation is a `Query` node. */
export type SetExpr = Select | Values | SetOperation | Query;

/** `left UNION|INTERSECT|EXCEPT [ALL|DISTINCT] right`. */
export interface SetOperation {
  kind: 'set-operation';
  op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  quantifier: 'ALL' | 'DISTINCT' | null;
  left: SetExpr;
  right: SetExpr;
  span: Span;
}

/** `VALUES (1, 'a'), (2, 'b')`. Every row is a list of expressions. */
export interface Values {
  kind: 'values';
  rows: Expr[][];
  span: Span;
}

/** `WITH [RECURSIVE] cte, ...`. */
export interface With {
  recursive: boolean;
  ctes: Cte[];
  span: Span;
}

/**
 * `name [(columns)] AS (query)`. GreptimeDB also allows `AS (TQL EVAL ...)`, whose result
 * columns are named by `columns` (or the PromQL result's own names).
 */
export interface Cte {
  name: Ident;
  columns: Ident[];
  body: Query | TqlStatement;
  span: Span;
}

/** `DISTINCT` or `DISTINCT ON (exprs)`. */
export interface Distinct {
  on: Expr[] | null;
  span: Span;
}

/** `expr [AS alias]` in a select list. */
export interface SelectExpr {
  kind: 'select-expr';
  expr: Expr;
  alias: Ident | null;
  span: Span;
}

/** One entry of the select list. */
export type SelectItem = SelectExpr | Wildcard;

/**
 * GreptimeDB's range-query clause: `ALIGN '5s' [TO ...] [BY (a, b)] [FILL ...]`.
 * `interval` is a duration string literal or the parenthesized expression; `to` is the
 * alignment origin as written (`NOW`, `CALENDAR`, a timestamp string, or a parenthesized
 * expression), null when absent; `by` is null without a BY clause (the table's primary key
 * applies) and `[]` for `BY ()` (one group); `fill` is the default FILL of the range
 * expressions (upper-cased as written), null when absent.
 */
export interface AlignClause {
  interval: Expr;
  to: Expr | null;
  by: Expr[] | null;
  fill: string | null;
  span: Span;
}

/** `WINDOW name AS (spec)`. */
export interface NamedWindow {
  name: Ident;
  spec: WindowSpec;
  span: Span;
}

/**
 * `SELECT ... FROM ... WHERE ... GROUP BY ... ALIGN ... HAVING ... WINDOW ...`.
 * `from` holds the comma-separated FROM items, each with its joins.
 */
export interface Select {
  kind: 'select';
  distinct: Distinct | null;
  projection: SelectItem[];
  from: TableWithJoins[];
  where: Expr | null;
  /** `GROUP BY ALL` is `'all'`; otherwise the grouping expressions (empty: none). */
  groupBy: Expr[] | 'all';
  having: Expr | null;
  align: AlignClause | null;
  windows: NamedWindow[];
  qualify: Expr | null;
  span: Span;
}

/** `AS alias [(c1, c2)]` after a FROM item. */
export interface TableAlias {
  name: Ident;
  columns: Ident[];
  span: Span;
}

/** A FROM item. */
export type TableFactor = TableRef | DerivedTable | TableFunction | NestedJoin;

/** A table or view by name. */
export interface TableRef {
  kind: 'table';
  name: ObjectName;
  alias: TableAlias | null;
  span: Span;
}

/** `(SELECT ...) [AS] alias`; `lateral` for `LATERAL (SELECT ...)`. */
export interface DerivedTable {
  kind: 'derived';
  lateral: boolean;
  query: Query;
  alias: TableAlias | null;
  span: Span;
}

/** A function in FROM: `generate_series(1, 10)`, `unnest(arr)`. */
export interface TableFunction {
  kind: 'table-function';
  name: ObjectName;
  args: Expr[];
  alias: TableAlias | null;
  span: Span;
}

/** `(a JOIN b ON ...) [AS alias]`. */
export interface NestedJoin {
  kind: 'nested-join';
  join: TableWithJoins;
  alias: TableAlias | null;
  span: Span;
}

/** How two FROM items are combined. `SEMI`/`ANTI` come with a side (`LEFT SEMI JOIN`). */
export type JoinType =
  'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'LEFT SEMI' | 'RIGHT SEMI' | 'LEFT ANTI' | 'RIGHT ANTI';

/** The join condition: `ON expr`, `USING (cols)`, `NATURAL`, or none (CROSS JOIN). */
export type JoinConstraint =
  { kind: 'on'; expr: Expr } | { kind: 'using'; columns: Ident[] } | { kind: 'natural' } | { kind: 'none' };

/** One `[type] JOIN factor [constraint]` after a FROM item. */
export interface Join {
  type: JoinType;
  relation: TableFactor;
  constraint: JoinConstraint;
  span: Span;
}

/** A FROM item followed by its joins, left to right. */
export interface TableWithJoins {
  relation: TableFactor;
  joins: Join[];
  span: Span;
}
