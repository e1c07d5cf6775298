/**
 * The PromQL lexer: the query text as tokens with their offsets. Durations (`5m`, `1h30m`)
 * are their own token kind so `[5m]` and `offset 1h` need no look-ahead in the parser;
 * identifiers keep `:` (recording-rule names like `job:rate5m`).
 */
import { promqlSyntaxError } from './promql-error.ts';

export type TokenKind = 'ident' | 'number' | 'duration' | 'string' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text for idents and ops, the unquoted value for strings. */
  text: string;
  /** Numbers: the value; durations: milliseconds. */
  value: number;
  pos: number;
}

const OPERATORS = [
  '==',
  '!=',
  '=~',
  '!~',
  '<=',
  '>=',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  ':',
  '@',
];

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d|w|y))+/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Parses a Prometheus duration like `1h30m` into milliseconds, or null. */
export function parseDuration(text: string): number | null {
  const match = DURATION_RE.exec(text);
  if (!match || match[0].length !== text.length) return null;
  let total = 0;
  for (const part of text.matchAll(DURATION_PART)) total += Number(part[1]) * UNIT_MS[part[2]];
  return total;
}

function isIdentStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === ':';
}

function isIdentPart(ch: string): boolean {
  return isIdentStart(ch) || (ch >= '0' && ch <= '9');
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** Splits `text` into tokens; throws InvalidSyntax with the offset of a bad character or string. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  let inBrackets = false;
  while (i < n) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ch === "'" || ch === '`') {
      i++;
      let value = '';
      while (i < n && text[i] !== ch) {
        if (text[i] === '\\' && ch !== '`') {
          i++;
          const escaped = text[i];
          if (escaped === 'n') value += '\n';
          else if (escaped === 't') value += '\t';
          else if (escaped === 'r') value += '\r';
          else if (escaped === 'u' || escaped === 'x') {
            const length = escaped === 'u' ? 4 : 2;
            value += String.fromCharCode(parseInt(text.slice(i + 1, i + 1 + length), 16));
            i += length;
          } else value += escaped ?? '';
          i++;
          continue;
        }
        value += text[i++];
      }
      if (i >= n) throw promqlSyntaxError(`unterminated quoted string ${ch}`, text, start);
      i++;
      tokens.push({ kind: 'string', text: value, value: 0, pos: start });
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(text[i + 1] ?? ''))) {
      const duration = DURATION_RE.exec(text.slice(i));
      if (duration && !/[a-zA-Z0-9_.]/.test(text[i + duration[0].length] ?? '')) {
        i += duration[0].length;
        tokens.push({ kind: 'duration', text: duration[0], value: parseDuration(duration[0]) ?? 0, pos: start });
        continue;
      }
      const hex = /^0[xX][0-9a-fA-F]+/.exec(text.slice(i));
      const number = hex ?? /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!number) throw promqlSyntaxError(`bad number or duration syntax: "${ch}"`, text, start);
      i += number[0].length;
      if (isIdentPart(text[i] ?? ''))
        throw promqlSyntaxError(`bad number or duration syntax: "${text.slice(start, i + 1)}"`, text, start);
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), pos: start });
      continue;
    }
    if (isIdentStart(ch) && !(inBrackets && ch === ':')) {
      while (i < n && isIdentPart(text[i])) i++;
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      if (lower === 'inf' || lower === 'nan') {
        tokens.push({ kind: 'number', text: word, value: lower === 'inf' ? Infinity : NaN, pos: start });
      } else {
        tokens.push({ kind: 'ident', text: word, value: 0, pos: start });
      }
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) throw promqlSyntaxError(`unexpected character: '${ch}'`, text, start);
    i += op.length;
    if (op === '[') inBrackets = true;
    else if (op === ']') inBrackets = false;
    tokens.push({ kind: 'op', text: op, value: 0, pos: start });
  }
  tokens.push({ kind: 'eof', text: '', value: 0, pos: n });
  return tokens;
}
