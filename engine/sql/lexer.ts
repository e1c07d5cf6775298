/**
 * The lexer: SQL text to tokens, following the GreptimeDB dialect of sqlparser-rs.
 *
 * - Names start with a letter, `_`, `#` or `@` and continue with letters, digits, `_`, `@`,
 *   `$`, `#`; so `@@session.time_zone` lexes as words and `.`, as in GreptimeDB.
 * - `"name"` and `` `name` `` are quoted identifiers (a doubled quote escapes itself).
 * - `'text'` is a string; `''` escapes a quote and backslashes are literal, except in
 *   `E'...'` strings, where `\n`, `\t`, `\\`, `\'` ... are escapes. `X'ff'` and `0xff` are hex
 *   (binary) literals; `N'...'` is a plain string.
 * - `-- ...` and `/* ... *\/` (nestable) are comments and produce no tokens.
 * - `$1`, `$name` and `?` are placeholders for prepared statements over the wire protocols;
 *   `$$text$$` and `$tag$text$tag$` are dollar-quoted strings, as sqlparser-rs reads them.
 *
 * The whole input is lexed up front (TQL needs offsets of later tokens to cut out the PromQL
 * text), so a lexical error anywhere fails the whole input, as it does in GreptimeDB.
 */
import type { Span } from './span.ts';
import { syntaxErrorAt } from './syntax-error.ts';
import type { Token, TokenKind } from './token.ts';

/** Operators of two or three characters, grouped by their first character, longest first. */
const LONG_OPERATORS: Record<string, string[]> = {
  '<': ['<=>', '<=', '<>', '<<', '<@'],
  '>': ['>=', '>>'],
  '!': ['!~*', '!=', '!~'],
  '=': ['==', '=>'],
  ':': ['::'],
  '|': ['||'],
  '-': ['->>', '->'],
  '~': ['~*'],
  '#': ['#>>', '#>'],
};

const SINGLE_OPERATORS = new Set('+-*/%=<>()[]{},;.:&|^~!');

const LETTER = /^[\p{L}\p{Nl}]$/u;

