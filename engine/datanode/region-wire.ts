/**
 * Turns region requests as they arrive on the wire into the storage engine's requests:
 * options from their SQL spelling, 64-bit times and predicate constants from decimal
 * strings, and the Arrow attachment into the batch of a put or delete.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { WireRegionRequest, WireRegionScanRequest, WireScanValue } from '../rpc/index.ts';
import { parseRegionOptions } from '../storage/index.ts';
import type { RegionOptions, RegionRequest, ScanPredicate, ScanRequest, ScanValue } from '../storage/index.ts';

export function regionRequestFromWire(wire: WireRegionRequest, data: RecordBatch | undefined): RegionRequest {
  switch (wire.type) {
    case 'put':
    case 'delete':
      if (!data) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `A ${wire.type} request for region ${wire.regionId} carries no rows`,
        );
      }
      return { type: wire.type, regionId: wire.regionId, batch: data };
    case 'create':
      return {
        type: 'create',
        regionId: wire.regionId,
        schema: wire.schema,
        ...(wire.options ? { options: parseRegionOptions(wire.options) } : {}),
      };
    case 'alter': {
      const change = wire.change;
      if (change.kind === 'add_columns')
        return { type: 'alter', regionId: wire.regionId, kind: 'add_columns', columns: change.columns };
      if (change.kind === 'drop_columns')
        return { type: 'alter', regionId: wire.regionId, kind: 'drop_columns', names: change.names };
      if (change.kind === 'modify_column_types')
        return { type: 'alter', regionId: wire.regionId, kind: 'modify_column_types', columns: change.columns };
      const options: Partial<RegionOptions> = parseRegionOptions(change.options);
      return {
        type: 'alter',
        regionId: wire.regionId,
        kind: 'set_options',
        options: pickKeys(options, Object.keys(change.options)),
        ...(change.unset ? { unset: change.unset.map(typedOptionKey) } : {}),
      };
    }
    case 'truncate':
      return {
        type: 'truncate',
        regionId: wire.regionId,
        ...(wire.truncateId === undefined ? {} : { truncateId: wire.truncateId }),
      };
    default:
      return { type: wire.type, regionId: wire.regionId };
  }
}

export function scanRequestFromWire(wire: WireRegionScanRequest): ScanRequest {
  const start = wire.timeRange?.start;
  const end = wire.timeRange?.end;
  return {
    ...(wire.projection ? { projection: wire.projection } : {}),
    ...(wire.timeRange
      ? {
          timeRange: {
            ...(start ? { start: parseBigInt(start, 'time range start') } : {}),
            ...(end ? { end: parseBigInt(end, 'time range end') } : {}),
          },
        }
      : {}),
    ...(wire.predicates
      ? {
          predicates: wire.predicates.map((predicate): ScanPredicate => {
            if (predicate.op === 'in') {
              return { column: predicate.column, op: 'in', values: (predicate.values ?? []).map(scanValueFromWire) };
            }
            if (!predicate.value) {
              throw new TesseraError(
                ErrorCode.InvalidArguments,
                `Predicate on ${predicate.column} with '${predicate.op}' has no value`,
              );
            }
            return { column: predicate.column, op: predicate.op, value: scanValueFromWire(predicate.value) };
          }),
        }
      : {}),
    ...(wire.batchRows ? { batchRows: wire.batchRows } : {}),
  };
}

/** The wire form of a scan constant (the frontend's side of `scanValueFromWire`). */
export function scanValueToWire(value: ScanValue): WireScanValue {
  switch (typeof value) {
    case 'bigint':
      return { type: 'bigint', value: value.toString() };
    case 'number':
      return { type: 'number', value };
    case 'boolean':
      return { type: 'boolean', value };
    default:
      return { type: 'string', value };
  }
}

function scanValueFromWire(value: WireScanValue): ScanValue {
  return value.type === 'bigint' ? parseBigInt(value.value, 'predicate value') : value.value;
}

function parseBigInt(text: string, what: string): bigint {
  if (!/^-?\d+$/.test(text))
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid ${what} '${text}': expected an integer`);
  return BigInt(text);
}

/** SQL option names to the typed keys `unset` takes. */
const typedKeys: Record<string, keyof RegionOptions> = {
  ttl: 'ttlMs',
  append_mode: 'appendMode',
  merge_mode: 'mergeMode',
  write_buffer_size: 'writeBufferBytes',
  'compaction.twcs.time_window': 'twcsTimeWindowMs',
};

function typedOptionKey(name: string): keyof RegionOptions {
  const key = typedKeys[name];
  if (!key) throw new TesseraError(ErrorCode.InvalidArguments, `Unknown region option '${name}'`);
  return key;
}

/** Only the options the request named, so a SET does not reset the others to defaults. */
function pickKeys(options: Partial<RegionOptions>, names: string[]): Partial<RegionOptions> {
  const picked: Partial<RegionOptions> = {};
  for (const name of names) {
    const key = typedOptionKey(name);
    (picked as Record<string, unknown>)[key] = options[key];
  }
  return picked;
}
