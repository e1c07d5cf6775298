/**
 * Full-text predicates: `matches(text, query)` with GreptimeDB's query syntax (terms,
 * "phrases", `+must`, `-must_not`, AND / OR with AND binding tighter, parentheses; a term
 * matches as a substring), and `matches_term(text, term)`, true when `term` occurs in `text` as a
 * whole term (GreptimeDB's semantics): a match must not continue an alphanumeric run on either
 * side where the term itself starts or ends alphanumeric. Terms with CJK characters (no spaces
 * between words) match as plain substrings.
 */
import { executionError } from '../errors.ts';
import type { ScalarFunction } from './function.ts';
import { mapRows, noMatchingSignature, stringLike } from './helpers.ts';
import { readArgs } from './string-functions.ts';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}_]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch) && !CJK.test(ch);
}

/** Whether `term` occurs in `text` as a whole term. */
export function matchesTerm(text: string, term: string): boolean {
  if (term === '') return text === '';
  if (CJK.test(term)) return text.includes(term);
  const first = isWordChar(term[0]);
  const last = isWordChar(term[term.length - 1]);
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (first && isWordChar(text[at - 1])) continue;
    if (last && isWordChar(text[at + term.length])) continue;
    return true;
  }
  return false;
}

const matchesTermFunction: ScalarFunction = {
  name: 'matches_term',
  signature: 'matches_term(Utf8, Utf8) -> Boolean',
  returnType(args) {
    if (args.length !== 2 || !args.every(stringLike)) throw noMatchingSignature('matches_term', args);
    return 'Boolean';
  },
  evaluate: (args, length, type) =>
    mapRows(args, length, type, readArgs, ([text, term]) => matchesTerm(text as string, term as string)),
};

/** A parsed `matches` query: evaluates to whether a text matches. */
type Matcher = (text: string) => boolean;

/** Splits a query into tokens: `(`, `)`, `+`, `-`, quoted phrases and bare words. */
function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '+' || ch === '-') {
      tokens.push(ch);
      i++;
    } else if (ch === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw executionError(`Invalid fulltext query: unclosed quote in '${query}'`);
      tokens.push(query.slice(i, end + 1));
      i = end + 1;
    } else {
      let end = i;
      while (end < query.length && !/[\s()"]/.test(query[end])) end++;
      tokens.push(query.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

/** Parses a `matches` query. */
export function parseMatchesQuery(query: string): Matcher {
  const tokens = tokenize(query);
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const fail = (): never => {
    throw executionError(`Invalid fulltext query: '${query}'`);
  };
  const parseOr = (): Matcher => {
    const parts = [parseAnd()];
    while (peek() === 'OR') {
      at++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : (text) => parts.some((part) => part(text));
  };
  const parseAnd = (): Matcher => {
    const parts = [parseGroup()];
    while (peek() === 'AND') {
      at++;
      parts.push(parseGroup());
    }
    return parts.length === 1 ? parts[0] : (text) => parts.every((part) => part(text));
  };
  // Juxtaposed clauses: every +clause must match and no -clause may; without a +clause at
  // least one plain clause must match.
  const parseGroup = (): Matcher => {
    const must: Matcher[] = [];
    const mustNot: Matcher[] = [];
    const should: Matcher[] = [];
    while (at < tokens.length && peek() !== 'AND' && peek() !== 'OR' && peek() !== ')') {
      const prefix = peek();
      if (prefix === '+' || prefix === '-') at++;
      const atom = parseAtom();
      if (prefix === '+') must.push(atom);
      else if (prefix === '-') mustNot.push(atom);
      else should.push(atom);
    }
    if (must.length + mustNot.length + should.length === 0) fail();
    if (must.length === 0 && mustNot.length === 0 && should.length === 1) return should[0];
    if (should.length === 0 && must.length === 0 && mustNot.length === 1) return (text) => !mustNot[0](text);
    return (text) =>
      must.every((clause) => clause(text)) &&
      !mustNot.some((clause) => clause(text)) &&
      (must.length > 0 || should.some((clause) => clause(text)));
  };
  const parseAtom = (): Matcher => {
    const token = peek();
    if (token === undefined || token === ')') return fail();
    at++;
    if (token === '(') {
      const inner = parseOr();
      if (peek() !== ')') fail();
      at++;
      return inner;
    }
    const needle = token.startsWith('"') ? token.slice(1, -1) : token;
    return (text) => text.includes(needle);
  };
  const matcher = parseOr();
  if (at < tokens.length) fail();
  return matcher;
}

const matchesFunction: ScalarFunction = {
  name: 'matches',
  signature: 'matches(Utf8, Utf8) -> Boolean',
  returnType(args) {
    if (args.length !== 2 || !args.every(stringLike)) throw noMatchingSignature('matches', args);
    return 'Boolean';
  },
  evaluate(args, length, type) {
    const cache = new Map<string, Matcher>();
    return mapRows(args, length, type, readArgs, ([text, query]) => {
      let matcher = cache.get(query as string);
      if (matcher === undefined) {
        matcher = parseMatchesQuery(query as string);
        cache.set(query as string, matcher);
      }
      return matcher(text as string);
    });
  },
};

/** Full-text functions, registered by registry.ts. */
export const fulltextFunctions: ScalarFunction[] = [matchesTermFunction, matchesFunction];
