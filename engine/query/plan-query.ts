/**
 * The query planner: a `Query` AST to a logical plan, following DataFusion's SQL planner:
 * FROM (scans, joins, derived tables, CTEs) -> WHERE -> GROUP BY / aggregates -> HAVING ->
 * projection -> DISTINCT -> ORDER BY -> LIMIT / OFFSET. ORDER BY may name output aliases,
 * ordinals, or input columns that the select list drops (carried as hidden columns and
 * projected away after the sort).
 */
import type { Expr, OrderByItem, Query, Select, SetExpr, TableFactor, TableWithJoins, Values } from '../sql/index.ts';
import type { SqlType } from './data-type.ts';
import { comparisonCommonType, fromArrowType, isInteger } from './data-type.ts';
import { columnValue } from './column.ts';
import { compileExpr } from './evaluate.ts';
import { planError, planningError, tableNotFound } from './errors.ts';
import { exprNullable, exprType } from './expr-type.ts';
import type { JoinType, LogicalPlan, PlanField, SortExpr } from './logical-plan.ts';
import { planSchema, qualifiedNames } from './logical-plan.ts';
import type { PlanExpr } from './plan-expr.ts';
import { anyExpr, col, exprColumns, exprOutputName, formatPlanExpr, replaceExpr, sameExpr } from './plan-expr.ts';
import type { SubqueryPlanner } from './plan-expression.ts';
import { planExpression } from './plan-expression.ts';
import type { QualifiedColumn } from './resolve-column.ts';
import { findField, inheritUsingColumns, registerUsingColumns, usingExcludedColumns } from './resolve-column.ts';
import type { CatalogProvider } from './table-provider.ts';
import { executionError, notImplemented } from './errors.ts';
import { planRangeSelect } from './plan-range-select.ts';
import type { OuterScope } from './plan-expression.ts';
import { registerNamedWindows, registerOuterScope } from './plan-expression.ts';
import {
  decorrelateSubqueries,
  hasCorrelatedSubquery,
  markCorrelated,
  resetDecorrelationNames,
} from './decorrelate-subquery.ts';

/** What the planner needs from the session. */
export interface PlannerContext {
  catalog: CatalogProvider;
  /** Defaults for unqualified table names: `greptime` and `public`. */
  defaultCatalog: string;
  defaultSchema: string;
  /** The session time zone (range queries align to its midnight and read `TO` times in it). */
  timeZone?: string;
}

interface Scope {
  context: PlannerContext;
  ctes: Map<string, LogicalPlan>;
  /** In a subquery: the enclosing query's columns its names may reach (correlated subqueries). */
  outer?: OuterScope;
}

/** Plans a query. Throws PlanQuery / TableNotFound / Unsupported (not planned yet) TesseraErrors. */
export function planQuery(query: Query, context: PlannerContext): LogicalPlan {
  resetDecorrelationNames();
  return planQueryIn(query, { context, ctes: new Map() });
}

function planQueryIn(query: Query, outer: Scope): LogicalPlan {
  const scope: Scope = { context: outer.context, ctes: new Map(outer.ctes), outer: outer.outer };
  if (query.with !== null) {
    if (query.with.recursive) throw notImplemented('Recursive CTEs');
    const seen = new Set<string>();
    for (const cte of query.with.ctes) {
      const name = cte.name.value;
      // As DataFusion, a name may not repeat in one WITH nor shadow a CTE of an enclosing query.
      if (seen.has(name) || scope.ctes.has(name)) {
        throw planningError(`WITH query name "${name}" specified more than once`);
      }
      seen.add(name);
      if (cte.body.kind !== 'query') throw notImplemented('TQL in CTEs');
      let plan = planQueryIn(cte.body, scope);
      if (cte.columns.length > 0)
        plan = renameColumns(
          plan,
          cte.columns.map((column) => column.value),
        );
      scope.ctes.set(name, plan);
    }
  }
  let plan: LogicalPlan;
  if (query.body.kind === 'select') {
    plan = planSelect(query.body, scope, query.orderBy);
  } else {
    plan = planSetExpr(query.body, scope);
    if (query.orderBy.length > 0) plan = planOutputSort(plan, query.orderBy);
  }
  if (query.limit !== null || query.offset !== null) {
    const fetch = query.limit === null ? null : constantCount(query.limit, 'LIMIT');
    const skip = query.offset === null ? 0 : (constantCount(query.offset, 'OFFSET') ?? 0);
    plan = { kind: 'limit', input: plan, skip, fetch };
  }
  return plan;
}

