/**
 * Splitting SQL text into statements (on `;` outside quotes and comments), finding the one
 * under the cursor, and reading an error's position from the server's message.
 */

export interface StatementSpan {
  text: string;
  /** Offsets into the whole text. */
  start: number;
  end: number;
}

export function splitStatements(sql: string): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    const raw = sql.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '') spans.push({ text, start: start + lead, end: start + lead + text.length });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const close = sql.indexOf('\n', i);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(sql.length);
  return spans;
}

/** The statement containing `offset`, or the one just before it (cursor after its `;`). */
export function statementAt(sql: string, offset: number): StatementSpan | undefined {
  const spans = splitStatements(sql);
  let best: StatementSpan | undefined;
  for (const span of spans) {
    if (span.start <= offset) best = span;
    if (offset <= span.end) return best ?? span;
  }
  return best;
}

/**
 * "… at line 1, column 11" (Tessera) or "… at Line: 1, Column: 11" (GreptimeDB's sqlparser):
 * the 1-based position inside the statement, if the message names one.
 */
export function errorPosition(message: string): { line: number; column: number } | undefined {
  const match = /line:?\s*(\d+),\s*column:?\s*(\d+)/i.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** A 1-based line/column inside `span` as an offset into the whole text. */
export function offsetInText(sql: string, span: StatementSpan, line: number, column: number): number {
  let offset = span.start;
  for (let l = 1; l < line; l++) {
    const next = sql.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, sql.length);
}
