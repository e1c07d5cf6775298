/**
 * The token cursor every grammar function works on. The grammar itself lives in the
 * `parse-*.ts` files as plain functions taking a `Parser`; this class only knows tokens:
 * looking ahead, consuming, matching keywords (unquoted words, case-insensitively), building
 * spans and raising "Expected X, found Y at line L, column C" errors.
 *
 * Nesting depth is bounded (`enter`/`leave`) so that a hostile input such as ten thousand
 * opening parentheses fails with a syntax error instead of overflowing the stack.
 */
import { expectedError, syntaxErrorAt } from './syntax-error.ts';
import type { Ident, ObjectName } from './ast-expression.ts';
import { RESERVED_FOR_COLUMN_ALIAS } from './keywords.ts';
import { tokenize } from './lexer.ts';
import type { Span } from './span.ts';
import type { Token } from './token.ts';

/** How deeply expressions and queries may nest before parsing gives up. */
export const MAX_NESTING_DEPTH = 500;

/** A cursor over the tokens of one SQL text. */
export class Parser {
  readonly text: string;
  readonly tokens: Token[];
  /** Index of the next token to consume. */
  position = 0;
  /** How many `?` placeholders were seen, to number them. */
  questionMarks = 0;
  private depth = 0;

  constructor(text: string, tokens: Token[] = tokenize(text)) {
    this.text = text;
    this.tokens = tokens;
  }

  /** The token `offset` places ahead (0: the next one); `eof` past the end. */
  peek(offset = 0): Token {
    const index = Math.min(this.position + offset, this.tokens.length - 1);
    return this.tokens[index];
  }

  /** Consumes and returns the next token (`eof` stays put). */
  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  /** The last consumed token; used to end spans. */
  previous(): Token {
    return this.tokens[Math.max(0, this.position - 1)];
  }

  /** True at the end of the input or of the statement (`;`). */
  atStatementEnd(offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'eof' || (token.kind === 'operator' && token.value === ';');
  }

  /** Whether the token at `offset` is the unquoted word `keyword` (upper case). */
  isKeyword(keyword: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.upper === keyword;
  }

  /** Whether the next tokens are the given unquoted words, in order. */
  isKeywords(...keywords: string[]): boolean {
    return keywords.every((keyword, i) => this.isKeyword(keyword, i));
  }

  /** Whether the token at `offset` is one of the unquoted words in `keywords`. */
  isAnyKeyword(keywords: ReadonlySet<string>, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && keywords.has(token.upper);
  }

  /** Consumes the word `keyword` if it is next. */
  eatKeyword(keyword: string): Token | null {
    return this.isKeyword(keyword) ? this.next() : null;
  }

  /** Consumes the words `keywords` if they all come next, in order; otherwise nothing. */
  eatKeywords(...keywords: string[]): boolean {
    if (!this.isKeywords(...keywords)) return false;
    this.position += keywords.length;
    return true;
  }

  /** Consumes the word `keyword` or fails with "Expected KEYWORD, found ...". */
  expectKeyword(keyword: string): Token {
    if (this.isKeyword(keyword)) return this.next();
    throw this.expected(keyword);
  }

  /** Consumes the words `keywords` in order, failing at the first one missing. */
  expectKeywords(...keywords: string[]): void {
    for (const keyword of keywords) this.expectKeyword(keyword);
  }

  /** Whether the token at `offset` is the operator/punctuation `op`. */
  isOperator(op: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'operator' && token.value === op;
  }

  /** Consumes the operator `op` if it is next. */
  eatOperator(op: string): Token | null {
    return this.isOperator(op) ? this.next() : null;
  }

  /** Consumes the operator `op` or fails with "Expected 'op', found ...". */
  expectOperator(op: string): Token {
    if (this.isOperator(op)) return this.next();
    throw this.expected(`'${op}'`);
  }

  /** An "Expected <what>, found <next token>" error, to throw. */
  expected(what: string, token: Token = this.peek()): Error {
    return expectedError(what, token);
  }

