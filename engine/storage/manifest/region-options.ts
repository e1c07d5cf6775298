/**
 * A region's table options (issue 3: `ttl`, `append_mode`, `merge_mode`, `write_buffer_size`,
 * `compaction.twcs.time_window`) as a typed record with units in the names, kept in the
 * manifest so every datanode that opens the region applies the same ones.
 *
 * Two spellings exist: the SQL one (`WITH ('ttl' = '7d', 'append_mode' = 'true')`, GreptimeDB's
 * keys and humane values), read by `parseRegionOptions` and written by `regionOptionsToRecord`,
 * and the typed one (`{ ttlMs: 604800000, appendMode: true, ... }`) checked by
 * `checkRegionOptions`. Both reject an unknown key with `InvalidArguments` naming it: a typo
 * such as `'tll'` must not be silently ignored and leave data that never expires.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import {
  ShapeError,
  describeValue,
  expectBoolean,
  expectInteger,
  expectRecord,
  rejectUnknownKeys,
} from '../shape-check.ts';

/** How rows with the same (primary key, time) are deduplicated when `appendMode` is off. */
export type MergeMode = 'last_row' | 'last_non_null';

/** A region's options; optional fields left out mean "the engine's default". */
export interface RegionOptions {
  /**
   * Rows whose time index is older than now − ttl are dropped, in milliseconds; absent = forever;
   * 0 = GreptimeDB's ttl 'instant': writes are discarded and nothing is kept.
   */
  ttlMs?: number;
  /** Keep every row, duplicates included (no deduplication on read or compaction). */
  appendMode: boolean;
  /** Deduplication rule when `appendMode` is false. */
  mergeMode: MergeMode;
  /** Memtable bytes after which the region flushes; absent = the engine's default. */
  writeBufferBytes?: number;
  /** Time-window compaction bucket width in milliseconds; absent = inferred from the data. */
  twcsTimeWindowMs?: number;
}

/** The typed keys, in the order they are stored. */
const typedKeys = ['ttlMs', 'appendMode', 'mergeMode', 'writeBufferBytes', 'twcsTimeWindowMs'] as const;

/** SQL option key → typed key. */
const sqlKeys: Record<string, (typeof typedKeys)[number]> = {
  ttl: 'ttlMs',
  append_mode: 'appendMode',
  merge_mode: 'mergeMode',
  write_buffer_size: 'writeBufferBytes',
  'compaction.twcs.time_window': 'twcsTimeWindowMs',
};

/** Options of a region created without any: keep forever, deduplicate by last row. */
export function defaultRegionOptions(): RegionOptions {
  return { appendMode: false, mergeMode: 'last_row' };
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, message);
}

/**
 * Checks a typed options record and returns a normalized copy (known keys only, absent optional
 * fields left out rather than undefined). Throws `ShapeError`; `checkRegionOptions` is the
 * `InvalidArguments` flavour for callers.
 */
export function normalizeRegionOptions(value: unknown, where = 'options'): RegionOptions {
  const record = expectRecord(value, where);
  rejectUnknownKeys(record, typedKeys, where);
  const mergeMode = record.mergeMode;
  if (mergeMode !== 'last_row' && mergeMode !== 'last_non_null') {
    throw new ShapeError(`${where}.mergeMode must be "last_row" or "last_non_null", not ${describeValue(mergeMode)}`);
  }
  const options: RegionOptions = { appendMode: expectBoolean(record.appendMode, `${where}.appendMode`), mergeMode };
  if (options.appendMode && mergeMode !== 'last_row') {
    throw new ShapeError(`${where}.mergeMode "${mergeMode}" cannot be used with appendMode, which keeps every row`);
  }
  if (record.ttlMs !== undefined) options.ttlMs = expectInteger(record.ttlMs, `${where}.ttlMs`, 0);
  if (record.writeBufferBytes !== undefined) {
    options.writeBufferBytes = expectInteger(record.writeBufferBytes, `${where}.writeBufferBytes`, 1);
  }
  if (record.twcsTimeWindowMs !== undefined) {
    options.twcsTimeWindowMs = expectInteger(record.twcsTimeWindowMs, `${where}.twcsTimeWindowMs`, 1);
  }
  return options;
}

/** `normalizeRegionOptions` for a caller's value: throws `InvalidArguments` naming the key. */
export function checkRegionOptions(value: unknown): RegionOptions {
  try {
    return normalizeRegionOptions(value);
  } catch (error) {
    if (error instanceof ShapeError) throw invalid(`Invalid region options: ${error.message}`);
    throw error;
  }
}

/**
 * Reads SQL-spelled options (`{ ttl: '7d', append_mode: 'true' }`) on top of `base` (the
 * defaults, or the current options for `ALTER TABLE ... SET`). Keys are case-insensitive;
 * `ttl` takes a duration or 'forever', `write_buffer_size` a size ('64MB', '1GiB', bytes),
 * `compaction.twcs.time_window` a duration. Throws `InvalidArguments` naming the key and value.
 */
