/**
 * Prints expressions, names, literals and data types back to SQL.
 *
 * The output parses back to the same tree (`parse(format(ast))` equals `ast` apart from
 * spans): parentheses written by the user are `nested` nodes and print as such, and the printer
 * adds parentheses only where an operand binds more loosely than its operator, which a parsed
 * tree never needs but a tree built by code might. Keywords are upper case; names print as
 * written (their `text`), quoted the way they were quoted.
 */
import type { DataType } from './ast-data-type.ts';
import type {
  BinaryExpr,
  Expr,
  FunctionArg,
  FunctionCall,
  Ident,
  ObjectName,
  OrderByItem,
  WindowFrameBound,
  WindowSpec,
} from './ast-expression.ts';
import { formatQuery } from './format-statement.ts';
import { Precedence } from './precedence.ts';

/** Stands for "never": the open end of a closed form (atom, bracketed or postfix expression). */
const CLOSED = 1000;

/** Prints an expression. */
export function formatExpr(expr: Expr): string {
  return formatIn(expr, 0);
}

/**
 * Prints `expr` so that it parses back to the same tree where the parser runs with binding
 * power `context` (the right operand of `*` is parsed at 40, the top level at 0): an infix or
 * postfix operator that binds no tighter than the context is parenthesized.
 */
function formatIn(expr: Expr, context: number): string {
  const precedence = operatorPrecedence(expr);
  if (precedence !== null && precedence <= context) return `(${formatBare(expr, 0)})`;
  return formatBare(expr, context);
}

/**
 * The left operand of an infix or postfix operator binding with `precedence`, inside `context`.
 * An operand whose right end is open (`a + b`, `NOT b`) would swallow a tighter operator that
 * follows it, so it needs parentheses then; a closed one (`x::int`, `f(x)`) never does.
 */
function formatLeft(expr: Expr, context: number, precedence: number): string {
  if (openEnd(expr) < precedence) return `(${formatBare(expr, 0)})`;
  return formatIn(expr, context);
}

/** The binding power of an infix or postfix form at the top of `expr`; null for atoms and prefixes. */
function operatorPrecedence(expr: Expr): number | null {
  switch (expr.kind) {
    case 'binary':
      return binaryPrecedence(expr.op);
    case 'quantified':
    case 'between':
    case 'in-list':
    case 'in-subquery':
      return Precedence.Eq;
    case 'is':
    case 'is-distinct-from':
      return Precedence.Is;
    case 'like':
      return Precedence.Like;
    case 'at-time-zone':
      return Precedence.AtTimeZone;
    case 'cast':
      return expr.syntax === '::' ? Precedence.DoubleColon : null;
    case 'subscript':
    case 'slice':
      return Precedence.DoubleColon;
    case 'range':
      return Precedence.Range;
    default:
      return null;
  }
}

/**
 * The lowest binding power at which an operator written right after `expr` would be taken
 * into `expr` instead of applying to all of it (`a = NOT b IS NULL` reads `NOT (b IS NULL)`).
 */
function openEnd(expr: Expr): number {
  switch (expr.kind) {
    case 'binary':
      return Math.min(binaryPrecedence(expr.op), openEnd(expr.right));
    case 'unary':
      return Math.min(unaryOperandPrecedence(expr.op), openEnd(expr.operand));
    case 'between':
      return Math.min(Precedence.Between, openEnd(expr.high));
    case 'like':
      return Math.min(Precedence.Like, openEnd(expr.escape ?? expr.pattern));
    case 'is-distinct-from':
      return Math.min(Precedence.Is, openEnd(expr.right));
    case 'at-time-zone':
      return Math.min(Precedence.AtTimeZone, openEnd(expr.timeZone));
    default:
      return CLOSED;
  }
}

/** The binding power a prefix operator parses its operand with. */
function unaryOperandPrecedence(op: string): number {
  if (op === 'NOT') return Precedence.UnaryNot;
  if (op === '~') return Precedence.PlusMinus;
  return Precedence.MulDivMod;
}

