/**
 * Which regions each datanode should host, as the table routes (`__meta/table-route/<tableId>`:
 * `{ "<regionId>": datanodeId }`) say: the truth the region-lease handler grants and instructs
 * from. Loaded once and kept current by a watch of the route keys, so a heartbeat never reads
 * the store. The watch starts before the routes are read and the changes it saw meanwhile are
 * applied after them (each carries a whole route), so no change falls between the two.
 *
 * It also remembers when each region's placement last changed: a route written or deleted a
 * moment ago belongs to a DDL still at work (CREATE writes the route, then creates the
 * regions; DROP deletes it, then drops them), which instructions must not race.
 */
import { asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { KvBackend, KvEvent } from '../kv/index.ts';

const routePrefix = '__meta/table-route/';
const decoder = new TextDecoder();

export class RegionAssignments {
  private readonly logger: Logger;
  /** Table id → its regions' datanodes, as last seen. */
  private readonly routes = new Map<number, Map<number, number>>();
  private readonly byNode = new Map<number, Set<number>>();
  /** Region id → epoch ms its placement last changed (after loading); pruned once older than `settleMs`. */
  private readonly changedAt = new Map<number, number>();
  private readonly settleMs: number;
  private readonly now: () => number;
  private stopWatch: (() => void) | undefined;
  private loadedValue = false;

  private constructor(logger: Logger, settleMs: number, now: () => number) {
    this.logger = logger;
    this.settleMs = settleMs;
    this.now = now;
  }

  /**
   * Reads every route and follows their changes. `settleMs`: how long a region whose placement
   * changed counts as unsettled (metasrv uses the lease length).
   */
  static async load(
    kv: KvBackend,
    options: { logger: Logger; settleMs: number; now?: () => number },
  ): Promise<RegionAssignments> {
    const assignments = new RegionAssignments(options.logger, options.settleMs, options.now ?? Date.now);
    const early: KvEvent[] = [];
    let loading = true;
    assignments.stopWatch = await kv.watch(routePrefix, (event) => {
      if (loading) early.push(event);
      else assignments.apply(event, true);
    });
    for (const entry of await kv.range(routePrefix)) {
      assignments.apply({ type: 'put', key: entry.key, value: entry.value }, false);
    }
    for (const event of early) assignments.apply(event, true);
    loading = false;
    assignments.loadedValue = true;
    return assignments;
  }

  /** Whether the routes have been read (until then nothing is granted or instructed). */
  get loaded(): boolean {
    return this.loadedValue;
  }

  /** The regions routed to `nodeId`, ascending. */
  regionsOf(nodeId: number): number[] {
    return [...(this.byNode.get(nodeId) ?? [])].sort((a, b) => a - b);
  }

  /** Whether the route places `regionId` on `nodeId`. */
  isOn(regionId: number, nodeId: number): boolean {
    return this.byNode.get(nodeId)?.has(regionId) ?? false;
  }

  /** Whether the region's placement changed within the last `settleMs` (a DDL may still be at work on it). */
  unsettled(regionId: number): boolean {
    const at = this.changedAt.get(regionId);
    return at !== undefined && this.now() - at < this.settleMs;
  }

  /** Stops following the routes. */
  close(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
    this.loadedValue = false;
  }

  private apply(event: KvEvent, isChange: boolean): void {
    const tableId = Number(event.key.slice(routePrefix.length));
    if (!Number.isSafeInteger(tableId)) return;
    let next = new Map<number, number>();
    if (event.type === 'put') {
      try {
        next = parseRoute(event.value);
      } catch (error) {
        this.logger.warn('region-assignments.bad-route', { key: event.key, error: asTesseraError(error).message });
        return;
      }
    }
    const previous = this.routes.get(tableId) ?? new Map<number, number>();
    const at = this.now();
    for (const [regionId, nodeId] of previous) {
      if (next.get(regionId) === nodeId) continue;
      this.byNode.get(nodeId)?.delete(regionId);
      if (isChange) this.changedAt.set(regionId, at);
    }
    for (const [regionId, nodeId] of next) {
      if (previous.get(regionId) === nodeId) continue;
      let regions = this.byNode.get(nodeId);
      if (regions === undefined) this.byNode.set(nodeId, (regions = new Set()));
      regions.add(regionId);
      if (isChange) this.changedAt.set(regionId, at);
    }
    if (next.size === 0) this.routes.delete(tableId);
    else this.routes.set(tableId, next);
    this.prune(at);
  }

  private prune(now: number): void {
    for (const [regionId, at] of this.changedAt) {
      if (now - at >= this.settleMs) this.changedAt.delete(regionId);
    }
  }
}

function parseRoute(value: Uint8Array): Map<number, number> {
  const parsed = JSON.parse(decoder.decode(value)) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`expected an object of region id → datanode id, got ${decoder.decode(value)}`);
  }
  const route = new Map<number, number>();
  for (const [regionKey, nodeId] of Object.entries(parsed)) {
    const regionId = Number(regionKey);
    if (!Number.isSafeInteger(regionId) || !Number.isSafeInteger(nodeId)) {
      throw new Error(`region ${regionKey} → ${JSON.stringify(nodeId)} is not a pair of ids`);
    }
    route.set(regionId, nodeId as number);
  }
  return route;
}
