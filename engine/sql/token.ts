import type { Span } from './span.ts';

/**
 * What the lexer produces. Words are not classified into keywords here: whether `TIME` is a
 * keyword or a column name depends on where it stands, so the parser asks `upper` instead.
 *
 *   word               unquoted name or keyword: `select`, `host`, `@@time_zone`
 *   quoted-identifier  "name" or `name` (value unescaped, quote kept in `quote`)
 *   string             'text', E'text', N'text' (value unescaped, prefix in `prefix`)
 *   hex-string         X'0aff' or 0x0aff (value is the hex digits)
 *   number             123, 1.5, .5, 1e-3 (value is the lexeme)
 *   placeholder        $1, $name, ? (value is the lexeme)
 *   operator           punctuation and operators: ( ) , ; . :: <= || ...
 *   eof                end of input (always the last token)
 */
export type TokenKind =
  'word' | 'quoted-identifier' | 'string' | 'hex-string' | 'number' | 'placeholder' | 'operator' | 'eof';

/** One lexical token with its position. `text` is the exact source slice. */
export interface Token {
  kind: TokenKind;
  /** The source text of the token, quotes and prefixes included. */
  text: string;
  /** The meaning: unescaped string/identifier content, the word as written, the operator. */
  value: string;
  /** Upper-cased `value` for words (keyword checks); empty for other kinds. */
  upper: string;
  /** `"` or `` ` `` for quoted identifiers, `E`/`N` for prefixed strings, otherwise empty. */
  quote: string;
  span: Span;
}