function formatBare(expr: Expr, context: number): string {
  switch (expr.kind) {
    case 'identifier':
      return expr.parts.map(formatIdent).join('.');
    case 'number':
      return expr.text;
    case 'string':
      return formatString(expr.value, expr.prefix);
    case 'hex':
      return `X'${expr.digits}'`;
    case 'boolean':
      return expr.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'typed-string':
      return `${formatDataType(expr.dataType)} ${formatString(expr.value)}`;
    case 'interval': {
      // The value is read as a prefix expression: anything more needs parentheses.
      const simple = expr.value.kind === 'unary' || operatorPrecedence(expr.value) === null;
      const value = simple ? formatExpr(expr.value) : `(${formatExpr(expr.value)})`;
      let text = `INTERVAL ${value}`;
      if (expr.unit !== null) text += ` ${expr.unit}`;
      if (expr.toUnit !== null) text += ` TO ${expr.toUnit}`;
      return text;
    }
    case 'placeholder':
      return expr.text;
    case 'default':
      return 'DEFAULT';
    case 'unary': {
      const operand = formatIn(expr.operand, unaryOperandPrecedence(expr.op));
      if (expr.op === 'NOT') return `NOT ${operand}`;
      // `- -1` must not become `--1`, which starts a comment.
      return /^[-+]/.test(operand) ? `${expr.op} ${operand}` : `${expr.op}${operand}`;
    }
    case 'binary':
      return formatBinaryChain(expr, context);
    case 'quantified': {
      const right = expr.right.kind === 'query' ? formatQuery(expr.right) : formatExpr(expr.right);
      return `${formatLeft(expr.left, context, Precedence.Eq)} ${expr.op} ${expr.quantifier} (${right})`;
    }
    case 'is':
      return `${formatLeft(expr.expr, context, Precedence.Is)} IS ${expr.not ? 'NOT ' : ''}${expr.test}`;
    case 'is-distinct-from': {
      const left = formatLeft(expr.left, context, Precedence.Is);
      return `${left} IS ${expr.not ? 'NOT ' : ''}DISTINCT FROM ${formatIn(expr.right, Precedence.Is)}`;
    }
    case 'between': {
      const left = formatLeft(expr.expr, context, Precedence.Between);
      const low = formatIn(expr.low, Precedence.Between);
      return `${left} ${expr.not ? 'NOT ' : ''}BETWEEN ${low} AND ${formatIn(expr.high, Precedence.Between)}`;
    }
    case 'in-list': {
      const left = formatLeft(expr.expr, context, Precedence.Between);
      return `${left} ${expr.not ? 'NOT ' : ''}IN (${expr.list.map(formatExpr).join(', ')})`;
    }
    case 'in-subquery': {
      const left = formatLeft(expr.expr, context, Precedence.Between);
      return `${left} ${expr.not ? 'NOT ' : ''}IN (${formatQuery(expr.query)})`;
    }
    case 'like': {
      const left = formatLeft(expr.expr, context, Precedence.Like);
      let text = `${left} ${expr.not ? 'NOT ' : ''}${expr.op} ${formatIn(expr.pattern, Precedence.Like)}`;
      if (expr.escape !== null) text += ` ESCAPE ${formatIn(expr.escape, Precedence.Like)}`;
      return text;
    }
    case 'exists':
      return `${expr.not ? 'NOT ' : ''}EXISTS (${formatQuery(expr.query)})`;
    case 'subquery':
      return `(${formatQuery(expr.query)})`;
    case 'function':
      return formatFunctionCall(expr);
    case 'cast':
      if (expr.syntax === '::') {
        return `${formatLeft(expr.expr, context, Precedence.DoubleColon)}::${formatDataType(expr.dataType)}`;
      }
      return `${expr.syntax}(${formatExpr(expr.expr)} AS ${formatDataType(expr.dataType)})`;
    case 'case': {
      const parts = ['CASE'];
      if (expr.operand !== null) parts.push(formatExpr(expr.operand));
      for (const when of expr.whens) parts.push(`WHEN ${formatExpr(when.condition)} THEN ${formatExpr(when.result)}`);
      if (expr.elseResult !== null) parts.push(`ELSE ${formatExpr(expr.elseResult)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'extract':
      return `EXTRACT(${expr.field} FROM ${formatExpr(expr.expr)})`;
    case 'position':
      return `POSITION(${formatIn(expr.needle, Precedence.Between)} IN ${formatExpr(expr.haystack)})`;
    case 'substring': {
      let text = `SUBSTRING(${formatExpr(expr.expr)}`;
      if (expr.from !== null) text += ` FROM ${formatExpr(expr.from)}`;
      if (expr.for !== null) text += ` FOR ${formatExpr(expr.for)}`;
      return `${text})`;
    }
    case 'trim': {
      const parts: string[] = [];
      if (expr.where !== null) parts.push(expr.where);
      if (expr.chars !== null) parts.push(formatExpr(expr.chars));
      if (parts.length > 0) parts.push('FROM');
      parts.push(formatExpr(expr.expr));
      return `TRIM(${parts.join(' ')})`;
    }
    case 'array':
      return `${expr.keyword ? 'ARRAY' : ''}[${expr.elements.map(formatExpr).join(', ')}]`;
    case 'subscript':
      return `${formatLeft(expr.expr, context, Precedence.DoubleColon)}[${formatExpr(expr.index)}]`;
    case 'slice': {
      const bound = (e: Expr | null) => (e === null ? '' : formatExpr(e));
      const stride = expr.stride === null ? '' : `:${formatExpr(expr.stride)}`;
      const left = formatLeft(expr.expr, context, Precedence.DoubleColon);
      return `${left}[${bound(expr.lower)}:${bound(expr.upper)}${stride}]`;
    }
    case 'tuple':
      return `(${expr.elements.map(formatExpr).join(', ')})`;
    case 'nested':
      return `(${formatExpr(expr.expr)})`;
    case 'at-time-zone': {
      const left = formatLeft(expr.expr, context, Precedence.AtTimeZone);
      return `${left} AT TIME ZONE ${formatIn(expr.timeZone, Precedence.AtTimeZone)}`;
    }
    case 'range': {
      const range = expr.range.kind === 'string' ? formatExpr(expr.range) : `(${formatExpr(expr.range)})`;
      const fill = expr.fill === null ? '' : ` FILL ${expr.fill}`;
      return `${formatLeft(expr.expr, context, Precedence.Range)} RANGE ${range}${fill}`;
    }
  }
}

/**
 * A binary operator and the operators down its left side that need no parentheses, printed
 * without recursing down that side: `a AND b AND c ...` is a left-deep tree as deep as it is
 * long, and generated SQL can make it thousands deep.
 */
function formatBinaryChain(top: BinaryExpr, context: number): string {
  const chain: BinaryExpr[] = [top];
  for (;;) {
    const current = chain[chain.length - 1];
    const left = current.left;
    if (left.kind !== 'binary') break;
    const leftPrecedence = binaryPrecedence(left.op);
    if (openEnd(left) < binaryPrecedence(current.op) || leftPrecedence <= context) break;
    chain.push(left);
  }
  const bottom = chain[chain.length - 1];
  let text = formatLeft(bottom.left, context, binaryPrecedence(bottom.op));
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i];
    text += ` ${node.op} ${formatIn(node.right, binaryPrecedence(node.op))}`;
  }
  return text;
}

function binaryPrecedence(op: string): number {
  switch (op) {
    case 'OR':
      return Precedence.Or;
    case 'AND':
      return Precedence.And;
    case 'XOR':
      return Precedence.Xor;
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '<=>':
    case '~':
    case '~*':
    case '!~':
    case '!~*':
      return Precedence.Eq;
    case '|':
      return Precedence.Pipe;
    case '^':
    case '<<':
    case '>>':
      return Precedence.Caret;
    case '&':
      return Precedence.Ampersand;
    case '+':
    case '-':
      return Precedence.PlusMinus;
    case '*':
    case '/':
    case '%':
    case '||':
    case 'DIV':
      return Precedence.MulDivMod;
    default:
      return Precedence.PgOther;
  }
}

/** A string literal, quotes doubled; `E` strings re-escape backslashes and control characters. */
export function formatString(value: string, prefix: '' | 'E' | 'N' = ''): string {
  if (prefix === 'E') {
    const escaped = value.replace(/[\\'\n\t\r\b\f\0\x1a]/g, (ch) => ESCAPES[ch] ?? ch);
    return `E'${escaped}'`;
  }
  return `${prefix}'${value.replace(/'/g, "''")}'`;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\0': '\\0',
  '\x1a': '\\Z',
};

const PLAIN_NAME = /^[\p{L}_#@][\p{L}\p{N}_@$#]*$/u;

/** A name as written; a name built by code that is not a plain word gets double quotes. */
export function formatIdent(ident: Ident): string {
  switch (ident.quote) {
    case '"':
      return `"${ident.text.replace(/"/g, '""')}"`;
    case '`':
      return `\`${ident.text.replace(/`/g, '``')}\``;
    case "'":
      return formatString(ident.text);
    default:
      return PLAIN_NAME.test(ident.text) ? ident.text : `"${ident.text.replace(/"/g, '""')}"`;
  }
}

