/**
 * ALTER: add columns, drop columns, change field types, set options.
 *
 * A schema change pauses writes, flushes (so every SST and WAL entry after the edit has the
 * new schema, and replay never meets an old-schema entry), commits the alter edit and starts a
 * memtable of the new schema. Old SSTs keep their own schema in their footer: a scan reads
 * from each file only the current columns it has (matched by name and column id), so added
 * columns read as their default (or null) there, dropped ones are never read, and a field whose
 * type changed is cast from the file's type as it is read (`file-column-adapter.ts`): nothing is
 * rewritten at alter time. Options change without a flush.
 */

import {
  ErrorCode,
  TesseraError,
  canCastColumnType,
  castValue,
  defaultTextOf,
  parseDefaultText,
} from '../../common/index.ts';
import { checkRegionOptions, defaultRegionOptions, type RegionOptions } from '../manifest/index.ts';
import { regionColumnsOf } from '../merge/index.ts';
import type { ColumnSchema, ColumnType, RegionSchema } from '../region-schema.ts';
import { parseDefaultValue } from './file-column-adapter.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import { flushRegion } from './flush-region.ts';
import { MemtableSlot } from './memtable-slot.ts';
import type { AddColumn, AlterKind, AlterRegionRequest, RegionResponse } from './region-request.ts';
import { checkUserColumnNames } from './validate-batch.ts';

/** Applies the alter; resolves when the edit is committed. */
export async function handleAlter(context: EngineContext, request: AlterRegionRequest): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  if (request.kind === 'set_options') {
    // Rows written before append mode were deduplicated by key; flush them under the old mode
    // so turning append mode on does not bring back the versions they replaced.
    if (request.options.appendMode === true && region.options.appendMode !== true) await flushRegion(context, region);
    await region.queue.run(async () => {
      region.checkOpen();
      await region.manifest.update({ type: 'options', options: mergedOptions(region.options, request) });
    });
    return { affectedRows: 0 };
  }
  // Fail fast, before pausing anything; checked again against the state the edit applies to.
  alteredSchema(region.regionId, region.schema, request);
  let resume!: () => void;
  region.writesPaused = new Promise((resolve) => (resume = resolve));
  try {
    await flushRegion(context, region);
    await region.queue.run(async () => {
      region.checkOpen();
      const schema = alteredSchema(region.regionId, region.schema, request);
      await region.manifest.update({ type: 'alter', schema });
      region.mutable = new MemtableSlot(schema, region.epoch);
    });
  } finally {
    region.writesPaused = undefined;
    resume();
  }
  return { affectedRows: 0 };
}

function mergedOptions(current: RegionOptions, request: Extract<AlterKind, { kind: 'set_options' }>): RegionOptions {
  const next: Record<string, unknown> = { ...current, ...request.options };
  const defaults: Record<string, unknown> = { ...defaultRegionOptions() };
  // An unset key goes back to the engine's default (absent, for the optional ones).
  for (const key of request.unset ?? []) {
    if (key in defaults) next[key] = defaults[key];
    else delete next[key];
  }
  return checkRegionOptions(next);
}

/** The schema after an add or drop, version + 1; `InvalidArguments` naming the column otherwise. */
function checkDefaultValue(column: AddColumn, invalid: (message: string) => TesseraError): void {
  try {
    parseDefaultValue(column as ColumnSchema);
  } catch (error) {
    throw invalid(`default of column "${column.name}": ${(error as Error).message}`);
  }
}

export function alteredSchema(
  regionId: number,
  schema: RegionSchema,
  request: Exclude<AlterKind, { kind: 'set_options' }>,
): RegionSchema {
  const invalid = (message: string): TesseraError =>
    new TesseraError(ErrorCode.InvalidArguments, `Region ${regionId}: cannot alter: ${message}`);
  let columns: ColumnSchema[];
  if (request.kind === 'add_columns') {
    if (!Array.isArray(request.columns) || request.columns.length === 0) throw invalid('no columns to add');
    let nextId = Math.max(0, ...schema.columns.map((c) => c.columnId)) + 1;
    const tags = schema.columns.filter((c) => c.semantic === 'tag');
    const rest = schema.columns.filter((c) => c.semantic !== 'tag');
    for (const added of request.columns) {
      if (schema.columns.some((c) => c.name === added.name)) throw invalid(`column "${added.name}" exists already`);
      if (added.semantic !== 'tag' && added.semantic !== 'field') {
        throw invalid(`column "${added.name}" must be a tag or a field, not ${String(added.semantic)}`);
      }
      if (!added.nullable && added.defaultValue === undefined) {
        throw invalid(
          `column "${added.name}" must be nullable or have a default: rows written before it have no value`,
        );
      }
      if (added.defaultValue !== undefined) checkDefaultValue(added, invalid);
      const columnId = added.columnId ?? nextId;
      if ([...tags, ...rest].some((c) => c.columnId === columnId)) {
        throw invalid(`column id ${columnId} of "${added.name}" is taken`);
      }
      nextId = Math.max(nextId, columnId + 1);
      const column: ColumnSchema = {
        name: added.name,
        type: added.type,
        semantic: added.semantic,
        nullable: added.nullable,
        columnId,
        ...(added.defaultValue === undefined ? {} : { defaultValue: added.defaultValue }),
      };
      // New tags go last in the primary key: old rows (null there) keep their order.
      if (added.semantic === 'tag') tags.push(column);
      else rest.push(column);
    }
    columns = [...tags, ...rest];
  } else if (request.kind === 'drop_columns') {
    if (!Array.isArray(request.names) || request.names.length === 0) throw invalid('no columns to drop');
    for (const name of request.names) {
      const column = schema.columns.find((c) => c.name === name);
      if (column === undefined) throw invalid(`column "${name}" does not exist`);
      if (column.semantic !== 'field') {
        throw invalid(`column "${name}" is a ${column.semantic === 'tag' ? 'tag (primary key)' : 'time index'} column`);
      }
    }
    columns = schema.columns.filter((c) => !request.names.includes(c.name));
  } else if (request.kind === 'modify_column_types') {
    if (!Array.isArray(request.columns) || request.columns.length === 0) throw invalid('no column types to change');
    const changes = new Map<string, ColumnType>();
    for (const { name, type } of request.columns) {
      const column = schema.columns.find((c) => c.name === name);
      if (column === undefined) throw invalid(`column "${name}" does not exist`);
      if (column.semantic !== 'field') throw invalid(`column "${name}" is not a field; only field types change`);
      if (!column.nullable) throw invalid(`column "${name}" must be nullable: a value that does not convert is null`);
      if (changes.has(name)) throw invalid(`column "${name}" is changed twice`);
      if (!canCastColumnType(column.type, type)) {
        throw invalid(`column "${name}" cannot be cast from ${column.type.kind} to ${type.kind}`);
      }
      changes.set(name, type);
    }
    columns = schema.columns.map((c) => {
      const type = changes.get(c.name);
      if (type === undefined) return c;
      // The column id stays: SSTs written before keep their values under it, cast on read.
      const { defaultValue, ...rest } = c;
      const converted =
        defaultValue === undefined
          ? undefined
          : defaultTextOf(castValue(parseDefaultText(defaultValue, c.type), c.type, type));
      return converted === undefined ? { ...rest, type } : { ...rest, type, defaultValue: converted };
    });
  } else {
    throw invalid(`unknown alter kind ${String((request as { kind?: unknown }).kind)}`);
  }
  const next: RegionSchema = { version: schema.version + 1, columns };
  checkUserColumnNames(regionId, next);
  regionColumnsOf(next);
  return next;
}
