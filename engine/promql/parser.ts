/**
 * The PromQL parser (Prometheus 2.x syntax): precedence climbing over `lexer.ts` tokens,
 * building `ast.ts` nodes and checking types as Prometheus does (function arguments, scalar
 * comparisons need `bool`, set operators need vectors). Syntax errors carry `line:column`.
 */
import type {
  AggregateExpr,
  AtModifier,
  BinaryExpr,
  Expr,
  LabelMatcher,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { AGGREGATIONS, FUNCTION_SIGNATURES } from './function-signatures.ts';
import { tokenize } from './lexer.ts';
import type { Token } from './lexer.ts';
import { promqlSyntaxError, promqlTypeError } from './promql-error.ts';
import { promqlRegex } from './regex.ts';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

const COMPARISONS = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);

/** Whether `op` is a comparison operator (`==`, `<`, ...). */
export function isComparison(op: string): boolean {
  return COMPARISONS.has(op);
}

/** Whether `op` is `and`, `or` or `unless`. */
export function isSetOperator(op: string): boolean {
  return SET_OPERATORS.has(op);
}

/** The type an expression evaluates to. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'vector';
    case 'matrix':
    case 'subquery':
      return 'matrix';
    case 'call':
      return FUNCTION_SIGNATURES[expr.func].returns;
    case 'aggregate':
      return 'vector';
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(expr.expr);
  }
}

/** Parses a PromQL query; throws TesseraError InvalidSyntax (2000) with the position. */
export function parsePromql(text: string): Expr {
  const parser = new PromqlParser(text);
  return parser.parseQuery();
}

class PromqlParser {
  private readonly tokens: Token[];
  private index = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  parseQuery(): Expr {
    if (this.peek().kind === 'eof') throw this.error('no expression found in input', this.peek());
    const expr = this.parseExpr(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') throw this.error(`unexpected ${describe(rest)}`, rest);
    return expr;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isOp(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'op' && token.text === text;
  }

  private isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }

  private expectOp(text: string, context: string): Token {
    const token = this.peek();
    if (!this.isOp(text)) throw this.error(`unexpected ${describe(token)} in ${context}, expected "${text}"`, token);
    return this.next();
  }

  private error(message: string, token: Token) {
    return promqlSyntaxError(message, this.text, token.pos);
  }

  private binaryOperator(): string | null {
    const token = this.peek();
    if (token.kind === 'op' && PRECEDENCE[token.text] !== undefined) return token.text;
    if (token.kind === 'ident') {
      const word = token.text.toLowerCase();
      if (word === 'and' || word === 'or' || word === 'unless' || word === 'atan2') return word;
    }
    return null;
  }

  private parseExpr(minPrecedence: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.binaryOperator();
      if (op === null) break;
      const precedence = PRECEDENCE[op];
      if (precedence < minPrecedence) break;
      const opToken = this.next();
      let returnBool = false;
      if (this.isWord('bool')) {
        if (!COMPARISONS.has(op))
          throw this.error('bool modifier can only be used on comparison operators', this.peek());
        this.next();
        returnBool = true;
      }
      const matching = this.parseMatching(op);
      const rhs = this.parseExpr(op === '^' ? precedence : precedence + 1);
      lhs = this.checkBinary({ type: 'binary', op, lhs, rhs, returnBool, matching, pos: lhs.pos }, opToken);
    }
    return lhs;
  }

