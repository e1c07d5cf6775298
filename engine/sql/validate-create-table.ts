/**
 * The time index rules GreptimeDB checks while parsing CREATE TABLE, with its codes and
 * messages (clients and the sqlness suite see these exact errors):
 *
 * - a column's `TIME INDEX` may not be `NULL` and must be a timestamp type (1004);
 * - a table needs exactly one time index, written on a column or as `TIME INDEX (col)`, and
 *   that column must exist (2000: "Missing time index constraint", "Invalid time index: ...").
 *
 * Everything else about a table definition (types, option names, partition rules) is the
 * catalog's to check, because it depends on the engine.
 */
import { isTimestampType } from './ast-data-type.ts';
import type { ColumnDef, TableConstraint } from './ast-ddl.ts';
import { invalidColumnOptionError, invalidSyntaxError } from './syntax-error.ts';

/** Checks a column that declares `TIME INDEX` itself. */
export function checkColumnTimeIndex(column: ColumnDef): void {
  const timeIndexes = column.options.filter((option) => option.kind === 'time-index').length;
  if (timeIndexes === 0) return;
  if (timeIndexes > 1) throw invalidColumnOptionError(column.name.value, 'duplicated time index');
  if (column.options.some((option) => option.kind === 'null')) {
    throw invalidColumnOptionError(column.name.value, "time index column can't be null");
  }
  if (!isTimestampType(column.dataType)) {
    throw invalidColumnOptionError(column.name.value, 'time index column data type should be timestamp');
  }
}

/** Checks that the table has exactly one time index, on an existing timestamp column. */
export function validateTimeIndex(columns: ColumnDef[], constraints: TableConstraint[]): void {
  const names = new Set<string>();
  for (const column of columns) {
    if (column.options.some((option) => option.kind === 'time-index')) names.add(column.name.value);
  }
  for (const constraint of constraints) {
    if (constraint.kind === 'time-index') names.add(constraint.column.value);
  }
  if (names.size === 0) throw invalidSyntaxError('Missing time index constraint');
  if (names.size > 1) {
    throw invalidSyntaxError(`Invalid time index: expected only one time index constraint but actual ${names.size}`);
  }
  const [name] = names;
  const column = columns.find((candidate) => candidate.name.value === name);
  if (column === undefined) {
    throw invalidSyntaxError(`Invalid time index: time index column ${name} not found in columns`);
  }
  if (!isTimestampType(column.dataType)) {
    throw invalidColumnOptionError(column.name.value, 'time index column data type should be timestamp');
  }
}
