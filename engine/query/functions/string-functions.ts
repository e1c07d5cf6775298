/** String functions: lower, upper, length, concat, substr, replace, trim/ltrim/rtrim, starts_with. */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mapRows, noMatchingSignature, numericLike, stringLike } from './helpers.ts';

export function readArgs(args: Column[], row: number): (string | number)[] {
  return args.map((column) => (column.values as (string | number)[] | Float64Array)[row] as string | number);
}

/**
 * A function of string arguments (`kinds`: `s` string, `n` number) evaluated on rows where
 * every argument is valid (NULL in, NULL out).
 */
export function stringFunction(
  name: string,
  kinds: string,
  optional: number,
  returns: SqlType,
  fn: (args: (string | number)[]) => string | number | boolean | null,
): ScalarFunction {
  return {
    name,
    signature: `${name}(${[...kinds].map((kind) => (kind === 's' ? 'Utf8' : 'Int64')).join(', ')}) -> ${returns}`,
    returnType(args) {
      expectArgCount(name, args, kinds.length - optional, kinds.length);
      for (let i = 0; i < args.length; i++) {
        const ok = kinds[i] === 's' ? stringLike(args[i]) : numericLike(args[i]);
        if (!ok) throw noMatchingSignature(name, args);
      }
      return returns;
    },
    evaluate: (args, length, type) => mapRows(args, length, type, readArgs, fn),
  };
}

/** `concat(a, b, ...)`: NULL arguments count as empty strings; numbers print as text. */
const concat: ScalarFunction = {
  name: 'concat',
  signature: 'concat(any, ...) -> Utf8',
  returnType(args) {
    if (args.length === 0) throw noMatchingSignature('concat', args);
    return 'Utf8';
  },
  evaluate(args, length, type) {
    const out = new Array<string>(length);
    for (let i = 0; i < length; i++) {
      let text = '';
      for (const column of args) {
        if (column.type === 'Null' || (column.valid !== null && column.valid[i] === 0)) continue;
        const values = column.values as string[] | Float64Array | Uint8Array;
        text += column.type === 'Boolean' ? (values[i] ? 'true' : 'false') : String(values[i]);
      }
      out[i] = text;
    }
    return { type, length, values: out, valid: null };
  },
};

function substr(args: (string | number)[]): string {
  const chars = [...(args[0] as string)];
  const start = Math.trunc(args[1] as number);
  // SQL positions are 1-based; a start before 1 eats into the length, as PostgreSQL does.
  const begin = Math.max(start, 1);
  if (args.length < 3) return chars.slice(begin - 1).join('');
  const end = start + Math.trunc(args[2] as number);
  return end <= begin ? '' : chars.slice(begin - 1, end - 1).join('');
}

function trimChars(text: string, chars: string, leading: boolean, trailing: boolean): string {
  let start = 0;
  let end = text.length;
  if (leading) while (start < end && chars.includes(text[start])) start++;
  if (trailing) while (end > start && chars.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/** String functions, registered by registry.ts. */
export const stringFunctions: ScalarFunction[] = [
  stringFunction('lower', 's', 0, 'Utf8', ([s]) => (s as string).toLowerCase()),
  stringFunction('upper', 's', 0, 'Utf8', ([s]) => (s as string).toUpperCase()),
  stringFunction('length', 's', 0, 'Int32', ([s]) => [...(s as string)].length),
  stringFunction('char_length', 's', 0, 'Int32', ([s]) => [...(s as string)].length),
  stringFunction('character_length', 's', 0, 'Int32', ([s]) => [...(s as string)].length),
  stringFunction('octet_length', 's', 0, 'Int32', ([s]) => new TextEncoder().encode(s as string).length),
  stringFunction('bit_length', 's', 0, 'Int32', ([s]) => new TextEncoder().encode(s as string).length * 8),
  stringFunction('substr', 'snn', 1, 'Utf8', substr),
  stringFunction('substring', 'snn', 1, 'Utf8', substr),
  stringFunction('replace', 'sss', 0, 'Utf8', ([s, from, to]) =>
    (s as string).split(from as string).join(to as string),
  ),
  stringFunction('trim', 'ss', 1, 'Utf8', ([s, chars]) => trimChars(s as string, (chars as string) ?? ' ', true, true)),
  stringFunction('btrim', 'ss', 1, 'Utf8', ([s, chars]) =>
    trimChars(s as string, (chars as string) ?? ' ', true, true),
  ),
  stringFunction('ltrim', 'ss', 1, 'Utf8', ([s, chars]) =>
    trimChars(s as string, (chars as string) ?? ' ', true, false),
  ),
  stringFunction('rtrim', 'ss', 1, 'Utf8', ([s, chars]) =>
    trimChars(s as string, (chars as string) ?? ' ', false, true),
  ),
  stringFunction('starts_with', 'ss', 0, 'Boolean', ([s, prefix]) => (s as string).startsWith(prefix as string)),
  stringFunction('reverse', 's', 0, 'Utf8', ([s]) => [...(s as string)].reverse().join('')),
  concat,
];
