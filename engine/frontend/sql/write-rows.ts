/**
 * Writing rows to a table: the batch is split by the table's partition rule (engine/partition,
 * over whole columns) and each region's share goes to its datanode in parallel. The reply
 * counts the rows written; a region that fails fails the request with an error naming it. A
 * region that is moving to another datanode is retried on its new route (region-write-retry.ts).
 * Tables without a rule have one region and take the batch as is.
 */
import type { RecordBatch } from 'apache-arrow';
import { TesseraError, asTesseraError, takeRows } from '../../common/index.ts';
import { partitionColumnKindOf, partitionRuleFromSpec, routeRows } from '../../partition/index.ts';
import type { PartitionRule, RowValue } from '../../partition/index.ts';
import type { RegionPeer, TableInfo, TableRoute } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { writeRegionRows } from './region-write-retry.ts';

const rules = new WeakMap<TableInfo, PartitionRule>();

/** The table's partition rule, parsed once per fetched table info; undefined without one. */
export function partitionRuleOf(info: TableInfo): PartitionRule | undefined {
  if (!info.partition) return undefined;
  let rule = rules.get(info);
  if (!rule) {
    const columns = new Map(info.regionSchema.columns.map((column) => [column.name, column]));
    rule = partitionRuleFromSpec(info.partition, (name) => {
      const column = columns.get(name);
      return column ? partitionColumnKindOf(column.type.kind, name) : undefined;
    });
    rules.set(info, rule);
  }
  return rule;
}

/** Each region's rows of `batch`, in region order; regions that get no rows are left out. */
export function splitByRegion(route: TableRoute, batch: RecordBatch): Array<{ peer: RegionPeer; rows: RecordBatch }> {
  const rule = partitionRuleOf(route.info);
  if (!rule || route.peers.length === 1) return route.peers.map((peer) => ({ peer, rows: batch }));
  const values = new Map<string, ArrayLike<RowValue>>();
  for (const column of rule.columns) {
    const vector = batch.getChild(column.name);
    values.set(column.name, vector ? columnValues(vector) : new Array<null>(batch.numRows).fill(null));
  }
  const { selections } = routeRows(rule, values, batch.numRows);
  return selections.flatMap((selection, region) => {
    if (selection.length === 0) return [];
    const peer = route.peers[region]!;
    return [{ peer, rows: selection.length === batch.numRows ? batch : takeRows(batch, selection) }];
  });
}

/** A column's values with NULLs, typed arrays straight through when there are none. */
function columnValues(vector: {
  length: number;
  nullCount: number;
  get(index: number): unknown;
  toArray(): unknown;
}): ArrayLike<RowValue> {
  const array = vector.toArray() as ArrayLike<RowValue>;
  if (vector.nullCount === 0 && (ArrayBuffer.isView(array) || Array.isArray(array))) return array;
  const values = new Array<RowValue>(vector.length);
  for (let row = 0; row < vector.length; row++) values[row] = vector.get(row) as RowValue;
  return values;
}

/** Puts or deletes the rows in their regions, in parallel; returns the affected rows. */
export async function writeRows(
  datanodes: DatanodeDirectory,
  route: TableRoute,
  batch: RecordBatch,
  type: 'put' | 'delete',
): Promise<number> {
  const parts = splitByRegion(route, batch);
  const results = await Promise.allSettled(
    parts.map(({ peer, rows }) => writeRegionRows(datanodes, route.info, peer, type, rows)),
  );
  let affected = 0;
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') {
      affected += result.value;
      return;
    }
    const failure = asTesseraError(result.reason);
    const peer = parts[index]!.peer;
    throw new TesseraError(
      failure.code,
      `Failed to write region ${peer.regionId} of table ${route.info.name} on datanode ${peer.nodeId}: ${failure.message}`,
    );
  });
  return affected;
}