function constantCount(expr: Expr, clause: string): number | null {
  if (expr.kind === 'null') return null;
  if (expr.kind === 'number' && /^\d+$/.test(expr.text)) return Number(expr.text);
  // A constant expression (`LIMIT 2 - 1`) is evaluated once here.
  let value: unknown = null;
  try {
    const planned = planExpression(expr, []);
    if (isInteger(exprType(planned, []))) value = columnValue(compileExpr(planned, [])({ columns: [], length: 1 }), 0);
  } catch {
    value = null;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw planningError(`Unexpected expression in ${clause} clause`);
}

function planSetExpr(body: SetExpr, scope: Scope): LogicalPlan {
  switch (body.kind) {
    case 'select':
      return planSelect(body, scope, []);
    case 'query':
      return planQueryIn(body, scope);
    case 'values':
      return planValues(body);
    case 'set-operation': {
      if (body.op === 'INTERSECT' || body.op === 'EXCEPT') {
        if (body.quantifier === 'ALL') throw notImplemented(`${body.op} ALL`);
        return planIntersectExcept(body.op, planSetExpr(body.left, scope), planSetExpr(body.right, scope));
      }
      if (body.op !== 'UNION') throw notImplemented(`${body.op}`);
      const left = planSetExpr(body.left, scope);
      const right = planSetExpr(body.right, scope);
      const inputs = [...unionInputs(left, body.quantifier === 'ALL'), right];
      let plan = planUnion(inputs);
      if (body.quantifier !== 'ALL') plan = distinct(plan);
      return plan;
    }
  }
}

/** `a IS NOT DISTINCT FROM b`: equal, or both NULL. */
function notDistinct(left: PlanExpr, right: PlanExpr): PlanExpr {
  return {
    kind: 'case',
    operand: null,
    whens: [
      { when: { kind: 'is-null', expr: left, not: false }, then: { kind: 'is-null', expr: right, not: false } },
      { when: { kind: 'is-null', expr: right, not: false }, then: { kind: 'literal', type: 'Boolean', value: false } },
    ],
    elseExpr: { kind: 'binary', op: '=', left, right },
  };
}

/**
 * INTERSECT / EXCEPT (distinct): the left rows that have (or lack) a row of the right side equal
 * in every column, NULLs equal, as a join of the left side with the distinct right side.
 */
function planIntersectExcept(op: 'INTERSECT' | 'EXCEPT', leftInput: LogicalPlan, rightInput: LogicalPlan): LogicalPlan {
  const union = planUnion([leftInput, rightInput]);
  if (union.kind !== 'union') throw new Error('planUnion returns a union');
  const [left, right] = union.inputs;
  const leftFields = planSchema(left);
  const rightColumns: PlanExpr[] = planSchema(right).map((field, index) => ({
    kind: 'alias',
    expr: { kind: 'column', relation: field.relation, name: field.name },
    name: `__set_right_${index}`,
  }));
  const marker: PlanExpr = {
    kind: 'alias',
    expr: { kind: 'literal', type: 'Boolean', value: true },
    name: '__set_right',
  };
  const rightSide = distinct(projection(right, [...rightColumns, marker]));
  const conditions = leftFields.map((field, index) =>
    notDistinct({ kind: 'column', relation: field.relation, name: field.name }, col(`__set_right_${index}`)),
  );
  const on = conditions.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b }));
  let plan = join(left, rightSide, op === 'INTERSECT' ? 'inner' : 'left', on);
  if (op === 'EXCEPT') {
    plan = { kind: 'filter', input: plan, predicate: { kind: 'is-null', expr: col('__set_right'), not: false } };
  }
  const output = projection(
    plan,
    leftFields.map((field): PlanExpr => ({ kind: 'column', relation: field.relation, name: field.name })),
  );
  return distinct(output);
}

/** UNION ALL chains flatten into one Union node, as DataFusion builds them. */
function unionInputs(plan: LogicalPlan, all: boolean): LogicalPlan[] {
  return all && plan.kind === 'union' ? plan.inputs : [plan];
}

function planUnion(inputs: LogicalPlan[]): LogicalPlan {
  const first = planSchema(inputs[0]);
  for (const input of inputs) {
    if (planSchema(input).length !== first.length)
      throw planningError('UNION queries have different number of columns');
  }
  const types: SqlType[] = first.map((field, index) => {
    let type: SqlType = field.type;
    for (const input of inputs) {
      const other = planSchema(input)[index].type;
      // A string column makes the union's column a string (DataFusion's union coercion).
      const common =
        (type === 'Utf8' && other !== 'Null') || (other === 'Utf8' && type !== 'Null')
          ? 'Utf8'
          : comparisonCommonType(type, other);
      if (common === null)
        throw planningError(`UNION Column ${field.name} (type: ${type}) is not compatible with other type: ${other}`);
      type = common;
    }
    return type;
  });
  const coerced = inputs.map((input) => {
    const fields = planSchema(input);
    if (fields.every((field, index) => field.type === types[index])) return input;
    const exprs: PlanExpr[] = fields.map((field, index) => {
      const column: PlanExpr = { kind: 'column', relation: field.relation, name: field.name };
      return field.type === types[index]
        ? column
        : { kind: 'alias', expr: { kind: 'cast', expr: column, type: types[index], try: false }, name: field.name };
    });
    return projection(input, exprs);
  });
  const schema = first.map((field, index) => ({
    relation: null,
    name: field.name,
    type: types[index],
    nullable: coerced.some((input) => planSchema(input)[index].nullable),
  }));
  return { kind: 'union', inputs: coerced, schema };
}