export function parseRegionOptions(
  raw: Readonly<Record<string, string>>,
  base = defaultRegionOptions(),
): RegionOptions {
  const options: RegionOptions = { ...base };
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = rawKey.toLowerCase();
    const typed = sqlKeys[key];
    if (typed === undefined) {
      throw invalid(`Unknown region option "${rawKey}"; known options: ${Object.keys(sqlKeys).join(', ')}`);
    }
    const bad = (expected: string): TesseraError =>
      invalid(`Invalid value ${JSON.stringify(value)} for region option "${rawKey}": expected ${expected}`);
    const text = String(value).trim();
    switch (typed) {
      case 'ttlMs': {
        const lower = text.toLowerCase();
        if (lower === 'forever' || lower === '0' || lower === '') delete options.ttlMs;
        else if (lower === 'instant' || lower === 'immediate') options.ttlMs = 0;
        else
          options.ttlMs = parseDurationMs(text) ?? throwError(bad("a duration such as '7d' or '1h30m', or 'forever'"));
        break;
      }
      case 'appendMode': {
        const lower = text.toLowerCase();
        if (lower !== 'true' && lower !== 'false') throw bad("'true' or 'false'");
        options.appendMode = lower === 'true';
        break;
      }
      case 'mergeMode': {
        const lower = text.toLowerCase();
        if (lower !== 'last_row' && lower !== 'last_non_null') throw bad("'last_row' or 'last_non_null'");
        options.mergeMode = lower;
        break;
      }
      case 'writeBufferBytes':
        options.writeBufferBytes = parseSizeBytes(text) ?? throwError(bad("a size such as '64MB' or '1GiB'"));
        break;
      case 'twcsTimeWindowMs':
        options.twcsTimeWindowMs = parseDurationMs(text) ?? throwError(bad("a duration such as '1h' or '1d'"));
        break;
    }
  }
  return checkRegionOptions(options);
}

/** The SQL spelling of `options` (for SHOW CREATE TABLE): only the fields that are set, `mergeMode` always. */
export function regionOptionsToRecord(options: RegionOptions): Record<string, string> {
  const record: Record<string, string> = {};
  if (options.ttlMs !== undefined) record.ttl = options.ttlMs === 0 ? 'instant' : formatDurationMs(options.ttlMs);
  record.append_mode = String(options.appendMode);
  record.merge_mode = options.mergeMode;
  if (options.writeBufferBytes !== undefined) record.write_buffer_size = formatSizeBytes(options.writeBufferBytes);
  if (options.twcsTimeWindowMs !== undefined) {
    record['compaction.twcs.time_window'] = formatDurationMs(options.twcsTimeWindowMs);
  }
  return record;
}

function throwError(error: Error): never {
  throw error;
}

/** Milliseconds per duration unit (humantime's spellings; a year is 365.25 days, as there). */
const durationUnits: Record<string, number> = {
  ms: 1,
  msec: 1,
  millis: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  y: 31_557_600_000,
  year: 31_557_600_000,
  years: 31_557_600_000,
};

/**
 * A duration such as '7d', '1h30m' or '90 minutes' in whole milliseconds, or undefined when the
 * text is not one (or is zero, or finer than a millisecond, or too long to count exactly).
 */
export function parseDurationMs(text: string): number | undefined {
  const parts = /^\s*(?:\d+\s*[a-z]+\s*)+$/i.test(text) ? text.matchAll(/(\d+)\s*([a-z]+)/gi) : undefined;
  if (parts === undefined) return undefined;
  let total = 0;
  for (const [, count, unit] of parts) {
    const scale = durationUnits[unit!.toLowerCase()];
    if (scale === undefined) return undefined;
    total += Number(count) * scale;
  }
  return Number.isSafeInteger(total) && total > 0 ? total : undefined;
}

/** The shortest exact spelling of a duration: '7d', '90m', '1500ms'. */
export function formatDurationMs(ms: number): string {
  for (const [unit, scale] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % scale === 0) return `${ms / scale}${unit}`;
  }
  return `${ms}ms`;
}

/** Bytes per size unit; KB and KiB alike are 1024, as in GreptimeDB's `ReadableSize`. */
const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** A size such as '64MB', '1.5GiB' or '4096' in whole bytes (rounded down), or undefined when the text is not one. */
export function parseSizeBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const scale = sizeUnits[match[2]!.toLowerCase()];
  if (scale === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * scale);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** The shortest exact spelling of a size: '64MiB', '1GiB', '1000B'. */
export function formatSizeBytes(bytes: number): string {
  for (const [unit, scale] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return `${bytes}B`;
}