/** `db.table`. */
export function formatObjectName(name: ObjectName): string {
  return name.parts.map(formatIdent).join('.');
}

/** A data type, e.g. `TIMESTAMP(3)`, `DECIMAL(10, 2)`, `INT UNSIGNED`, `INT[]`. */
export function formatDataType(type: DataType): string {
  let text = type.name;
  if (type.params.length > 0) text += `(${type.params.join(', ')})`;
  if (type.unsigned) text += ' UNSIGNED';
  if (type.timeZone === 'with') text += ' WITH TIME ZONE';
  if (type.timeZone === 'without') text += ' WITHOUT TIME ZONE';
  return text + '[]'.repeat(type.arrayDepth);
}

function formatFunctionArg(arg: FunctionArg): string {
  switch (arg.kind) {
    case 'wildcard':
      return arg.qualifier === null ? '*' : `${formatObjectName(arg.qualifier)}.*`;
    case 'named-argument':
      return `${formatIdent(arg.name)} => ${formatExpr(arg.value)}`;
    default:
      return formatExpr(arg);
  }
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`. */
export function formatOrderByItem(item: OrderByItem): string {
  let text = formatExpr(item.expr);
  if (item.asc !== null) text += item.asc ? ' ASC' : ' DESC';
  if (item.nullsFirst !== null) text += item.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return text;
}

function formatFunctionCall(call: FunctionCall): string {
  const name = formatObjectName(call.name);
  if (!call.parens) return name;
  let inner = call.args.map(formatFunctionArg).join(', ');
  if (call.distinct) inner = `DISTINCT ${inner}`;
  if (call.orderBy.length > 0) inner += ` ORDER BY ${call.orderBy.map(formatOrderByItem).join(', ')}`;
  let text = `${name}(${inner.trim()})`;
  if (call.withinGroup.length > 0)
    text += ` WITHIN GROUP (ORDER BY ${call.withinGroup.map(formatOrderByItem).join(', ')})`;
  if (call.filter !== null) text += ` FILTER (WHERE ${formatExpr(call.filter)})`;
  if (call.nullTreatment !== null) text += ` ${call.nullTreatment}`;
  if (call.over !== null)
    text += ` OVER ${'partitionBy' in call.over ? formatWindowSpec(call.over) : formatIdent(call.over)}`;
  return text;
}

/** `(base PARTITION BY ... ORDER BY ... ROWS BETWEEN ... AND ...)`. */
export function formatWindowSpec(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.baseName !== null) parts.push(formatIdent(spec.baseName));
  if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${spec.partitionBy.map(formatExpr).join(', ')}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${spec.orderBy.map(formatOrderByItem).join(', ')}`);
  if (spec.frame !== null) {
    const frame = spec.frame;
    parts.push(
      frame.end === null
        ? `${frame.units} ${formatFrameBound(frame.start)}`
        : `${frame.units} BETWEEN ${formatFrameBound(frame.start)} AND ${formatFrameBound(frame.end)}`,
    );
  }
  return `(${parts.join(' ')})`;
}

function formatFrameBound(bound: WindowFrameBound): string {
  if (bound.kind === 'current-row') return 'CURRENT ROW';
  const offset = bound.offset === null ? 'UNBOUNDED' : formatIn(bound.offset, Precedence.Between);
  return `${offset} ${bound.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'}`;
}