function planValues(values: Values): LogicalPlan {
  const rows = values.rows.map((row) => row.map((expr) => planExpression(expr, [])));
  const width = rows[0]?.length ?? 0;
  for (const row of rows) {
    if (row.length !== width) throw planningError('Inconsistent data length across values list');
  }
  const schema: PlanField[] = [];
  for (let column = 0; column < width; column++) {
    let type: SqlType = 'Null';
    for (const row of rows) {
      const next = comparisonCommonType(type, exprType(row[column], []));
      if (next === null) throw planningError(`Inconsistent data type across values list at column ${column}`);
      type = next;
    }
    schema.push({ relation: null, name: `column${column + 1}`, type, nullable: true });
  }
  return { kind: 'values', rows, schema };
}

/** A projection node with its output schema derived from the expressions. */
export function projection(input: LogicalPlan, exprs: PlanExpr[]): LogicalPlan {
  const fields = planSchema(input);
  const schema: PlanField[] = exprs.map((expr) => {
    const type = exprType(expr, fields);
    const nullable = exprNullable(expr, fields);
    if (expr.kind === 'column') {
      const index = findField(fields, expr.relation, expr.name);
      return { relation: fields[index].relation, name: expr.name, type, nullable };
    }
    return { relation: null, name: exprOutputName(expr), type, nullable };
  });
  const seen = new Map<string, number>();
  schema.forEach((field, index) => {
    const key = `${field.relation ?? ''}.${field.name}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw planError(
        `Error during planning: Projections require unique expression names but the expression "${formatPlanExpr(exprs[previous])}" at position ${previous} and "${formatPlanExpr(exprs[index])}" at position ${index} have the same name. Consider aliasing ("AS") one of them.`,
      );
    }
    seen.set(key, index);
  });
  return { kind: 'projection', input, exprs, schema };
}

function renameColumns(plan: LogicalPlan, names: string[]): LogicalPlan {
  const fields = planSchema(plan);
  if (names.length > fields.length) {
    throw planningError(
      `Source table contains ${fields.length} columns but only ${names.length} names given as column alias`,
    );
  }
  return projection(
    plan,
    fields.map((field, index) => {
      const column: PlanExpr = { kind: 'column', relation: field.relation, name: field.name };
      return index < names.length ? { kind: 'alias', expr: column, name: names[index] } : column;
    }),
  );
}

function subqueryAlias(plan: LogicalPlan, alias: string): LogicalPlan {
  const schema = planSchema(plan).map((field) => ({ ...field, relation: alias }));
  return { kind: 'subquery-alias', input: plan, alias, schema };
}

function distinct(plan: LogicalPlan): LogicalPlan {
  const fields = planSchema(plan);
  const groupBy: PlanExpr[] = fields.map((field) => ({ kind: 'column', relation: field.relation, name: field.name }));
  return { kind: 'aggregate', input: plan, groupBy, aggregates: [], schema: fields };
}

// --- FROM --------------------------------------------------------------------------------

function planFrom(from: TableWithJoins[], scope: Scope): LogicalPlan {
  if (from.length === 0) return { kind: 'empty-relation', produceOneRow: true, schema: [] };
  let plan = planTableWithJoins(from[0], scope);
  for (const item of from.slice(1)) plan = join(plan, planTableWithJoins(item, scope), 'cross', null);
  return plan;
}

function join(left: LogicalPlan, right: LogicalPlan, joinType: JoinType, on: PlanExpr | null): LogicalPlan {
  const outer = (side: 'left' | 'right'): boolean => joinType === 'full' || (joinType === 'left' && side === 'right');
  const leftFields = planSchema(left).map((field) => (outer('left') ? { ...field, nullable: true } : field));
  const rightFields = planSchema(right).map((field) => (outer('right') ? { ...field, nullable: true } : field));
  const schema = [...leftFields, ...rightFields];
  inheritUsingColumns(schema, planSchema(left), planSchema(right));
  return { kind: 'join', left, right, joinType, on, schema };
}

function planTableWithJoins(item: TableWithJoins, scope: Scope): LogicalPlan {
  let plan = planFactor(item.relation, scope);
  for (const clause of item.joins) {
    const right = planFactor(clause.relation, scope);
    let type = clause.type;
    let left = plan;
    let other = right;
    if (type === 'RIGHT') {
      // A RIGHT join is a LEFT join with the sides swapped, then the columns put back in order.
      [left, other] = [right, left];
      type = 'LEFT';
    }
    if (type !== 'INNER' && type !== 'LEFT' && type !== 'FULL' && type !== 'CROSS')
      throw notImplemented(`${type} JOIN`);
    const combined = [...planSchema(left), ...planSchema(other)];
    let on: PlanExpr | null = null;
    const using: QualifiedColumn[][] = [];
    const constraint = clause.constraint;
    if (constraint.kind === 'on') {
      on = planExpression(constraint.expr, combined, (subquery) => planQueryIn(subquery, scope));
      if (anyExpr(on, (expr) => expr.kind === 'aggregate'))
        throw planningError('Aggregate functions are not allowed in ON');
      const onType = exprType(on, combined);
      if (onType !== 'Boolean' && onType !== 'Null')
        throw planningError(`Join condition must be boolean, got ${onType}`);
    } else if (constraint.kind === 'using' || constraint.kind === 'natural') {
      const leftFields = planSchema(left);
      const rightFields = planSchema(other);
      // NATURAL joins on every column name both sides have (a cross join when none).
      const names =
        constraint.kind === 'using'
          ? constraint.columns.map((column) => column.value)
          : [...new Set(leftFields.map((field) => field.name))].filter((name) =>
              rightFields.some((field) => field.name === name),
            );
      const parts: PlanExpr[] = names.map((name) => {
        const l = leftFields[findRequired(leftFields, name)];
        const r = rightFields[findRequired(rightFields, name)];
        using.push([
          { relation: l.relation, name: l.name },
          { relation: r.relation, name: r.name },
        ]);
        return {
          kind: 'binary',
          op: '=',
          left: { kind: 'column', relation: l.relation, name: l.name },
          right: { kind: 'column', relation: r.relation, name: r.name },
        };
      });
      on = parts.length === 0 ? null : parts.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b }));
    }
    const joinType: JoinType =
      type === 'CROSS' || (type === 'INNER' && on === null)
        ? 'cross'
        : type === 'LEFT'
          ? 'left'
          : type === 'FULL'
            ? 'full'
            : 'inner';
    let joined = join(left, other, joinType, on);
    if (clause.type === 'RIGHT') {
      const order = [...planSchema(right), ...planSchema(plan)].map((field): PlanExpr => ({
        kind: 'column',
        relation: field.relation,
        name: field.name,
      }));
      joined = projection(joined, [
        ...order.slice(planSchema(right).length),
        ...order.slice(0, planSchema(right).length),
      ]);
    }
    if (using.length > 0) registerUsingColumns(planSchema(joined), using);
    plan = joined;
  }
  return plan;
}

function findRequired(fields: PlanField[], name: string): number {
  const index = findField(fields, null, name);
  if (index === -1)
    throw planError(`Schema error: No field named ${name}. Valid fields are ${qualifiedNames(fields).join(', ')}.`);
  return index;
}

function planFactor(factor: TableFactor, scope: Scope): LogicalPlan {
  switch (factor.kind) {
    case 'table': {
      const parts = factor.name.parts.map((part) => part.value);
      const alias = factor.alias?.name.value ?? null;
      let plan: LogicalPlan;
      const cte = parts.length === 1 ? scope.ctes.get(parts[0]) : undefined;
      if (cte !== undefined) {
        plan = subqueryAlias(cte, alias ?? parts[0]);
      } else {
        const table = parts[parts.length - 1];
        const schema = parts.length >= 2 ? parts[parts.length - 2] : scope.context.defaultSchema;
        const catalog = parts.length >= 3 ? parts[parts.length - 3] : scope.context.defaultCatalog;
        const provider = scope.context.catalog.table(catalog, schema, table);
        if (provider === undefined) throw tableNotFound(`${catalog}.${schema}.${table}`);
        const fields: PlanField[] = provider.schema.arrow.fields.map((field) => ({
          relation: table,
          name: field.name,
          type: fromArrowType(field.type),
          nullable: field.nullable,
        }));
        plan = {
          kind: 'table-scan',
          tableName: table,
          table: provider,
          projection: null,
          filters: [],
          fetch: null,
          schema: fields,
        };
        if (alias !== null) plan = subqueryAlias(plan, alias);
      }
      if (factor.alias !== null && factor.alias.columns.length > 0) {
        plan = subqueryAlias(
          renameColumns(
            plan,
            factor.alias.columns.map((column) => column.value),
          ),
          alias!,
        );
      }
      return plan;
    }
    case 'derived': {
      if (factor.lateral) throw notImplemented('LATERAL');
      let plan = planQueryIn(factor.query, scope);
      if (factor.alias !== null) {
        if (factor.alias.columns.length > 0)
          plan = renameColumns(
            plan,
            factor.alias.columns.map((column) => column.value),
          );
        plan = subqueryAlias(plan, factor.alias.name.value);
      }
      return plan;
    }
    case 'nested-join': {
      const plan = planTableWithJoins(factor.join, scope);
      return factor.alias === null ? plan : subqueryAlias(plan, factor.alias.name.value);
    }
    case 'table-function':
      throw notImplemented('Table functions');
  }
}

// --- SELECT ------------------------------------------------------------------------------

/** Collects the distinct window expressions of `expr` (by printed text). */
function collectWindows(expr: PlanExpr, into: PlanExpr[]): void {
  replaceExpr(expr, (node) => {
    if (node.kind !== 'window') return node;
    if (!into.some((existing) => sameExpr(existing, node))) into.push(node);
    return col(formatPlanExpr(node));
  });
}

/** Replaces window expressions by the columns the Window node computes them into. */
function rewriteWindows(expr: PlanExpr, windows: PlanExpr[]): PlanExpr {
  if (windows.length === 0) return expr;
  return replaceExpr(expr, (node) => {
    if (node.kind !== 'window') return node;
    if (!windows.some((existing) => sameExpr(existing, node))) {
      throw planningError(`Window function ${formatPlanExpr(node)} must appear in the select list`);
    }
    return col(formatPlanExpr(node));
  });
}

function hasAggregate(expr: PlanExpr): boolean {
  return anyExpr(expr, (node) => node.kind === 'aggregate');
}

function collectAggregates(expr: PlanExpr, into: PlanExpr[]): void {
  replaceExpr(expr, (node) => {
    if (node.kind !== 'aggregate') return node;
    if (anyExpr({ ...node, kind: 'function' }, (inner) => inner !== node && inner.kind === 'aggregate')) {
      throw planningError('Aggregate functions cannot be nested');
    }
    if (!into.some((existing) => sameExpr(existing, node))) into.push(node);
    return { kind: 'literal', type: 'Null', value: null };
  });
}

/** Replaces group keys and aggregate calls by columns of the aggregate's output. */
function rewriteOverAggregate(
  expr: PlanExpr,
  groupBy: PlanExpr[],
  aggregates: PlanExpr[],
  fields: PlanField[],
): PlanExpr {
  const rewritten = replaceExpr(expr, (node) => {
    if (node.kind === 'alias') return node;
    if (aggregates.some((aggregate) => sameExpr(aggregate, node)) || groupBy.some((key) => sameExpr(key, node))) {
      if (node.kind === 'column') return { ...node };
      return { kind: 'column', relation: null, name: formatPlanExpr(node) };
    }
    return node;
  });
  for (const column of exprColumns(rewritten)) {
    if (column.kind !== 'column') continue;
    if (findField(fields, column.relation, column.name) === -1) {
      throw planningError(
        `Projection references non-aggregate values: Expression ${formatPlanExpr(column)} could not be resolved from available columns: ${qualifiedNames(fields).join(', ')}`,
      );
    }
  }
  return rewritten;
}

/** Every column of a range query's select item must be an output of its RangeSelect: DataFusion's error otherwise. */
function checkRangeColumns(expr: PlanExpr, fields: PlanField[]): void {
  for (const column of exprColumns(expr)) {
    if (column.kind !== 'column' || findField(fields, column.relation, column.name) !== -1) continue;
    const wanted = column.relation === null ? column.name : `${column.relation}.${column.name}`;
    const similar = qualifiedNames(fields).find(
      (name) => normalizedLevenshtein(name.toLowerCase(), wanted.toLowerCase()) >= 0.5,
    );
    throw executionError(
      similar === undefined
        ? `No field named ${wanted}. Valid fields are ${quotedNames(fields)}.`
        : `No field named ${wanted}. Did you mean '${similar}'?.`,
    );
  }
}

/** A name as DataFusion's schema errors print it: quoted unless a plain lower-case identifier. */
function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"`;
}

function quotedNames(fields: PlanField[]): string {
  return fields
    .map((field) => (field.relation === null ? '' : `${field.relation}.`) + quoteName(field.name))
    .join(', ');
}

/** 1 - edit distance / longer length (strsim's normalized_levenshtein, which DataFusion's hints use). */
function normalizedLevenshtein(a: string, b: string): number {
  if (a.length === 0 && b.length === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[b.length] / Math.max(a.length, b.length);
}

function unaliased(expr: PlanExpr): PlanExpr {
  return expr.kind === 'alias' ? expr.expr : expr;
}

function planSelect(select: Select, scope: Scope, orderBy: OrderByItem[]): LogicalPlan {
  if (select.qualify !== null) throw notImplemented('QUALIFY');
  const plan = planFrom(select.from, { ...scope, outer: undefined });
  const inputFields = planSchema(plan);
  // In a subquery, names not found here may be the enclosing query's columns (correlated).
  if (scope.outer !== undefined) registerOuterScope(inputFields, scope.outer);
  // `WINDOW w AS (...)`: what `OVER w` in this select means.
  if (select.windows.length > 0) {
    registerNamedWindows(inputFields, new Map(select.windows.map((window) => [window.name.value, window.spec])));
  }
  try {
    return planSelectOver(select, scope, orderBy, plan, inputFields);
  } finally {
    if (scope.outer !== undefined) registerOuterScope(inputFields, null);
    if (select.windows.length > 0) registerNamedWindows(inputFields, null);
  }
}

function planSelectOver(
  select: Select,
  scope: Scope,
  orderBy: OrderByItem[],
  from: LogicalPlan,
  fromFields: PlanField[],
): LogicalPlan {
  let plan = from;
  let inputFields = fromFields;
  // Subqueries see the query's CTEs and its columns; correlated ones are decorrelated into joins.
  const planSubquery: SubqueryPlanner = (subquery) => {
    const outer: OuterScope = { fields: inputFields, used: false };
    const planned = planQueryIn(subquery, { ...scope, outer });
    if (outer.used) markCorrelated(planned);
    return planned;
  };
  const outerFields = scope.outer === undefined ? inputFields : [...inputFields, ...scope.outer.fields];

  if (select.where !== null) {
    let predicate = planExpression(select.where, inputFields, planSubquery);
    if (hasAggregate(predicate)) throw planningError('Aggregate functions are not allowed in the WHERE clause');
    const type = exprType(predicate, outerFields);
    if (type !== 'Boolean' && type !== 'Null')
      throw planningError(
        `Cannot create filter with non-boolean predicate '${formatPlanExpr(predicate)}' returning ${type}`,
      );
    if (hasCorrelatedSubquery(predicate)) ({ plan, expr: predicate } = decorrelateSubqueries(plan, predicate));
    plan = { kind: 'filter', input: plan, predicate };
  }
  // A range query (ALIGN): its RANGE calls become columns of a range-select node over FROM and WHERE.
  const range = select.align === null ? null : planRangeSelect(select, plan, inputFields, scope.context.timeZone);

  // The select list, with wildcards expanded.
  let selectExprs: PlanExpr[] = [];
  for (const item of select.projection) {
    if (item.kind === 'wildcard') {
      const qualifier = item.qualifier?.parts[item.qualifier.parts.length - 1].value ?? null;
      // An unqualified * shows each USING / NATURAL join column once, as DataFusion does.
      const excluded = qualifier === null ? usingExcludedColumns(inputFields) : [];
      const matched = inputFields.filter(
        (field) =>
          (qualifier === null || field.relation === qualifier) &&
          !excluded.some((column) => column.relation === field.relation && column.name === field.name),
      );
      if (qualifier !== null && matched.length === 0) throw planError(`Invalid qualifier ${qualifier}`);
      if (qualifier === null && select.from.length === 0)
        throw planningError('SELECT * with no tables specified is not valid');
      for (const field of matched) selectExprs.push({ kind: 'column', relation: field.relation, name: field.name });
    } else {
      const expr = planExpression(item.expr, inputFields, planSubquery);
      selectExprs.push(item.alias === null ? expr : { kind: 'alias', expr, name: item.alias.value });
    }
  }
  // Correlated subqueries in the select list join the FROM before grouping; names stay as written.
  if (selectExprs.some(hasCorrelatedSubquery)) {
    if (range !== null) throw notImplemented('Correlated subqueries in a range query');
    selectExprs = selectExprs.map((expr) => {
      if (!hasCorrelatedSubquery(expr)) return expr;
      const result = decorrelateSubqueries(plan, expr);
      plan = result.plan;
      if (result.expr.kind === 'alias') return result.expr;
      return { kind: 'alias', expr: result.expr, name: exprOutputName(expr) };
    });
    inputFields = planSchema(plan);
  }

  if (select.distinct !== null && select.distinct.on !== null) {
    return planDistinctOn(select, select.distinct.on, plan, inputFields, selectExprs, orderBy);
  }

  // GROUP BY keys may name select aliases or ordinals, as in DataFusion.
  if (select.groupBy === 'all') throw notImplemented('GROUP BY ALL');
  const groupBy = select.groupBy.map((expr) => {
    if (expr.kind === 'number' && /^\d+$/.test(expr.text)) {
      const position = Number(expr.text);
      if (position < 1 || position > selectExprs.length) {
        throw planningError(
          `Cannot find column with position ${position} in SELECT clause. Valid columns: 1 to ${selectExprs.length}`,
        );
      }
      return unaliased(selectExprs[position - 1]);
    }
    if (
      expr.kind === 'identifier' &&
      expr.parts.length === 1 &&
      findField(inputFields, null, expr.parts[0].value) === -1
    ) {
      const aliased = selectExprs.find((item) => item.kind === 'alias' && item.name === expr.parts[0].value);
      if (aliased !== undefined) return unaliased(aliased);
    }
    return planExpression(expr, inputFields);
  });
  for (const key of groupBy) {
    if (hasAggregate(key)) throw planningError('Aggregate functions are not allowed in GROUP BY');
    exprType(key, inputFields);
  }

  const having = select.having === null ? null : planExpression(select.having, inputFields, planSubquery);
  if (having !== null && hasCorrelatedSubquery(having)) throw notImplemented('Correlated subqueries in HAVING');
  const aggregates: PlanExpr[] = [];
  for (const expr of selectExprs) collectAggregates(expr, aggregates);
  if (having !== null) collectAggregates(having, aggregates);
  // ORDER BY aggregates (ORDER BY count(*)) must be computed by the aggregate too.
  const orderExprs = orderBy.map((item) => {
    try {
      return planExpression(item.expr, inputFields, planSubquery);
    } catch {
      return null;
    }
  });
  for (const expr of orderExprs) if (expr !== null) collectAggregates(expr, aggregates);
  if (orderExprs.some((expr) => expr !== null && hasCorrelatedSubquery(expr))) {
    throw notImplemented('Correlated subqueries in ORDER BY');
  }

  const aggregated = range === null && (aggregates.length > 0 || groupBy.length > 0);
  let fieldsBeforeProjection = inputFields;
  if (range !== null) {
    const schema = range.plan.schema;
    if (aggregates.length > 0 || groupBy.length > 0 || having !== null) {
      const missing = aggregates.length > 0 ? formatPlanExpr(aggregates[0]) : 'GROUP BY / HAVING';
      throw executionError(`No field named ${quoteName(missing)}. Valid fields are ${quotedNames(schema)}.`);
    }
    plan = range.plan;
    fieldsBeforeProjection = schema;
    selectExprs = selectExprs.map((expr) => {
      const rewritten = replaceExpr(expr, (node) =>
        range.keys.some((key) => key.kind !== 'column' && sameExpr(key, node))
          ? { kind: 'column', relation: null, name: formatPlanExpr(node) }
          : node,
      );
      checkRangeColumns(rewritten, schema);
      return rewritten;
    });
  }
  if (aggregated) {
    for (const aggregate of aggregates) exprType(aggregate, inputFields);
    const schema: PlanField[] = [
      ...groupBy.map((key) => {
        if (key.kind === 'column') {
          const field = inputFields[findField(inputFields, key.relation, key.name)];
          return { ...field };
        }
        return { relation: null, name: formatPlanExpr(key), type: exprType(key, inputFields), nullable: true };
      }),
      ...aggregates.map((aggregate) => ({
        relation: null,
        name: formatPlanExpr(aggregate),
        type: exprType(aggregate, inputFields),
        nullable: exprNullable(aggregate, inputFields),
      })),
    ];
    plan = { kind: 'aggregate', input: plan, groupBy, aggregates, schema };
    fieldsBeforeProjection = schema;
    // An item keeps the name it had over the input (casts are transparent in names): avg(NULL)
    // for `avg(NULL::SMALLINT)`, although the aggregate's own column is named in full.
    selectExprs = selectExprs.map((expr) => {
      const rewritten = rewriteOverAggregate(expr, groupBy, aggregates, schema);
      if (expr.kind === 'alias' || rewritten.kind === 'alias') return rewritten;
      const name = exprOutputName(expr);
      return exprOutputName(rewritten) === name ? rewritten : { kind: 'alias', expr: rewritten, name };
    });
    if (having !== null) {
      const predicate = rewriteOverAggregate(having, groupBy, aggregates, schema);
      plan = { kind: 'filter', input: plan, predicate };
    }
  } else if (having !== null) {
    throw planningError('HAVING clause references non-aggregate values');
  }

  // Window functions run after grouping, over the aggregate's output, before the projection.
  const windowExprs: PlanExpr[] = [];
  for (const expr of selectExprs) collectWindows(expr, windowExprs);
  if (windowExprs.length > 0) {
    const windowInput = fieldsBeforeProjection;
    const schema: PlanField[] = [
      ...windowInput,
      ...windowExprs.map((expr) => ({
        relation: null,
        name: formatPlanExpr(expr),
        type: exprType(expr, windowInput),
        nullable: true,
      })),
    ];
    plan = { kind: 'window', input: plan, windowExprs, schema };
    fieldsBeforeProjection = schema;
    selectExprs = selectExprs.map((expr) => rewriteWindows(expr, windowExprs));
  }

  // ORDER BY: an ordinal or output alias refers to the select list; anything else is planned
  // over the projection's input and, when the select list lacks it, carried as a hidden column.
  const sorts: { expr: PlanExpr; item: OrderByItem }[] = [];
  const hidden: PlanExpr[] = [];
  const isDistinct = select.distinct !== null;
  orderBy.forEach((item, index) => {
    const expr = item.expr;
    if (expr.kind === 'number' && /^\d+$/.test(expr.text)) {
      const position = Number(expr.text);
      if (position < 1 || position > selectExprs.length) {
        throw planningError(`Order by column out of bounds, specified: ${position}, max: ${selectExprs.length}`);
      }
      sorts.push({ expr: outputColumn(selectExprs[position - 1], fieldsBeforeProjection), item });
      return;
    }
    if (expr.kind === 'identifier' && expr.parts.length === 1) {
      const aliased = selectExprs.find(
        (candidate) => candidate.kind === 'alias' && candidate.name === expr.parts[0].value,
      );
      if (aliased !== undefined) {
        sorts.push({ expr: { kind: 'column', relation: null, name: expr.parts[0].value }, item });
        return;
      }
    }
    let planned = orderExprs[index] ?? planExpression(expr, inputFields, planSubquery);
    if (aggregated) planned = rewriteOverAggregate(planned, groupBy, aggregates, fieldsBeforeProjection);
    else if (range !== null) planned = rewriteOverAggregate(planned, range.keys, [], fieldsBeforeProjection);
    planned = rewriteWindows(planned, windowExprs);
    const matching = selectExprs.find((candidate) => sameExpr(unaliased(candidate), planned));
    if (matching !== undefined) {
      sorts.push({ expr: outputColumn(matching, fieldsBeforeProjection), item });
      return;
    }
    if (isDistinct) {
      throw planningError(
        `For SELECT DISTINCT, ORDER BY expressions ${formatPlanExpr(planned)} must appear in select list`,
      );
    }
    exprType(planned, fieldsBeforeProjection);
    // A hidden column is carried through the projection under its own printed name.
    for (const column of exprColumns(planned)) {
      if (
        column.kind === 'column' &&
        !hidden.some((existing) => sameExpr(existing, column)) &&
        !selectExprs.some((candidate) => sameExpr(candidate, column))
      ) {
        hidden.push(column);
      }
    }
    sorts.push({ expr: planned, item });
  });

  plan = projection(plan, [...selectExprs, ...hidden]);
  if (isDistinct) plan = distinct(plan);
  if (sorts.length > 0) {
    const orderByExprs: SortExpr[] = sorts.map(({ expr, item }) => {
      const asc = item.asc ?? true;
      return { expr, asc, nullsFirst: item.nullsFirst ?? !asc };
    });
    plan = { kind: 'sort', input: plan, orderBy: orderByExprs, fetch: null };
  }
  if (hidden.length > 0) {
    const visible = planSchema(plan).slice(0, selectExprs.length);
    plan = projection(
      plan,
      visible.map((field): PlanExpr => ({ kind: 'column', relation: field.relation, name: field.name })),
    );
  }
  return plan;
}

/**
 * `SELECT DISTINCT ON (k) items ... ORDER BY k, o`: as DataFusion's DistinctOn, one row per key —
 * each item is `first_value(item ORDER BY <ORDER BY>)` grouped by the keys, then sorted by the
 * ORDER BY items the select list carries. The ORDER BY must start with the keys.
 */
function planDistinctOn(
  select: Select,
  on: Expr[],
  input: LogicalPlan,
  inputFields: PlanField[],
  selectExprs: PlanExpr[],
  orderBy: OrderByItem[],
): LogicalPlan {
  if (select.groupBy === 'all' || select.groupBy.length > 0 || select.having !== null) {
    throw notImplemented('DISTINCT ON with GROUP BY or HAVING');
  }
  if (selectExprs.some((expr) => hasAggregate(expr) || anyExpr(expr, (node) => node.kind === 'window'))) {
    throw notImplemented('DISTINCT ON with aggregates or window functions');
  }
  const keys = on.map((expr) => planExpression(expr, inputFields));
  const sorts = orderBy.map((item) => {
    const aliased =
      item.expr.kind === 'identifier' && item.expr.parts.length === 1
        ? selectExprs.find(
            (expr) =>
              expr.kind === 'alias' && expr.name === (item.expr as { parts: { value: string }[] }).parts[0].value,
          )
        : undefined;
    const expr = aliased !== undefined ? unaliased(aliased) : planExpression(item.expr, inputFields);
    const asc = item.asc ?? true;
    return { expr, asc, nullsFirst: item.nullsFirst ?? !asc };
  });
  keys.forEach((key, index) => {
    if (index < sorts.length && !sameExpr(sorts[index].expr, key)) {
      throw planningError('SELECT DISTINCT ON expressions must match initial ORDER BY expressions');
    }
  });
  const aggregates: PlanExpr[] = selectExprs.map((expr) => ({
    kind: 'aggregate',
    name: 'first_value',
    args: [unaliased(expr)],
    distinct: false,
    star: false,
    ...(sorts.length > 0 ? { orderBy: sorts } : {}),
  }));
  const schema: PlanField[] = [
    ...keys.map((key) => ({
      relation: null,
      name: formatPlanExpr(key),
      type: exprType(key, inputFields),
      nullable: true,
    })),
    ...aggregates.map((aggregate) => ({
      relation: null,
      name: formatPlanExpr(aggregate),
      type: exprType(aggregate, inputFields),
      nullable: true,
    })),
  ];
  let plan: LogicalPlan = { kind: 'aggregate', input, groupBy: keys, aggregates, schema };
  plan = projection(
    plan,
    aggregates.map((aggregate, index): PlanExpr => ({
      kind: 'alias',
      expr: { kind: 'column', relation: null, name: formatPlanExpr(aggregate) },
      name: exprOutputName(selectExprs[index]),
    })),
  );
  const outputSorts: SortExpr[] = [];
  for (const sort of sorts) {
    const index = selectExprs.findIndex((expr) => sameExpr(unaliased(expr), sort.expr));
    if (index === -1) continue;
    outputSorts.push({ ...sort, expr: { kind: 'column', relation: null, name: exprOutputName(selectExprs[index]) } });
  }
  return outputSorts.length === 0 ? plan : { kind: 'sort', input: plan, orderBy: outputSorts, fetch: null };
}

/** The column a select item becomes in the projection's output. */
function outputColumn(expr: PlanExpr, fields: PlanField[]): PlanExpr {
  if (expr.kind === 'column') {
    const field = fields[findField(fields, expr.relation, expr.name)];
    return { kind: 'column', relation: field?.relation ?? expr.relation, name: expr.name };
  }
  return { kind: 'column', relation: null, name: exprOutputName(expr) };
}

/** ORDER BY over a set operation's output: names, aliases and ordinals of the output only. */
function planOutputSort(plan: LogicalPlan, orderBy: OrderByItem[]): LogicalPlan {
  const fields = planSchema(plan);
  const sorts: SortExpr[] = orderBy.map((item) => {
    let expr: PlanExpr;
    if (item.expr.kind === 'number' && /^\d+$/.test(item.expr.text)) {
      const position = Number(item.expr.text);
      if (position < 1 || position > fields.length) {
        throw planningError(`Order by column out of bounds, specified: ${position}, max: ${fields.length}`);
      }
      const field = fields[position - 1];
      expr = { kind: 'column', relation: field.relation, name: field.name };
    } else expr = planExpression(item.expr, fields);
    exprType(expr, fields);
    const asc = item.asc ?? true;
    return { expr, asc, nullsFirst: item.nullsFirst ?? !asc };
  });
  return { kind: 'sort', input: plan, orderBy: sorts, fetch: null };
}
