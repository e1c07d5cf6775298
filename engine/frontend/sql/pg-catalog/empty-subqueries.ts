/**
 * Subqueries over pg_catalog tables that are always empty here, folded before planning: psql's
 * `\d table` asks for column defaults, collations, inheritance, policies and the like through
 * correlated subqueries, which the engine does not plan, but each one reads first from a table
 * that holds no rows in Tessera (pg_attrdef, pg_inherits, ...). A subquery whose FROM starts
 * with such a table (and has no RIGHT or FULL join) has no rows, whatever it correlates with:
 * `(SELECT ...)` is NULL, `EXISTS (SELECT ...)` is false, `ARRAY(SELECT ...)` is the empty
 * array's text `{}`. Tokens only, so literals are never touched.
 */
import type { Token } from '../../../sql/index.ts';
import { pgCatalogName } from './oids.ts';
import { applyEdits, isOperator, isWord, tokensOf } from './token-edits.ts';
import type { Edit } from './token-edits.ts';

const tableContexts = new Set(['FROM', 'JOIN', 'UNION', 'ALL', 'INTERSECT', 'EXCEPT', 'LATERAL']);

/** The index of the `)` closing the `(` at `open`, or -1. */
function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOperator(tokens[i], '(')) depth++;
    else if (isOperator(tokens[i], ')') && --depth === 0) return i;
  }
  return -1;
}

/**
 * The index of the FROM of the SELECT at `select` (ending before `end`) when it reads first from
 * a table `isEmpty` names (and joins nothing RIGHT or FULL); -1 otherwise.
 */
function emptyFrom(tokens: Token[], select: number, end: number, isEmpty: (name: string) => boolean): number {
  let depth = 0;
  let from = -1;
  for (let i = select + 1; i < end; i++) {
    const token = tokens[i]!;
    if (isOperator(token, '(')) depth++;
    else if (isOperator(token, ')')) depth--;
    else if (depth === 0 && (isWord(token, 'RIGHT') || isWord(token, 'FULL'))) return -1;
    else if (depth === 0 && from < 0 && isWord(token, 'FROM')) from = i;
  }
  if (from < 0) return -1;
  let table = tokens[from + 1];
  if (table?.value.toLowerCase() === pgCatalogName && isOperator(tokens[from + 2], '.')) table = tokens[from + 3];
  const named = table !== undefined && (table.kind === 'word' || table.kind === 'quoted-identifier');
  return named && isEmpty(table.value) ? from : -1;
}

/**
 * The select list of a SELECT with no rows, each item made `NULL AS <its name>`: its values are
 * never computed, and some (`'d' = any(stxkind)`, `ARRAY(SELECT ...)`) would not plan.
 */
function nullSelectList(tokens: Token[], select: number, from: number): Edit[] {
  let first = select + 1;
  if (isWord(tokens[first], 'DISTINCT') || isWord(tokens[first], 'ALL')) first++;
  const items: [number, number][] = [];
  let depth = 0;
  let start = first;
  for (let i = first; i < from; i++) {
    if (isOperator(tokens[i], '(')) depth++;
    else if (isOperator(tokens[i], ')')) depth--;
    else if (depth === 0 && isOperator(tokens[i], ',')) {
      items.push([start, i - 1]);
      start = i + 1;
    }
  }
  items.push([start, from - 1]);
  // Unnamed items get distinct names: the engine wants unique output names.
  return items.flatMap(([a, b], index): Edit[] => {
    if (b < a || (a === b && isOperator(tokens[a], '*'))) return [];
    const last = tokens[b]!;
    const isName =
      last.kind === 'quoted-identifier' || (last.kind === 'word' && !['NULL', 'TRUE', 'FALSE'].includes(last.upper));
    // `expr AS name`, `expr name`, `t.name` or `name` keep their name.
    const named =
      isName &&
      (a === b || isWord(tokens[b - 1], 'AS') || tokens[b - 1]!.kind !== 'operator' || isOperator(tokens[b - 1], '.'));
    return [
      {
        start: tokens[a]!.span.start,
        end: last.span.end,
        text: `NULL AS ${named ? last.text : `"?column${index + 1}?"`}`,
      },
    ];
  });
}

