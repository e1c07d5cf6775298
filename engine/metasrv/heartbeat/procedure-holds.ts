/**
 * Which regions a procedure still at work names, so heartbeat instructions leave them alone:
 * a CREATE writes the route before creating its regions, a DROP deletes it before dropping
 * them, a migration opens the region on its target before moving the route. Between those steps
 * a region can sit where its route does not (yet) say, on purpose.
 *
 * A pending procedure is a record under `__meta/procedure/<id>` (procedure/procedure-store.ts),
 * deleted when it ends. Its `data` names regions in one of three ways, all honoured: `tableId`
 * (every region of the table), `regionId`, or `route` (`{ "<regionId>": datanodeId }`). Loaded
 * once and kept current by a watch, like the routes (region-assignments.ts).
 */
import type { KvBackend, KvEvent } from '../kv/index.ts';

const procedurePrefix = '__meta/procedure/';
const decoder = new TextDecoder();

interface Named {
  tableIds: number[];
  regionIds: number[];
}

export class ProcedureHolds {
  /** Procedure key → what it names. */
  private readonly pending = new Map<string, Named>();
  private readonly tables = new Map<number, number>();
  private readonly regions = new Map<number, number>();
  private stopWatch: (() => void) | undefined;

  static async load(kv: KvBackend): Promise<ProcedureHolds> {
    const holds = new ProcedureHolds();
    const early: KvEvent[] = [];
    let loading = true;
    holds.stopWatch = await kv.watch(procedurePrefix, (event) => {
      if (loading) early.push(event);
      else holds.apply(event);
    });
    for (const entry of await kv.range(procedurePrefix))
      holds.apply({ type: 'put', key: entry.key, value: entry.value });
    for (const event of early) holds.apply(event);
    loading = false;
    return holds;
  }

  /** Whether a pending procedure names the region or its table. */
  holds(regionId: number): boolean {
    return this.regions.has(regionId) || this.tables.has(Math.floor(regionId / 2 ** 32));
  }

  close(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
  }

  private apply(event: KvEvent): void {
    const previous = this.pending.get(event.key);
    if (previous !== undefined) {
      for (const tableId of previous.tableIds) count(this.tables, tableId, -1);
      for (const regionId of previous.regionIds) count(this.regions, regionId, -1);
      this.pending.delete(event.key);
    }
    if (event.type === 'delete') return;
    const named = namedBy(event.value);
    this.pending.set(event.key, named);
    for (const tableId of named.tableIds) count(this.tables, tableId, 1);
    for (const regionId of named.regionIds) count(this.regions, regionId, 1);
  }
}

function count(counts: Map<number, number>, id: number, delta: number): void {
  const next = (counts.get(id) ?? 0) + delta;
  if (next > 0) counts.set(id, next);
  else counts.delete(id);
}

/** What a procedure record names; a record that does not parse names nothing. */
function namedBy(value: Uint8Array): Named {
  const named: Named = { tableIds: [], regionIds: [] };
  let data: unknown;
  try {
    data = (JSON.parse(decoder.decode(value)) as { data?: unknown }).data;
  } catch {
    return named;
  }
  if (typeof data !== 'object' || data === null) return named;
  const { tableId, regionId, route } = data as { tableId?: unknown; regionId?: unknown; route?: unknown };
  if (Number.isSafeInteger(tableId)) named.tableIds.push(tableId as number);
  if (Number.isSafeInteger(regionId)) named.regionIds.push(regionId as number);
  if (typeof route === 'object' && route !== null) {
    for (const key of Object.keys(route)) if (Number.isSafeInteger(Number(key))) named.regionIds.push(Number(key));
  }
  return named;
}