/** Whether the code point `c` (possibly astral) is a letter. ASCII is decided without a regex. */
function isLetterCode(c: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return true;
  if (c < 128) return false;
  return LETTER.test(String.fromCodePoint(c));
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigitCode(c: number): boolean {
  return isDigitCode(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `_`, `#`, `@` or a letter. */
function isIdentifierStartCode(c: number): boolean {
  return c === 95 || c === 35 || c === 64 || isLetterCode(c);
}

/** `_`, `@`, `$`, `#`, a digit or a letter. */
function isIdentifierPartCode(c: number): boolean {
  return c === 95 || c === 64 || c === 36 || c === 35 || isDigitCode(c) || isLetterCode(c);
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Tokenizes `text`. The result always ends with one `eof` token. Throws InvalidSyntax. */
export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

/**
 * Positions: the lexer tracks the offset where the current line starts and how many astral
 * code points (two UTF-16 units, one column) it has passed on that line, so a column is
 * `offset - lineStart - astral + 1` without counting characters again.
 */
class Lexer {
  private readonly text: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private astral = 0;
  private readonly tokens: Token[] = [];

  constructor(text: string) {
    this.text = text;
  }

  run(): Token[] {
    for (;;) {
      this.skipSpaceAndComments();
      if (this.pos >= this.text.length) break;
      this.lexToken();
    }
    const at = this.here();
    this.tokens.push({ kind: 'eof', text: '', value: '', upper: '', quote: '', span: at });
    return this.tokens;
  }

  private here(): Span {
    const column = this.pos - this.lineStart - this.astral + 1;
    return { start: this.pos, end: this.pos, line: this.line, column };
  }

  private code(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  /** Moves to offset `end`, keeping line and column up to date over whatever lies between. */
  private moveTo(end: number): void {
    const text = this.text;
    for (let i = this.pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.line++;
        this.lineStart = i + 1;
        this.astral = 0;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        this.astral++;
      }
    }
    this.pos = end;
  }

  private skipSpaceAndComments(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
        this.astral = 0;
      } else if (isSpaceCode(c)) {
        this.pos++;
      } else if (c === 45 && this.code(1) === 45) {
        const newline = text.indexOf('\n', this.pos);
        this.moveTo(newline < 0 ? text.length : newline);
      } else if (c === 47 && this.code(1) === 42) {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  private skipBlockComment(): void {
    const start = this.here();
    const text = this.text;
    let depth = 0;
    let i = this.pos;
    while (i < text.length) {
      if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
        depth++;
        i += 2;
      } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
        depth--;
        i += 2;
        if (depth === 0) {
          this.moveTo(i);
          return;
        }
      } else {
        i++;
      }
    }
    throw syntaxErrorAt('Unterminated block comment', start);
  }

  /** Adds a token from `start` to the current offset; `start` becomes its span. */
  private push(kind: TokenKind, start: Span, value: string | null, quote = ''): void {
    const text = this.text.slice(start.start, this.pos);
    start.end = this.pos;
    const upper = kind === 'word' ? text.toUpperCase() : '';
    this.tokens.push({ kind, text, value: value ?? text, upper, quote, span: start });
  }

  private lexToken(): void {
    const start = this.here();
    const c = this.code();
    const next = this.code(1);

    // Prefixed strings: E'..' (escapes), N'..' (national), X'..' (hex).
    if (next === 39) {
      if (c === 69 || c === 101) {
        this.pos++;
        this.push('string', start, this.readQuoted(39, true, start), 'E');
        return;
      }
      if (c === 78 || c === 110) {
        this.pos++;
        this.push('string', start, this.readQuoted(39, false, start), 'N');
        return;
      }
      if (c === 88 || c === 120) {
        this.pos++;
        const digits = this.readQuoted(39, false, start);
        if (!/^[0-9a-fA-F]*$/.test(digits)) throw syntaxErrorAt(`Invalid hex string literal X'${digits}'`, start);
        this.push('hex-string', start, digits);
        return;
      }
    }
    if (c === 64 && (next === 64 || next === 62 || Number.isNaN(next) || isSpaceCode(next))) {
      // `@@` before a space is an operator (GreptimeDB's matches_term) and `@>` one too; a
      // lone `@` is an operator; `@@x` and `@x` are names.
      const after = this.code(2);
      if (next === 62 || (next === 64 && (Number.isNaN(after) || isSpaceCode(after)))) {
        this.pos += 2;
        this.push('operator', start, next === 62 ? '@>' : '@@');
        return;
      }
      if (next !== 64) {
        this.pos++;
        this.push('operator', start, '@');
        return;
      }
    }
    const cp = this.text.codePointAt(this.pos) ?? 0;
    if (isIdentifierStartCode(cp)) {
      this.readIdentifierPart(false);
      this.push('word', start, null);
      return;
    }
    if (isDigitCode(c) || (c === 46 && isDigitCode(next))) {
      this.lexNumber(start);
      return;
    }
    if (c === 39) {
      this.push('string', start, this.readQuoted(39, false, start));
      return;
    }
    if (c === 34 || c === 96) {
      const value = this.readQuoted(c, false, start);
      this.push('quoted-identifier', start, value, String.fromCharCode(c));
      return;
    }
    if (c === 36 && next === 36) {
      this.push('string', start, this.readDollarQuoted('$$', start));
      return;
    }
    if (c === 36 && !Number.isNaN(next) && (isDigitCode(next) || isIdentifierStartCode(next))) {
      this.pos++;
      this.readIdentifierPart(true);
      if (this.code() === 36 && !isDigitCode(next)) {
        // `$tag$ ... $tag$`: a dollar-quoted string with a tag.
        const tag = `${this.text.slice(start.start, this.pos)}$`;
        this.pos = start.start;
        this.push('string', start, this.readDollarQuoted(tag, start));
        return;
      }
      this.push('placeholder', start, null);
      return;
    }
    if (c === 63) {
      this.pos++;
      this.push('placeholder', start, '?');
      return;
    }
    const ch = this.text[this.pos];
    for (const op of LONG_OPERATORS[ch] ?? []) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.push('operator', start, null);
        return;
      }
    }
    if (SINGLE_OPERATORS.has(ch)) {
      this.pos++;
      this.push('operator', start, null);
      return;
    }
    throw syntaxErrorAt(`Unexpected character '${String.fromCodePoint(cp)}'`, start);
  }

  /** Moves over identifier characters (for placeholders, `$` ends the name). */
  private readIdentifierPart(placeholder: boolean): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c < 128) {
        if (!isIdentifierPartCode(c) || (placeholder && c === 36)) return;
        this.pos++;
        continue;
      }
      const cp = text.codePointAt(this.pos) ?? 0;
      if (!isLetterCode(cp)) return;
      if (cp > 0xffff) {
        this.pos += 2;
        this.astral++;
      } else {
        this.pos++;
      }
    }
  }

  private skipDigits(hex = false): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (!(hex ? isHexDigitCode(c) : isDigitCode(c))) return;
      this.pos++;
    }
  }

  private lexNumber(start: Span): void {
    if (this.code() === 48 && (this.code(1) === 120 || this.code(1) === 88) && isHexDigitCode(this.code(2))) {
      this.pos += 2;
      this.skipDigits(true);
      this.push('hex-string', start, this.text.slice(start.start + 2, this.pos));
      return;
    }
    this.skipDigits();
    if (this.code() === 46) {
      this.pos++;
      this.skipDigits();
    }
    const e = this.code();
    if (e === 101 || e === 69) {
      const sign = this.code(1);
      if (isDigitCode(sign) || ((sign === 43 || sign === 45) && isDigitCode(this.code(2)))) {
        this.pos += isDigitCode(sign) ? 1 : 2;
        this.skipDigits();
      }
    }
    this.push('number', start, null);
  }

  /** Reads `$tag$ ... $tag$` (PostgreSQL's dollar quoting): no escapes at all inside. */
  private readDollarQuoted(tag: string, start: Span): string {
    const from = this.pos + tag.length;
    const end = this.text.indexOf(tag, from);
    if (end < 0) throw syntaxErrorAt('Unterminated dollar-quoted string', start);
    this.moveTo(end + tag.length);
    return this.text.slice(from, end);
  }

  /**
   * Reads a quoted run starting at the opening quote (char code `quote`); a doubled quote
   * stands for one quote. With `escapes` (E'...'), backslash sequences are decoded too.
   */
  private readQuoted(quote: number, escapes: boolean, start: Span): string {
    const text = this.text;
    const quoteChar = String.fromCharCode(quote);
    let value = '';
    let i = this.pos + 1;
    let chunkStart = i;
    for (;;) {
      if (i >= text.length) {
        const what = quote === 39 ? 'string literal' : 'quoted identifier';
        throw syntaxErrorAt(`Unterminated ${what}`, start);
      }
      const c = text.charCodeAt(i);
      if (c === quote) {
        value += text.slice(chunkStart, i);
        if (text.charCodeAt(i + 1) === quote) {
          value += quoteChar;
          i += 2;
          chunkStart = i;
          continue;
        }
        this.moveTo(i + 1);
        return value;
      }
      if (escapes && c === 92 && i + 1 < text.length) {
        value += text.slice(chunkStart, i) + decodeEscape(text[i + 1]);
        i += 2;
        chunkStart = i;
        continue;
      }
      i++;
    }
  }
}

function decodeEscape(ch: string): string {
  switch (ch) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case '0':
      return '\0';
    case 'Z':
      return '\x1a';
    default:
      return ch;
  }
}