/** Where the SELECT at `select`, not in parentheses, ends: its UNION / INTERSECT / EXCEPT, `;` or the end. */
function statementEnd(tokens: Token[], select: number): number {
  let depth = 0;
  for (let i = select + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isOperator(token, '(')) depth++;
    else if (isOperator(token, ')')) depth--;
    else if (
      depth === 0 &&
      (isOperator(token, ';') || ['UNION', 'INTERSECT', 'EXCEPT'].some((word) => isWord(token, word)))
    ) {
      return i;
    }
  }
  return tokens.length - 1;
}

/** The ORDER BY of the SELECT whose FROM is at `from`, removed: its rows are none, and it may name replaced items. */
function orderByClause(tokens: Token[], from: number, end: number): Edit[] {
  let depth = 0;
  for (let i = from + 1; i < end; i++) {
    const token = tokens[i]!;
    if (isOperator(token, '(')) depth++;
    else if (isOperator(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'ORDER') && isWord(tokens[i + 1], 'BY')) {
      let last = i + 1;
      let inner = 0;
      for (let j = i + 2; j < end; j++) {
        const candidate = tokens[j]!;
        if (isOperator(candidate, '(')) inner++;
        else if (isOperator(candidate, ')')) inner--;
        if (inner === 0 && (isWord(candidate, 'LIMIT') || isWord(candidate, 'OFFSET') || candidate.kind === 'eof'))
          break;
        if (inner < 0 || isOperator(candidate, ';')) break;
        last = j;
      }
      return [{ start: token.span.start, end: tokens[last]!.span.end, text: '' }];
    }
  }
  return [];
}

/**
 * The value of the subquery `( SELECT ... )` at tokens[open..close] with no rows, spanning its
 * EXISTS / NOT EXISTS / ARRAY prefix; undefined where it is not a value (a derived table, a
 * UNION branch, IN's list).
 */
function emptyValue(tokens: Token[], open: number, close: number): Edit | undefined {
  const before = tokens[open - 1];
  const end = tokens[close]!.span.end;
  if (before === undefined || (before.kind === 'word' && tableContexts.has(before.upper)) || isWord(before, 'IN')) {
    return undefined;
  }
  if (isWord(before, 'EXISTS')) {
    const not = isWord(tokens[open - 2], 'NOT');
    return { start: (not ? tokens[open - 2]! : before).span.start, end, text: String(not) };
  }
  if (isWord(before, 'ARRAY')) return { start: before.span.start, end, text: "'{}'" };
  return { start: tokens[open]!.span.start, end, text: 'NULL' };
}

/** `sql` with subqueries over always-empty tables, and the subqueries inside SELECTs that read one, folded. */
export function foldEmptySubqueries(sql: string, isEmpty: (table: string) => boolean): string {
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'SELECT')) continue;
    const open = isOperator(tokens[i - 1], '(') ? i - 1 : -1;
    const end = open >= 0 ? closingParen(tokens, open) : statementEnd(tokens, i);
    if (end < 0) continue;
    const from = emptyFrom(tokens, i, end, isEmpty);
    if (from < 0) continue;
    const folded = open >= 0 ? emptyValue(tokens, open, end) : undefined;
    if (folded) {
      edits.push(folded);
    } else {
      edits.push(...nullSelectList(tokens, i, from), ...orderByClause(tokens, from, end));
      // Subqueries after FROM (in WHERE, ORDER BY) do not matter either: each is NULL.
      for (let j = from + 1; j < end; j++) {
        if (!isOperator(tokens[j], '(') || !isWord(tokens[j + 1], 'SELECT')) continue;
        const close = closingParen(tokens, j);
        if (close < 0) break;
        const value = emptyValue(tokens, j, close);
        if (value) edits.push({ ...value, text: value.text === "'{}'" ? 'NULL' : value.text });
        j = close;
      }
    }
    i = end;
  }
  return edits.length === 0 ? sql : applyEdits(sql, edits);
}
