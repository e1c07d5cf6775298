/**
 * What the board asks the cluster, all over the HTTP SQL API (so a remote cluster works the
 * same): the four information_schema tables as Arrow, and the ADMIN functions that move a
 * region. Failures come back as messages, as the server worded them.
 */
import type { Table } from 'apache-arrow';
import { runStatement } from '../shared/greptime-http.ts';
import type { Endpoint } from '../shared/greptime-http.ts';
import type { BoardSources } from './board-model.ts';
import { parseProcedureState } from './migration-machine.ts';
import type { ProcedureState } from './migration-machine.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function query(endpoint: Endpoint, sql: string, signal?: AbortSignal): Promise<Outcome<Table>> {
  const result = await runStatement(endpoint, sql, 'information_schema', signal);
  if (result.kind === 'table') return { ok: true, value: result.table };
  if (result.kind === 'error') return { ok: false, error: result.message };
  return { ok: false, error: `${sql} returned no rows` };
}

/** The four tables the board is built from, fetched together. */
export async function loadBoardSources(endpoint: Endpoint, signal?: AbortSignal): Promise<Outcome<BoardSources>> {
  const [clusterInfo, regionPeers, partitions, regionStatistics] = await Promise.all([
    query(endpoint, 'SELECT * FROM information_schema.cluster_info', signal),
    query(endpoint, 'SELECT * FROM information_schema.region_peers', signal),
    query(
      endpoint,
      'SELECT table_schema, table_name, partition_name, partition_description, greptime_partition_id FROM information_schema.partitions',
      signal,
    ),
    query(endpoint, 'SELECT * FROM information_schema.region_statistics', signal),
  ]);
  for (const outcome of [clusterInfo, regionPeers, partitions, regionStatistics]) {
    if (!outcome.ok) return outcome;
  }
  return {
    ok: true,
    value: {
      clusterInfo: (clusterInfo as { value: Table }).value,
      regionPeers: (regionPeers as { value: Table }).value,
      partitions: (partitions as { value: Table }).value,
      regionStatistics: (regionStatistics as { value: Table }).value,
    },
  };
}

/** The single value of a one-row, one-column result (what ADMIN functions return). */
function scalar(table: Table): string | null {
  if (table.numRows === 0) return null;
  const value = table.getChildAt(0)?.get(0);
  return value === null || value === undefined ? null : String(value);
}

/** `ADMIN migrate_region(region, from, to)`: the procedure id, or why it was refused. */
export async function migrateRegion(
  endpoint: Endpoint,
  regionId: string,
  from: number,
  to: number,
): Promise<Outcome<string>> {
  if (!/^\d+$/.test(regionId)) return { ok: false, error: `not a region id: ${regionId}` };
  const result = await query(endpoint, `ADMIN migrate_region(${regionId}, ${from}, ${to})`);
  if (!result.ok) return result;
  const id = scalar(result.value);
  return id ? { ok: true, value: id } : { ok: false, error: 'migrate_region returned no procedure id' };
}

/** `ADMIN procedure_state('<id>')`, parsed. */
export async function procedureState(endpoint: Endpoint, procedureId: string): Promise<Outcome<ProcedureState>> {
  const literal = `'${procedureId.replaceAll("'", "''")}'`;
  const result = await query(endpoint, `ADMIN procedure_state(${literal})`);
  if (!result.ok) return result;
  const text = scalar(result.value);
  return text === null
    ? { ok: false, error: `procedure_state returned nothing for ${procedureId}` }
    : { ok: true, value: parseProcedureState(text) };
}
