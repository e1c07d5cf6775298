/**
 * String functions of MySQL's and PostgreSQL's lists that GreptimeDB (through DataFusion)
 * offers: repeat, initcap, locate/strpos/instr, lpad/rpad, insert, format, elt, field, space,
 * left/right, regexp_extract, ends_with, split_part, ascii, chr, to_hex.
 */
import type { ScalarFunction } from './function.ts';
import { mapRows, noMatchingSignature, numericLike, stringLike } from './helpers.ts';
import { readArgs, stringFunction } from './string-functions.ts';

/** 1-based character position of `needle` in `haystack`, 0 when absent. */
function position(haystack: string, needle: string): number {
  const at = haystack.indexOf(needle);
  return at < 0 ? 0 : [...haystack.slice(0, at)].length + 1;
}

/** MySQL `LOCATE(needle, haystack [, from])`: searching from the 1-based position `from`. */
function locate(haystack: string, needle: string, from: number | undefined): number {
  if (from === undefined) return position(haystack, needle);
  const start = Math.trunc(from);
  const chars = [...haystack];
  if (start < 1 || start > chars.length + 1) return 0;
  const found = position(chars.slice(start - 1).join(''), needle);
  return found === 0 ? 0 : found + start - 1;
}

/** Pads `text` to `width` characters with `fill` on the left or right; truncates when longer. */
function pad(text: string, width: number, fill: string, left: boolean): string {
  const chars = [...text];
  const target = Math.max(0, Math.trunc(width));
  if (chars.length >= target) return chars.slice(0, target).join('');
  if (fill === '') return text;
  const fillChars = [...fill];
  const padding: string[] = [];
  for (let i = 0; padding.length < target - chars.length; i++) padding.push(fillChars[i % fillChars.length]);
  return left ? padding.join('') + text : text + padding.join('');
}

/** `initcap`: the first letter of each alphanumeric word upper case, the rest lower case. */
function initcap(text: string): string {
  let out = '';
  let inWord = false;
  for (const ch of text) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

/** MySQL `INSERT(str, pos, len, newstr)`: the string unchanged when pos is outside it. */
function insert(text: string, pos: number, len: number, replacement: string): string {
  const chars = [...text];
  const start = Math.trunc(pos);
  if (start < 1 || start > chars.length) return text;
  const count = Math.trunc(len);
  const end = count < 0 || start - 1 + count > chars.length ? chars.length : start - 1 + count;
  return chars.slice(0, start - 1).join('') + replacement + chars.slice(end).join('');
}

/** MySQL `FORMAT(x, d)`: rounded to d decimals with `,` thousands separators. */
function formatNumber(value: number, decimals: number): string {
  const digits = Math.min(Math.max(0, Math.trunc(decimals)), 30);
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (fraction === undefined ? '' : '.' + fraction);
}

/** `split_part(str, delimiter, n)`: the n-th field (1-based; negative counts from the end). */
function splitPart(text: string, delimiter: string, n: number): string {
  const parts = delimiter === '' ? [text] : text.split(delimiter);
  const index = Math.trunc(n);
  if (index === 0) return '';
  const at = index > 0 ? index - 1 : parts.length + index;
  return parts[at] ?? '';
}

/** `elt(n, s1, s2, ...)`: the n-th string, NULL when n is out of range. */
const elt: ScalarFunction = {
  name: 'elt',
  signature: 'elt(Int64, Utf8, ...) -> Utf8',
  returnType(args) {
    if (args.length < 2 || !numericLike(args[0]) || !args.slice(1).every(stringLike)) {
      throw noMatchingSignature('elt', args);
    }
    return 'Utf8';
  },
  evaluate(args, length, type) {
    const index = args[0];
    const out = new Array<string>(length).fill('');
    const valid = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (index.type === 'Null' || (index.valid !== null && index.valid[i] === 0)) continue;
      const n = Math.trunc((index.values as Float64Array)[i]);
      const column = args[n];
      if (n < 1 || column === undefined || column.type === 'Null') continue;
      if (column.valid !== null && column.valid[i] === 0) continue;
      out[i] = (column.values as string[])[i];
      valid[i] = 1;
    }
    return { type, length, values: out, valid };
  },
};

