/**
 * A column's secondary index clause (`INVERTED INDEX`, `FULLTEXT INDEX WITH(...)`,
 * `SKIPPING INDEX WITH(...)`) checked and completed as GreptimeDB does: its options are
 * validated with GreptimeDB's errors, and the clause is stored with every option filled in
 * (SHOW CREATE TABLE prints the defaults GreptimeDB fills). `TableInfo.columnIndexes` holds a
 * column's clauses joined by a space; indexes are metadata only (nothing is built yet).
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnIndexType, Expr, SqlOption } from '../../sql/index.ts';
import { formatExpr } from '../../sql/index.ts';
import type { WireColumnType } from './column-types.ts';

/** GreptimeDB's defaults: bloom filters every 10240 rows at a 1% false positive rate. */
const defaultGranularity = '10240';
const defaultFalsePositiveRate = '0.01';

const clauseOrder: readonly ColumnIndexType[] = ['INVERTED', 'FULLTEXT', 'SKIPPING', 'VECTOR'];

function unexpected(message: string): TesseraError {
  return new TesseraError(ErrorCode.Unexpected, message);
}

function invalidColumnOption(column: string, message: string): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Invalid column option, column name: ${column}, error: ${message}`,
  );
}

/** An option value as text; GreptimeDB refuses expressions (`-0.01`) as index option values. */
function optionValueText(value: Expr): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'identifier':
      return value.parts.map((part) => part.text).join('.');
    default:
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid expr as option value, error: ${formatExpr(value)} not accepted`,
      );
  }
}

function optionMap(options: readonly SqlOption[]): Map<string, string> {
  return new Map(options.map((option) => [option.key.toLowerCase(), optionValueText(option.value)]));
}

function granularityOf(text: string | undefined, kind: string): string {
  if (text === undefined) return defaultGranularity;
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) {
    throw unexpected(`Invalid ${kind} option: Invalid granularity: ${text}, expected: positive integer`);
  }
  return String(Number(text));
}

function falsePositiveRateOf(text: string | undefined, kind: string): string {
  if (text === undefined) return defaultFalsePositiveRate;
  const rate = Number(text);
  if (text.trim() === '' || !(rate > 0 && rate <= 1)) {
    throw unexpected(`Invalid ${kind} option: Invalid false positive rate: ${text}, expected: 0.0 < rate <= 1.0`);
  }
  return String(rate);
}

function withText(entries: readonly (readonly [string, string])[]): string {
  return entries.map(([key, value]) => `${key} = '${value.replace(/'/g, "''")}'`).join(', ');
}

/** FULLTEXT options, completed: analyzer, backend, case_sensitive (+ bloom's granularity and rate). */
function fulltextClause(column: string, options: readonly SqlOption[]): string {
  const given = optionMap(options);
  const kind = 'fulltext';
  const known = new Set(['analyzer', 'backend', 'case_sensitive', 'granularity', 'false_positive_rate']);
  for (const key of given.keys()) {
    if (!known.has(key)) throw invalidColumnOption(column, `invalid FULLTEXT INDEX option: ${key}`);
  }
  const analyzerText = given.get('analyzer') ?? 'English';
  const analyzer = ['English', 'Chinese'].find((name) => name.toLowerCase() === analyzerText.toLowerCase());
  if (analyzer === undefined)
    throw unexpected(`Invalid ${kind} option: ${analyzerText}, expected: 'English' | 'Chinese'`);
  const caseText = given.get('case_sensitive') ?? 'false';
  if (!['true', 'false'].includes(caseText.toLowerCase())) {
    throw unexpected(`Invalid ${kind} option: ${caseText}, expected: 'true' | 'false'`);
  }
  const backendText = given.get('backend') ?? 'bloom';
  const backend = ['bloom', 'tantivy'].find((name) => name === backendText.toLowerCase());
  if (backend === undefined) throw unexpected(`Invalid ${kind} option: ${backendText}, expected: 'bloom' | 'tantivy'`);
  const granularity = granularityOf(given.get('granularity'), kind);
  const rate = falsePositiveRateOf(given.get('false_positive_rate'), kind);
  const entries: [string, string][] = [
    ['analyzer', analyzer],
    ['backend', backend],
    ['case_sensitive', caseText.toLowerCase()],
  ];
  if (backend === 'bloom') entries.push(['false_positive_rate', rate], ['granularity', granularity]);
  return `FULLTEXT INDEX WITH(${withText(entries)})`;
}

/** SKIPPING options, completed: false_positive_rate, granularity, type (BLOOM, the one kind). */
function skippingClause(column: string, options: readonly SqlOption[]): string {
  const given = optionMap(options);
  const kind = 'skipping index';
  for (const key of given.keys()) {
    if (!['granularity', 'false_positive_rate', 'type'].includes(key)) {
      throw invalidColumnOption(column, `invalid SKIPPING INDEX option: ${key}`);
    }
  }
  const type = (given.get('type') ?? 'BLOOM').toUpperCase();
  if (type !== 'BLOOM')
    throw unexpected(`Invalid ${kind} option: Invalid index type: ${given.get('type')}, expected: 'BLOOM'`);
  const rate = falsePositiveRateOf(given.get('false_positive_rate'), kind);
  const granularity = granularityOf(given.get('granularity'), kind);
  return `SKIPPING INDEX WITH(${withText([
    ['false_positive_rate', rate],
    ['granularity', granularity],
    ['type', type],
  ])})`;
}

/** The clause SHOW CREATE TABLE prints for one index of `column`, options checked and completed. */
export function indexClause(
  column: string,
  type: WireColumnType,
  indexType: ColumnIndexType,
  options: readonly SqlOption[],
): string {
  switch (indexType) {
    case 'FULLTEXT': {
      const clause = fulltextClause(column, options);
      if (type.kind !== 'string') throw invalidColumnOption(column, 'FULLTEXT index only supports string type');
      return clause;
    }
    case 'SKIPPING':
      return skippingClause(column, options);
    case 'INVERTED':
      return 'INVERTED INDEX';
    default: {
      const entries = options.map((option) => [option.key, optionValueText(option.value)] as const);
      return `${indexType} INDEX${entries.length > 0 ? ` WITH(${withText(entries)})` : ''}`;
    }
  }
}

/** A column's stored clauses (space-joined, in GreptimeDB's order), split by index type. */
export function indexClausesOf(text: string | undefined): Map<ColumnIndexType, string> {
  const clauses = new Map<ColumnIndexType, string>();
  if (text === undefined) return clauses;
  const pattern = /(INVERTED|FULLTEXT|SKIPPING|VECTOR) INDEX(?: WITH\((?:[^')]|'(?:[^']|'')*')*\))?/g;
  for (const match of text.matchAll(pattern)) clauses.set(match[1] as ColumnIndexType, match[0]);
  return clauses;
}

/** The stored text for a column's clauses; undefined when it has none. */
export function indexClausesText(clauses: ReadonlyMap<ColumnIndexType, string>): string | undefined {
  const ordered = clauseOrder.filter((type) => clauses.has(type)).map((type) => clauses.get(type)!);
  return ordered.length > 0 ? ordered.join(' ') : undefined;
}

/** `analyzer` and `case_sensitive` of a FULLTEXT clause (what a later SET may not change). */
export function fulltextIdentity(clause: string): { analyzer: string; caseSensitive: string } {
  const analyzer = /analyzer = '([^']*)'/.exec(clause)?.[1] ?? 'English';
  const caseSensitive = /case_sensitive = '([^']*)'/.exec(clause)?.[1] ?? 'false';
  return { analyzer, caseSensitive };
}