  /** A syntax error with a custom message at `span` (default: the next token). */
  error(message: string, span: Span = this.peek().span): Error {
    return syntaxErrorAt(message, span);
  }

  /** The span from `start` to the end of the last consumed token. */
  spanFrom(start: Span | Token): Span {
    const first = 'span' in start ? start.span : start;
    const last = this.previous().span;
    const end = Math.max(last.end, first.start);
    return { start: first.start, end, line: first.line, column: first.column };
  }

  /** The source text between two offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  /** Marks entry into a nested construct; fails beyond MAX_NESTING_DEPTH. Pair with `leave`. */
  enter(): void {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw this.error(`Query is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`);
    }
  }

  leave(): void {
    this.depth--;
  }

  /** Runs `attempt`; if it throws, rewinds to where it started and returns null. */
  tryParse<T>(attempt: () => T): T | null {
    const saved = this.position;
    const savedMarks = this.questionMarks;
    const savedDepth = this.depth;
    try {
      return attempt();
    } catch (error) {
      if (error instanceof RangeError) throw error;
      this.position = saved;
      this.questionMarks = savedMarks;
      this.depth = savedDepth;
      return null;
    }
  }

  /**
   * Parses a name: a word, a quoted identifier, or (where GreptimeDB allows a string for a
   * name, `stringAllowed`) a single-quoted string. Unquoted names fold to lower case.
   */
  parseIdent(what = 'an identifier', stringAllowed = true): Ident {
    const token = this.peek();
    if (token.kind === 'word' || token.kind === 'quoted-identifier') {
      this.next();
      return this.tokenIdent(token);
    }
    if (stringAllowed && token.kind === 'string' && token.quote === '') {
      this.next();
      return { value: token.value, text: token.value, quote: "'", span: token.span };
    }
    throw this.expected(what);
  }

  /** The name a word or quoted-identifier token stands for (unquoted words fold to lower case). */
  tokenIdent(token: Token): Ident {
    if (token.kind === 'quoted-identifier') {
      return { value: token.value, text: token.value, quote: token.quote as '"' | '`', span: token.span };
    }
    return { value: token.value.toLowerCase(), text: token.value, quote: '', span: token.span };
  }

  /** Whether the next token can start a name (a word or quoted identifier). */
  isIdentStart(offset = 0): boolean {
    const kind = this.peek(offset).kind;
    return kind === 'word' || kind === 'quoted-identifier';
  }

  /** Parses `a`, `a.b`, `a.b.c`. */
  parseObjectName(what = 'a name'): ObjectName {
    const first = this.parseIdent(what);
    const parts = [first];
    while (this.isOperator('.') && (this.isIdentStart(1) || this.peek(1).kind === 'string')) {
      this.next();
      parts.push(this.parseIdent(what));
    }
    return { parts, span: this.spanFrom(first.span) };
  }

  /** Parses `(a, b, ...)` of names; a trailing comma is allowed, as in GreptimeDB. */
  parseParenthesizedIdents(what = 'a column name'): Ident[] {
    this.expectOperator('(');
    const idents: Ident[] = [];
    while (!this.isOperator(')')) {
      idents.push(this.parseIdent(what));
      if (!this.eatOperator(',')) break;
    }
    this.expectOperator(')');
    return idents;
  }

  /**
   * Parses `item (, item)*`. A trailing comma is allowed before `)`, `]`, `;`, the end, or a
   * word that ends a select list (`SELECT a, b, FROM t`), as GreptimeDB enables in sqlparser.
   */
  parseCommaSeparated<T>(item: () => T): T[] {
    const items = [item()];
    while (this.eatOperator(',')) {
      if (this.isTrailingCommaEnd()) break;
      items.push(item());
    }
    return items;
  }

  private isTrailingCommaEnd(): boolean {
    const token = this.peek();
    if (token.kind === 'eof') return true;
    if (token.kind === 'operator') return token.value === ')' || token.value === ']' || token.value === ';';
    return token.kind === 'word' && RESERVED_FOR_COLUMN_ALIAS.has(token.upper);
  }
}
