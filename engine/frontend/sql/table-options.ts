/**
 * Table and database options as GreptimeDB accepts them (`WITH (...)`, `ALTER ... SET`).
 *
 * Every option is kept in the table's metadata in its SQL spelling (what SHOW CREATE prints);
 * only the ones the region engine acts on go to the regions (`regionOptionsOf`): ttl,
 * append_mode, merge_mode, write_buffer_size and compaction.twcs.time_window. The others
 * (compaction.type, memtable.*, index.*, storage, sst_format, skip_wal, auto_flush_interval,
 * ...) are accepted, checked where GreptimeDB checks them, and remembered.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { getDatabase } from '../../rpc/index.ts';
import type { TableName } from '../../rpc/index.ts';
import type { SqlOption } from '../../sql/index.ts';
import { optionText } from './create-table-schema.ts';
import type { TableContext } from './table-catalog.ts';

const exactKeys = new Set([
  'ttl',
  'storage',
  'comment',
  'write_buffer_size',
  'append_mode',
  'merge_mode',
  'skip_wal',
  'sst_format',
  'wal_options',
  'compaction.type',
  'memtable.type',
  'auto_flush_interval',
  'max_row_group_row_count',
  'table_data_model',
  'physical_metric_table',
  'on_physical_table',
  'primary_key_encoding',
]);

const keyPrefixes = ['compaction.twcs.', 'memtable.partition_tree.', 'index.', 'greptime.semantic.', 'memtable.'];

/** Whether GreptimeDB accepts `key` as a table option. */
export function isTableOptionKey(key: string): boolean {
  return exactKeys.has(key) || keyPrefixes.some((prefix) => key.startsWith(prefix));
}

/** Database options GreptimeDB accepts in CREATE / ALTER DATABASE. */
export function isDatabaseOptionKey(key: string): boolean {
  return (
    [
      'ttl',
      'compaction.type',
      'memtable.type',
      'append_mode',
      'merge_mode',
      'skip_wal',
      'sst_format',
      'storage',
      'write_buffer_size',
    ].includes(key) ||
    key.startsWith('compaction.twcs.') ||
    key.startsWith('memtable.partition_tree.')
  );
}

/** What a ttl text means: keep forever, drop at once, or keep for a duration. */
export type Ttl = { kind: 'forever' } | { kind: 'instant' } | { kind: 'duration'; text: string };

/** GreptimeDB's ttl spellings: 'forever', '' and zero durations keep forever; 'instant' drops at once. */
export function parseTtl(text: string): Ttl | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === '' || lower === 'forever') return { kind: 'forever' };
  if (lower === 'instant' || lower === 'immediate') return { kind: 'instant' };
  const parts = /^(?:\s*\d+\s*[a-z]+)+\s*$/i.test(lower) ? [...lower.matchAll(/(\d+)\s*([a-z]+)/g)] : undefined;
  if (!parts) return undefined;
  if (!parts.every(([, , unit]) => durationUnit.test(unit!))) return undefined;
  if (parts.every(([, count]) => Number(count) === 0)) return { kind: 'forever' };
  return { kind: 'duration', text: text.trim() };
}

const durationUnit =
  /^(?:ns|nsec|us|usec|ms|msec|millis|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|M|month|months|y|year|years)$/;

function isPositiveDuration(text: string): boolean {
  const ttl = parseTtl(text);
  return ttl?.kind === 'duration';
}

