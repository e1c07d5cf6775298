/**
 * Parses data type names: `INT`, `BIGINT UNSIGNED`, `DOUBLE PRECISION`, `VARCHAR(255)`,
 * `DECIMAL(10, 2)`, `TIMESTAMP(3) WITH TIME ZONE`, `Float64`, `TIMESTAMP_MS`, `INT[]`.
 * Any name is accepted (GreptimeDB has many aliases and custom types such as `VECTOR(3)`);
 * the catalog decides what is supported.
 */
import type { DataType } from './ast-data-type.ts';
import type { Parser } from './parser.ts';

/** Second words of two-word type names, keyed by the first word. */
const TWO_WORD_TYPES: Record<string, string[]> = {
  DOUBLE: ['PRECISION'],
  CHARACTER: ['VARYING'],
  CHAR: ['VARYING'],
};

const INTEGER_TYPES = new Set(['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'MEDIUMINT']);
const ZONED_TYPES = new Set(['TIMESTAMP', 'TIME']);

/** Parses a data type at the cursor. */
export function parseDataType(p: Parser): DataType {
  const first = p.peek();
  if (first.kind !== 'word' && first.kind !== 'quoted-identifier') throw p.expected('a data type');
  p.next();
  let name = first.kind === 'word' ? first.upper : first.value;
  const second = TWO_WORD_TYPES[name];
  if (second !== undefined && p.peek().kind === 'word' && second.includes(p.peek().upper)) {
    name = `${name} ${p.next().upper}`;
  }

  const params: string[] = [];
  if (p.isOperator('(')) {
    p.next();
    while (!p.isOperator(')')) {
      const token = p.peek();
      if (token.kind === 'number' || token.kind === 'word' || token.kind === 'string') {
        p.next();
        params.push(token.kind === 'word' ? token.upper : token.value);
      } else if (token.kind === 'operator' && token.value === '-' && p.peek(1).kind === 'number') {
        p.next();
        params.push(`-${p.next().value}`);
      } else {
        throw p.expected('a type parameter');
      }
      if (!p.eatOperator(',')) break;
    }
    p.expectOperator(')');
  }

  let unsigned = false;
  if (INTEGER_TYPES.has(name) && p.isKeyword('UNSIGNED')) {
    p.next();
    unsigned = true;
  }

  let timeZone: DataType['timeZone'] = null;
  if (ZONED_TYPES.has(name)) {
    if (p.eatKeywords('WITH', 'TIME', 'ZONE')) timeZone = 'with';
    else if (p.eatKeywords('WITHOUT', 'TIME', 'ZONE')) timeZone = 'without';
  }

  let arrayDepth = 0;
  while (p.isOperator('[') && p.isOperator(']', 1)) {
    p.next();
    p.next();
    arrayDepth++;
  }

  return { name, params, unsigned, timeZone, arrayDepth, span: p.spanFrom(first) };
}
