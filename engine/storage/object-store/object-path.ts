/**
 * The rules object paths follow in every store, checked before any I/O so that a path that
 * works on a local directory also works on S3 and the other way round:
 *
 * - relative and '/'-separated, 1 to 1024 characters (S3's key limit is 1024 UTF-8 bytes;
 *   engine paths are ASCII);
 * - no empty segment (no leading, trailing or doubled '/');
 * - no segment starting with '.': that excludes '.' and '..' and reserves dot-names for the
 *   stores' own files (the local store's temp files are `.name.tmp`, never listed);
 * - no backslash and no control character.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';

const maxPathLength = 1024;

/** Why `path` is not a valid object path, or undefined when it is. */
function pathProblem(path: string, allowPartialLast: boolean): string | undefined {
  if (typeof path !== 'string') return 'not a string';
  if (path.length > maxPathLength) return `longer than ${maxPathLength} characters (${path.length})`;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return 'a backslash or control character';
  if (path.startsWith('/')) return 'an absolute path';
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '') {
      if (last && allowPartialLast) continue;
      return 'an empty segment';
    }
    if (segment === '..' || segment === '.') return `a '${segment}' segment`;
    if (segment.startsWith('.')) return `a segment starting with '.' (${segment})`;
  }
  return undefined;
}

/** Throws `InvalidArguments` naming the path, the store and the rule broken. */
export function checkObjectPath(path: string, storeName: string): void {
  if (path === '') {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid object path "" for ${storeName}: empty path`);
  }
  const problem = pathProblem(path, false);
  if (problem !== undefined) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid object path ${JSON.stringify(path)} for ${storeName}: ${problem}`,
    );
  }
}

/**
 * Throws `InvalidArguments` unless `prefix` is '' or a valid path, possibly ending in '/'
 * or in a partial segment ('regions/1/sst/' and 'regions/1' are both fine).
 */
export function checkListPrefix(prefix: string, storeName: string): void {
  if (prefix === '') return;
  const problem = pathProblem(prefix, true);
  if (problem !== undefined) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid list prefix ${JSON.stringify(prefix)} for ${storeName}: ${problem}`,
    );
  }
}

/** Throws `InvalidArguments` unless `offset` and `length` are non-negative safe integers. */
export function checkRange(path: string, offset: number, length: number, storeName: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid range of object ${path} in ${storeName}: offset ${offset} and length ${length} must be non-negative integers`,
    );
  }
}

/** The order `list` returns: JavaScript string order (UTF-16 code units; byte order for ASCII). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
