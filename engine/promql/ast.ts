/**
 * The PromQL syntax tree. Every node keeps `pos`, the offset of its first character in the
 * query text, so evaluation errors can point at the expression too. Durations and times are
 * milliseconds.
 */

/** A label matcher: `name op "value"`. */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `@ <time>`, `@ start()`, `@ end()`: evaluation time pinned for a selector or subquery. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' } | null;

export interface NumberLiteral {
  type: 'number';
  value: number;
  pos: number;
}

export interface StringLiteral {
  type: 'string';
  value: string;
  pos: number;
}

/** `metric{matchers} [offset d] [@ t]`; `name` is the metric name ('' when only `__name__` matches). */
export interface VectorSelector {
  type: 'vector';
  name: string;
  matchers: LabelMatcher[];
  offset: number;
  at: AtModifier;
  pos: number;
}

/** `selector[range]`: the selector's offset and `@` apply to the whole window. */
export interface MatrixSelector {
  type: 'matrix';
  vector: VectorSelector;
  range: number;
  pos: number;
}

/** `expr[range:step] [offset d] [@ t]`; `step` 0 means the query's step (Prometheus' default). */
export interface SubqueryExpr {
  type: 'subquery';
  expr: Expr;
  range: number;
  step: number;
  offset: number;
  at: AtModifier;
  pos: number;
}

export interface Call {
  type: 'call';
  func: string;
  args: Expr[];
  pos: number;
}

export interface AggregateExpr {
  type: 'aggregate';
  op: string;
  expr: Expr;
  param: Expr | null;
  grouping: string[];
  without: boolean;
  pos: number;
}

/** How a binary operation matches series: `on`/`ignoring` labels and `group_left`/`group_right`. */
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  on: boolean;
  labels: string[];
  include: string[];
}

export interface BinaryExpr {
  type: 'binary';
  op: string;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  matching: VectorMatching | null;
  pos: number;
}

export interface UnaryExpr {
  type: 'unary';
  op: '-' | '+';
  expr: Expr;
  pos: number;
}

export interface ParenExpr {
  type: 'paren';
  expr: Expr;
  pos: number;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

/** What an expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';
