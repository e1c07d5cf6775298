/**
 * Source positions. Every token and every AST node carries a `Span` so that errors, the
 * workbench (highlighting) and later stages (planning errors) can point at the text.
 *
 * `start`/`end` are UTF-16 offsets into the parsed text (what `String.prototype.slice` takes),
 * `end` exclusive. `line` and `column` are 1-based and describe `start`; columns count code
 * points, as GreptimeDB's messages do, so an emoji earlier on the line counts once.
 */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** A span covering `first` through `last` (both inclusive). */
export function spanBetween(first: Span, last: Span): Span {
  return { start: first.start, end: last.end, line: first.line, column: first.column };
}

/** A zero-width span at the start of `at`, for nodes that stand for something implicit. */
export function emptySpanAt(at: Span): Span {
  return { start: at.start, end: at.start, line: at.line, column: at.column };
}

/**
 * A deep copy of an AST (or any JSON-like value) without `span` and `querySpan` fields, for
 * comparing trees that came from different texts (tests, round trips, plan caches).
 */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripSpans) as T;
  if (node !== null && typeof node === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'span' && key !== 'querySpan') copy[key] = stripSpans(value);
    }
    return copy as T;
  }
  return node;
}
