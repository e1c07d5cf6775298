/**
 * Rewriting SQL text on its tokens (`postgres-syntax.ts`, `empty-subqueries.ts`): edits are
 * spans of the original text replaced by new text, applied from the end so earlier spans stay
 * valid. Token spans never fall inside a literal, so rewrites cannot change one.
 */
import { tokenize } from '../../../sql/index.ts';
import type { Token } from '../../../sql/index.ts';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export const isOperator = (token: Token | undefined, text: string): boolean =>
  token?.kind === 'operator' && token.value === text;

export const isWord = (token: Token | undefined, upper: string): boolean =>
  token?.kind === 'word' && token.upper === upper;

/** The tokens of `sql`, or undefined when it does not lex (the parser then reports where). */
export function tokensOf(sql: string): Token[] | undefined {
  try {
    return tokenize(sql);
  } catch {
    return undefined;
  }
}

/** `sql` with the edits (in text order, not overlapping) applied. */
export function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const edit of [...edits].reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