  private parseMatching(op: string): VectorMatching | null {
    if (!this.isWord('on') && !this.isWord('ignoring')) {
      if (this.isWord('group_left') || this.isWord('group_right')) {
        throw this.error('unexpected <group_left/group_right> without on/ignoring', this.peek());
      }
      return SET_OPERATORS.has(op) ? { card: 'many-to-many', on: false, labels: [], include: [] } : null;
    }
    const on = this.next().text.toLowerCase() === 'on';
    const labels = this.parseLabelList();
    let card: VectorMatching['card'] = SET_OPERATORS.has(op) ? 'many-to-many' : 'one-to-one';
    let include: string[] = [];
    if (this.isWord('group_left') || this.isWord('group_right')) {
      const groupToken = this.next();
      if (SET_OPERATORS.has(op)) throw this.error(`no grouping allowed for "${op}" operation`, groupToken);
      card = groupToken.text.toLowerCase() === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.isOp('(')) include = this.parseLabelList();
    }
    return { card, on, labels, include };
  }

  private parseLabelList(): string[] {
    this.expectOp('(', 'grouping opts');
    const labels: string[] = [];
    while (!this.isOp(')')) {
      const token = this.next();
      if (token.kind !== 'ident' && token.kind !== 'string') {
        throw this.error(`unexpected ${describe(token)} in grouping opts, expected label`, token);
      }
      labels.push(token.text);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')', 'grouping opts');
    return labels;
  }

  private checkBinary(expr: BinaryExpr, opToken: Token): Expr {
    const lt = typeOf(expr.lhs);
    const rt = typeOf(expr.rhs);
    for (const [side, type] of [
      [expr.lhs, lt],
      [expr.rhs, rt],
    ] as const) {
      if (type !== 'scalar' && type !== 'vector') {
        throw promqlSyntaxError(
          `binary expression must contain only scalar and instant vector types`,
          this.text,
          side.pos,
        );
      }
    }
    if (SET_OPERATORS.has(expr.op) && (lt === 'scalar' || rt === 'scalar')) {
      throw this.error(`set operator "${expr.op}" not allowed in binary scalar expression`, opToken);
    }
    if (COMPARISONS.has(expr.op) && lt === 'scalar' && rt === 'scalar' && !expr.returnBool) {
      throw promqlTypeError('comparisons between scalars must use BOOL modifier');
    }
    if (
      expr.matching &&
      (lt === 'scalar' || rt === 'scalar') &&
      (expr.matching.on || expr.matching.labels.length > 0)
    ) {
      throw this.error('vector matching only allowed between instant vectors', opToken);
    }
    if (lt === 'vector' && rt === 'vector' && expr.matching === null) {
      expr.matching = { card: 'one-to-one', on: false, labels: [], include: [] };
    }
    return expr;
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const token = this.next();
      const operand = this.parseExpr(PRECEDENCE['^']);
      const type = typeOf(operand);
      if (type !== 'scalar' && type !== 'vector') {
        throw this.error('unary expression only allowed on expressions of type scalar or instant vector', token);
      }
      if (operand.type === 'number') {
        return { type: 'number', value: token.text === '-' ? -operand.value : operand.value, pos: token.pos };
      }
      return { type: 'unary', op: token.text as '-' | '+', expr: operand, pos: token.pos };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.next();
        return { type: 'number', value: token.value, pos: token.pos };
      case 'string':
        this.next();
        return { type: 'string', value: token.text, pos: token.pos };
      case 'op':
        if (token.text === '(') {
          this.next();
          const expr = this.parseExpr(0);
          this.expectOp(')', 'paren expression');
          return { type: 'paren', expr, pos: token.pos };
        }
        if (token.text === '{') return this.parseSelector('', token);
        break;
      case 'ident': {
        const word = token.text.toLowerCase();
        if (word in AGGREGATIONS && (this.isOp('(', 1) || this.isWord('by', 1) || this.isWord('without', 1))) {
          return this.parseAggregate();
        }
        if (this.isOp('(', 1)) return this.parseCall();
        this.next();
        return this.parseSelector(token.text, token);
      }
      default:
        break;
    }
    throw this.error(`unexpected ${describe(token)}`, token);
  }

  private parseCall(): Expr {
    const nameToken = this.next();
    const name = nameToken.text;
    const signature = FUNCTION_SIGNATURES[name];
    if (signature === undefined) throw this.error(`unknown function with name "${name}"`, nameToken);
    this.expectOp('(', 'function call');
    const args: Expr[] = [];
    while (!this.isOp(')')) {
      args.push(this.parseExpr(0));
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')', 'function call');
    const required = signature.optional === -1 ? signature.args.length - 1 : signature.args.length - signature.optional;
    if (args.length < required || (signature.optional !== -1 && args.length > signature.args.length)) {
      throw this.error(
        `expected ${signature.args.length === required ? '' : 'at least '}${required} argument(s) in call to "${name}", got ${args.length}`,
        nameToken,
      );
    }
    args.forEach((arg, i) => {
      const want = signature.args[Math.min(i, signature.args.length - 1)];
      const got = typeOf(arg);
      if (got !== want) throw promqlTypeError(`expected type ${want} in call to function '${name}', got ${got}`);
    });
    return { type: 'call', func: name, args, pos: nameToken.pos };
  }

  private parseAggregate(): AggregateExpr {
    const opToken = this.next();
    const op = opToken.text.toLowerCase();
    let grouping: string[] = [];
    let without = false;
    let hasGrouping = false;
    if (this.isWord('by') || this.isWord('without')) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.parseLabelList();
      hasGrouping = true;
    }
    this.expectOp('(', 'aggregation');
    const paramType = AGGREGATIONS[op];
    let param: Expr | null = null;
    if (paramType !== null) {
      param = this.parseExpr(0);
      this.expectOp(',', 'aggregation');
      const got = typeOf(param);
      if (got !== paramType) throw promqlTypeError(`expected type ${paramType} in aggregation parameter, got ${got}`);
    }
    const expr = this.parseExpr(0);
    if (this.isOp(',')) throw this.error(`unexpected "," in aggregation, expected ")"`, this.peek());
    this.expectOp(')', 'aggregation');
    if (!hasGrouping && (this.isWord('by') || this.isWord('without'))) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.parseLabelList();
    }
    const type = typeOf(expr);
    if (type !== 'vector') throw promqlTypeError(`expected type vector in aggregation expression, got ${type}`);
    return { type: 'aggregate', op, expr, param, grouping, without, pos: opToken.pos };
  }

  private parseSelector(name: string, startToken: Token): VectorSelector {
    const matchers: LabelMatcher[] = [];
    if (this.isOp('{')) {
      this.next();
      while (!this.isOp('}')) {
        const labelToken = this.next();
        if (labelToken.kind !== 'ident' && labelToken.kind !== 'string') {
          throw this.error(`unexpected ${describe(labelToken)} in label matching, expected label`, labelToken);
        }
        const opToken = this.next();
        if (opToken.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(opToken.text)) {
          throw this.error(
            `unexpected ${describe(opToken)} in label matching, expected label matching operator`,
            opToken,
          );
        }
        const valueToken = this.next();
        if (valueToken.kind !== 'string') {
          throw this.error(`unexpected ${describe(valueToken)} in label matching, expected string`, valueToken);
        }
        const op = opToken.text as LabelMatcher['op'];
        if (op === '=~' || op === '!~') {
          try {
            promqlRegex(valueToken.text);
          } catch {
            throw this.error(`invalid regular expression "${valueToken.text}"`, valueToken);
          }
        }
        matchers.push({ name: labelToken.text, op, value: valueToken.text });
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expectOp('}', 'label matching');
    }
    if (name !== '') {
      if (matchers.some((m) => m.name === '__name__')) {
        throw this.error(`metric name must not be set twice: "${name}"`, startToken);
      }
    } else {
      const nameMatcher = matchers.find((m) => m.name === '__name__' && m.op === '=');
      if (nameMatcher) name = nameMatcher.value;
    }
    const allMatchers = name !== '' && !matchers.some((m) => m.name === '__name__') ? matchers : matchers;
    const nonEmpty = name !== '' || allMatchers.some((m) => !matchesEmpty(m));
    if (!nonEmpty) throw promqlTypeError('vector selector must contain at least one non-empty matcher');
    return { type: 'vector', name, matchers: allMatchers, offset: 0, at: null, pos: startToken.pos };
  }

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      if (this.isOp('[')) {
        const open = this.next();
        const range = this.expectDuration('range');
        if (this.isOp(':')) {
          this.next();
          const step = this.peek().kind === 'duration' ? this.expectDuration('subquery step') : 0;
          this.expectOp(']', 'subquery selector');
          const type = typeOf(expr);
          if (type !== 'vector' && type !== 'scalar') {
            throw this.error(`subquery is only allowed on instant vector, got ${type} instead`, open);
          }
          expr = { type: 'subquery', expr, range, step, offset: 0, at: null, pos: expr.pos };
          continue;
        }
        this.expectOp(']', 'matrix selector');
        if (expr.type !== 'vector') throw this.error('ranges only allowed for vector selectors', open);
        if (expr.offset !== 0 || expr.at !== null)
          throw this.error('no offset or @ modifiers allowed before range', open);
        expr = { type: 'matrix', vector: expr, range, pos: expr.pos };
        continue;
      }
      if (this.isWord('offset')) {
        const token = this.next();
        let sign = 1;
        if (this.isOp('-')) {
          this.next();
          sign = -1;
        } else if (this.isOp('+')) this.next();
        const offset = sign * this.expectDuration('offset');
        const target = modifierTarget(expr);
        if (target === null)
          throw this.error(
            'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
            token,
          );
        if (target.offset !== 0) throw this.error('offset may not be set multiple times', token);
        target.offset = offset;
        continue;
      }
      if (this.isOp('@')) {
        const token = this.next();
        let at: AtModifier;
        if ((this.isWord('start') || this.isWord('end')) && this.isOp('(', 1) && this.isOp(')', 2)) {
          at = { kind: this.next().text.toLowerCase() === 'start' ? 'start' : 'end' };
          this.next();
          this.next();
        } else {
          let sign = 1;
          if (this.isOp('-')) {
            this.next();
            sign = -1;
          }
          const value = this.next();
          if (value.kind !== 'number')
            throw this.error(`unexpected ${describe(value)} in @, expected timestamp`, value);
          at = { kind: 'time', ms: Math.round(sign * value.value * 1000) };
        }
        const target = modifierTarget(expr);
        if (target === null)
          throw this.error(
            '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
            token,
          );
        if (target.at !== null) throw this.error('@ <timestamp> may not be set multiple times', token);
        target.at = at;
        continue;
      }
      return expr;
    }
  }

  private expectDuration(context: string): number {
    const token = this.next();
    if (token.kind === 'duration') return token.value;
    if (token.kind === 'number' && Number.isFinite(token.value)) return token.value * 1000;
    throw this.error(`unexpected ${describe(token)} in ${context}, expected duration`, token);
  }
}

/** The node an `offset` / `@` after `expr` applies to. */
function modifierTarget(expr: Expr): { offset: number; at: AtModifier } | null {
  if (expr.type === 'vector' || expr.type === 'subquery') return expr;
  if (expr.type === 'matrix') return expr.vector;
  return null;
}

function matchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.op) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    case '=~':
      return promqlRegex(matcher.value).test('');
    case '!~':
      return !promqlRegex(matcher.value).test('');
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of input';
    case 'string':
      return `string "${token.text}"`;
    case 'number':
      return `number "${token.text}"`;
    case 'duration':
      return `duration "${token.text}"`;
    case 'ident':
      return `identifier "${token.text}"`;
    case 'op':
      return `character "${token.text}"`;
  }
}