/** `field(s, s1, s2, ...)`: the 1-based index of the first si equal to s, else 0. */
const field: ScalarFunction = {
  name: 'field',
  signature: 'field(Utf8, Utf8, ...) -> Int64',
  returnType(args) {
    if (args.length < 2 || !args.every(stringLike)) throw noMatchingSignature('field', args);
    return 'Int64';
  },
  evaluate(args, length, type) {
    const out = new Float64Array(length);
    const [needle, ...list] = args;
    for (let i = 0; i < length; i++) {
      if (needle.type === 'Null' || (needle.valid !== null && needle.valid[i] === 0)) continue;
      const value = (needle.values as string[])[i];
      for (let k = 0; k < list.length; k++) {
        const column = list[k];
        if (column.type === 'Null' || (column.valid !== null && column.valid[i] === 0)) continue;
        if ((column.values as string[])[i] === value) {
          out[i] = k + 1;
          break;
        }
      }
    }
    return { type, length, values: out, valid: null };
  },
};

/** `format(number, decimals)`. */
const format: ScalarFunction = {
  name: 'format',
  signature: 'format(numeric, Int64) -> Utf8',
  returnType(args) {
    if (args.length !== 2 || !args.every(numericLike)) throw noMatchingSignature('format', args);
    return 'Utf8';
  },
  evaluate: (args, length, type) =>
    mapRows(args, length, type, readArgs, ([value, decimals]) => formatNumber(value as number, decimals as number)),
};

/** `regexp_extract(str, pattern)`: the first match, NULL when none. */
const regexpExtract: ScalarFunction = {
  name: 'regexp_extract',
  signature: 'regexp_extract(Utf8, Utf8) -> Utf8',
  returnType(args) {
    if (args.length !== 2 || !args.every(stringLike)) throw noMatchingSignature('regexp_extract', args);
    return 'Utf8';
  },
  evaluate(args, length, type) {
    const cache = new Map<string, RegExp>();
    return mapRows(args, length, type, readArgs, ([text, pattern]) => {
      let regex = cache.get(pattern as string);
      if (regex === undefined) {
        regex = new RegExp(pattern as string, 'u');
        cache.set(pattern as string, regex);
      }
      const match = regex.exec(text as string);
      return match === null ? null : match[0];
    });
  },
};

/** These functions, registered by registry.ts. */
export const mysqlStringFunctions: ScalarFunction[] = [
  stringFunction('repeat', 'sn', 0, 'Utf8', ([s, n]) => (s as string).repeat(Math.max(0, Math.trunc(n as number)))),
  stringFunction('initcap', 's', 0, 'Utf8', ([s]) => initcap(s as string)),
  stringFunction('locate', 'ssn', 1, 'Int64', ([needle, haystack, from]) =>
    locate(haystack as string, needle as string, from as number | undefined),
  ),
  stringFunction('strpos', 'ss', 0, 'Int64', ([haystack, needle]) => position(haystack as string, needle as string)),
  stringFunction('instr', 'ss', 0, 'Int64', ([haystack, needle]) => position(haystack as string, needle as string)),
  stringFunction('lpad', 'sns', 1, 'Utf8', ([s, n, fill]) =>
    pad(s as string, n as number, (fill as string) ?? ' ', true),
  ),
  stringFunction('rpad', 'sns', 1, 'Utf8', ([s, n, fill]) =>
    pad(s as string, n as number, (fill as string) ?? ' ', false),
  ),
  stringFunction('insert', 'snns', 0, 'Utf8', ([s, pos, len, with_]) =>
    insert(s as string, pos as number, len as number, with_ as string),
  ),
  stringFunction('space', 'n', 0, 'Utf8', ([n]) => ' '.repeat(Math.max(0, Math.trunc(n as number)))),
  stringFunction('left', 'sn', 0, 'Utf8', ([s, n]) => {
    const chars = [...(s as string)];
    const count = Math.trunc(n as number);
    return chars.slice(0, count < 0 ? Math.max(0, chars.length + count) : count).join('');
  }),
  stringFunction('right', 'sn', 0, 'Utf8', ([s, n]) => {
    const chars = [...(s as string)];
    const count = Math.trunc(n as number);
    return count <= 0 ? chars.slice(Math.min(chars.length, -count)).join('') : chars.slice(-count).join('');
  }),
  stringFunction('ends_with', 'ss', 0, 'Boolean', ([s, suffix]) => (s as string).endsWith(suffix as string)),
  stringFunction('split_part', 'ssn', 0, 'Utf8', ([s, d, n]) => splitPart(s as string, d as string, n as number)),
  stringFunction('ascii', 's', 0, 'Int32', ([s]) => (s as string).codePointAt(0) ?? 0),
  stringFunction('chr', 'n', 0, 'Utf8', ([n]) => String.fromCodePoint(Math.trunc(n as number))),
  stringFunction('to_hex', 'n', 0, 'Utf8', ([n]) => Math.trunc(n as number).toString(16)),
  elt,
  field,
  format,
  regexpExtract,
];