/** Checks an option's value; returns a message when GreptimeDB would refuse it. */
export function optionValueProblem(key: string, value: string): string | undefined {
  const lower = value.trim().toLowerCase();
  switch (key) {
    case 'ttl':
      return parseTtl(value) ? undefined : `Invalid ttl: ${value}`;
    case 'append_mode':
    case 'skip_wal':
    case 'compaction.twcs.fallback_to_local':
    case 'compaction.twcs.remote_compaction':
      return lower === 'true' || lower === 'false' ? undefined : `expected 'true' or 'false'`;
    case 'merge_mode':
      return ['', 'last_row', 'last_non_null'].includes(lower) ? undefined : `expected 'last_row' or 'last_non_null'`;
    case 'compaction.type':
      return lower === 'twcs' ? undefined : `expected 'twcs'`;
    case 'compaction.twcs.time_window':
    case 'auto_flush_interval':
      return isPositiveDuration(value) ? undefined : 'expected a duration';
    case 'max_row_group_row_count': {
      const count = Number(value);
      return Number.isInteger(count) && count > 0 && count <= 10485760
        ? undefined
        : `max_row_group_row_count must be in (0, 10485760], got ${value}`;
    }
    case 'compaction.twcs.trigger_file_num':
      return /^\d+$/.test(value.trim()) ? undefined : 'expected an integer';
    case 'sst_format':
      return ['primary_key', 'flat'].includes(lower) ? undefined : `expected 'primary_key' or 'flat'`;
    default:
      return undefined;
  }
}

/** `WITH (...)` of CREATE TABLE → checked options; `Unrecognized table option key` for an unknown key. */
export function tableOptionsOf(options: readonly SqlOption[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const option of options) {
    if (!isTableOptionKey(option.key)) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Unrecognized table option key: ${option.key}`);
    }
    const value = optionText(option.value);
    const problem = optionValueProblem(option.key, value);
    if (problem) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        option.key === 'max_row_group_row_count'
          ? `Invalid region options, ${problem}`
          : `Invalid table option, key: ${option.key}, value: ${value}: ${problem}`,
      );
    }
    record[option.key] = value;
  }
  return record;
}

/** The keys the region engine acts on. */
const regionKeys = new Set(['ttl', 'append_mode', 'merge_mode', 'write_buffer_size', 'compaction.twcs.time_window']);

/**
 * The subset of table options that goes to the regions, in the spelling the region options
 * parse: ttl 'forever'/zero is left out (keep forever), 'instant' stays, an empty merge_mode
 * is the default.
 */
export function regionOptionsOf(options: Readonly<Record<string, string>>): Record<string, string> {
  const region: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!regionKeys.has(key)) continue;
    if (key === 'ttl') {
      const ttl = parseTtl(value);
      if (!ttl || ttl.kind === 'forever') continue;
      region.ttl = ttl.kind === 'instant' ? 'instant' : ttl.text;
    } else if (key === 'merge_mode' && value.trim() === '') continue;
    else region[key] = value;
  }
  return region;
}

/** For ALTER: which region keys a SET must clear rather than set (ttl 'forever', merge_mode ''). */
export function regionKeysCleared(options: Readonly<Record<string, string>>): string[] {
  const set = regionOptionsOf(options);
  return Object.keys(options).filter((key) => regionKeys.has(key) && !(key in set));
}

/** Whether the region engine knows `key`. */
export function isRegionOptionKey(key: string): boolean {
  return regionKeys.has(key);
}

/** A key as SHOW CREATE prints it: bare when it is a plain identifier, else single-quoted. */
export function optionKeyText(key: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(key) ? key : `'${key.replace(/'/g, "''")}'`;
}

/** `WITH(\n  k = 'v',\n ...\n)` sorted by key, or '' without options. */
export function withClauseText(options: Readonly<Record<string, string>>): string {
  const keys = Object.keys(options).sort();
  if (keys.length === 0) return '';
  const lines = keys.map((key) => `  ${optionKeyText(key)} = '${options[key]!.replace(/'/g, "''")}'`);
  return `WITH(\n${lines.join(',\n')}\n)`;
}

/**
 * A new table's options with its database's filled in where the table sets none, as
 * GreptimeDB's CREATE TABLE does (ttl, append_mode, merge_mode, memtable.*, skip_wal,
 * sst_format; compaction options stay the database's).
 */
export async function withDatabaseOptions(
  context: TableContext,
  name: TableName,
  options: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const { database } = await context.metasrv.call(
    getDatabase,
    { catalog: name.catalog, name: name.schema },
    { deadlineMs: 10_000 },
  );
  const merged = { ...options };
  for (const [key, value] of Object.entries(database?.options ?? {})) {
    if (key.startsWith('compaction.') || key in merged) continue;
    merged[key] = value;
  }
  return merged;
}
