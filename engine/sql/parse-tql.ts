/**
 * Parses GreptimeDB's TQL: `TQL EVAL|EVALUATE|EXPLAIN|ANALYZE [VERBOSE] [FORMAT f]
 * [(start, end, step [, lookback])] <PromQL> [AS alias]`.
 *
 * The PromQL is not parsed here (engine/promql does that); it is cut out of the source text
 * verbatim, from its first token to the end of the statement (`;` or end of input) or, inside
 * a CTE (`WITH t AS (TQL EVAL ... )`), to the `)` that closes the CTE. Brackets are counted so a
 * `)` inside the PromQL does not end it. A trailing `AS name` names the value column in CTEs.
 */
import type { Expr, Ident } from './ast-expression.ts';
import type { TqlStatement } from './ast-statement.ts';
import { parseExpr } from './parse-expression.ts';
import type { Parser } from './parser.ts';
import type { Span } from './span.ts';
import { unsupportedError } from './syntax-error.ts';
import type { Token } from './token.ts';

const MODES: Record<string, TqlStatement['mode']> = {
  EVAL: 'EVAL',
  EVALUATE: 'EVAL',
  EXPLAIN: 'EXPLAIN',
  ANALYZE: 'ANALYZE',
};

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

/** Parses a TQL statement at the `TQL` word. `inParens`: it ends at an unmatched `)`. */
export function parseTql(p: Parser, inParens: boolean): TqlStatement {
  const start = p.expectKeyword('TQL');
  const modeToken = p.peek();
  const mode = modeToken.kind === 'word' ? MODES[modeToken.upper] : undefined;
  if (mode === undefined) throw unsupportedError(modeToken);
  p.next();

  let verbose = false;
  let format: string | null = null;
  if (mode !== 'EVAL') {
    verbose = p.eatKeyword('VERBOSE') !== null;
    if (p.isKeyword('FORMAT') && p.peek(1).kind === 'word') {
      p.next();
      format = p.next().upper;
    }
  }

  let params: Expr[];
  let defaults = false;
  if (p.isOperator('(')) {
    const open = p.next();
    params = p.parseCommaSeparated(() => parseExpr(p));
    if (params.length !== 3 && params.length !== 4) {
      throw p.error(
        `Expected 3 or 4 expressions in TQL parameters (start, end, step, [lookback]), but found ${params.length}`,
        open.span,
      );
    }
    p.expectOperator(')');
  } else {
    defaults = true;
    const at: Span = { ...p.peek().span, end: p.peek().span.start };
    params = [
      { kind: 'number', text: '0', span: at },
      { kind: 'number', text: '0', span: at },
      { kind: 'string', value: '5m', prefix: '', span: at },
    ];
  }
  while (p.eatOperator(',')) {
    // GreptimeDB skips commas between the parameters and the query.
  }

  const { query, querySpan, alias } = cutPromql(p, inParens);
  return {
    kind: 'tql',
    mode,
    verbose,
    format,
    start: params[0],
    end: params[1],
    step: params[2],
    lookback: params[3] ?? null,
    defaults,
    query,
    querySpan,
    alias,
    span: p.spanFrom(start),
  };
}

/** Consumes the PromQL tokens and returns their source text. */
function cutPromql(p: Parser, inParens: boolean): { query: string; querySpan: Span; alias: Ident | null } {
  const first = p.peek();
  let last: Token | null = null;
  let alias: Ident | null = null;
  let depth = 0;
  for (;;) {
    const token = p.peek();
    if (token.kind === 'eof') break;
    if (token.kind === 'operator') {
      if (depth === 0 && (token.value === ';' || (inParens && token.value === ')'))) break;
      if (OPENING.has(token.value)) depth++;
      else if (CLOSING.has(token.value)) depth = Math.max(0, depth - 1);
    }
    if (depth === 0 && token.kind === 'word' && token.upper === 'AS' && last !== null && isAliasEnd(p, inParens)) {
      p.next();
      alias = p.parseIdent('an alias');
      break;
    }
    last = p.next();
  }
  if (last === null) throw p.expected('a PromQL query after TQL', first);
  const querySpan: Span = {
    start: first.span.start,
    end: last.span.end,
    line: first.span.line,
    column: first.span.column,
  };
  return { query: p.slice(querySpan.start, querySpan.end).trim(), querySpan, alias };
}

/** At `AS`: whether `AS name` is followed by the end of the TQL statement. */
function isAliasEnd(p: Parser, inParens: boolean): boolean {
  if (!p.isIdentStart(1) && p.peek(1).kind !== 'string') return false;
  return p.atStatementEnd(2) || (inParens && p.isOperator(')', 2));
}
