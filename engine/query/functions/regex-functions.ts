/**
 * Regular-expression functions as DataFusion has them: `regexp_like(text, pattern [, flags])`
 * (also the `~`, `~*`, `!~`, `!~*` operators) and `regexp_replace(text, pattern, replacement
 * [, flags])`, which replaces the first match unless the flags hold `g`. Patterns are compiled
 * once per distinct pattern and flags in a batch.
 */
import { executionError } from '../errors.ts';
import type { ScalarFunction } from './function.ts';
import { mapRows, noMatchingSignature, stringLike } from './helpers.ts';
import { readArgs } from './string-functions.ts';

/** A compiler of (pattern, flags) with a per-batch cache. */
function regexCache(): (pattern: string, flags: string) => RegExp {
  const cache = new Map<string, RegExp>();
  return (pattern, flags) => {
    const key = `${flags}/${pattern}`;
    let regex = cache.get(key);
    if (regex === undefined) {
      const jsFlags = (flags.includes('i') ? 'i' : '') + (flags.includes('g') ? 'g' : '') + 'u';
      try {
        regex = new RegExp(pattern, jsFlags);
      } catch {
        throw executionError(`Regular expression did not compile: '${pattern}'`);
      }
      cache.set(key, regex);
    }
    return regex;
  };
}

const regexpLike: ScalarFunction = {
  name: 'regexp_like',
  signature: 'regexp_like(Utf8, Utf8 [, Utf8]) -> Boolean',
  returnType(args) {
    if (args.length < 2 || args.length > 3 || !args.every(stringLike)) throw noMatchingSignature('regexp_like', args);
    return 'Boolean';
  },
  evaluate(args, length, type) {
    const compile = regexCache();
    return mapRows(args, length, type, readArgs, ([text, pattern, flags]) =>
      compile(pattern as string, (flags as string | undefined) ?? '').test(text as string),
    );
  },
};

const regexpReplace: ScalarFunction = {
  name: 'regexp_replace',
  signature: 'regexp_replace(Utf8, Utf8, Utf8 [, Utf8]) -> Utf8',
  returnType(args) {
    if (args.length < 3 || args.length > 4 || !args.every(stringLike)) {
      throw noMatchingSignature('regexp_replace', args);
    }
    return 'Utf8';
  },
  evaluate(args, length, type) {
    const compile = regexCache();
    return mapRows(args, length, type, readArgs, ([text, pattern, replacement, flags]) => {
      // Rust's `${1}` / `\1` group references become JavaScript's `$1`.
      const jsReplacement = (replacement as string).replace(
        /\$\{(\d+)\}|\\(\d)/g,
        (_, a: string, b: string) => `$${a ?? b}`,
      );
      return (text as string).replace(compile(pattern as string, (flags as string | undefined) ?? ''), jsReplacement);
    });
  },
};

/** Regex functions, registered by registry.ts. */
export const regexFunctions: ScalarFunction[] = [regexpLike, regexpReplace];
