/**
 * A table as the query engine sees it (`TableProvider`): its columns in CREATE order, and a
 * scan that streams `region.scan` from the datanode holding each region. The projection is
 * sent, so a region reads only those columns; tag and time-index filters go along as
 * predicates and a time range (scan-pushdown.ts), and the engine applies every filter again.
 * A partitioned table reads only the regions its rule leaves after the filters
 * (partition-pruning.ts), all at once; the distributed planner's MergeScan builds on this.
 */
import { Field, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { performance } from 'node:perf_hooks';
import type {
  PlanExpr,
  RegionMetrics,
  RemoteExecution,
  ScanRequest,
  TableProvider,
  TableSchema,
} from '../../query/index.ts';
import type { RegionPeer, TableRoute, WireScanPredicate } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { arrowTypeOfColumn } from './column-types.ts';
import { queryRegion, scanRegion } from './region-access.ts';
import { regionsToScan } from './partition-pruning.ts';
import { scanHints } from './scan-pushdown.ts';
import { partitionRuleOf } from './write-rows.ts';

export class RegionTableProvider implements TableProvider {
  readonly schema: TableSchema;
  readonly route: TableRoute;
  private readonly datanodes: DatanodeDirectory;

  /** Predicates every scan carries (a metric logical table's `__table_id = id` on its physical region). */
  private readonly fixedPredicates: WireScanPredicate[];

  /**
   * A table split over several regions runs plan fragments on them (MergeScan, engine/query's
   * dist-plan-rule.ts); a one-region table is read by `scan`.
   */
  readonly remote?: RemoteExecution;

  constructor(route: TableRoute, datanodes: DatanodeDirectory, fixedPredicates: WireScanPredicate[] = []) {
    this.route = route;
    this.datanodes = datanodes;
    this.fixedPredicates = fixedPredicates;
    const columns = new Map(route.info.regionSchema.columns.map((column) => [column.name, column]));
    const fields = route.info.columnOrder.map((name) => {
      const column = columns.get(name)!;
      return new Field(name, arrowTypeOfColumn(column.type), column.nullable);
    });
    const all = route.info.regionSchema.columns;
    this.schema = {
      arrow: new Schema(fields),
      timeIndex: all.find((column) => column.semantic === 'timestamp')?.name ?? null,
      tags: all.filter((column) => column.semantic === 'tag').map((column) => column.name),
    };
    if (route.peers.length > 1) {
      this.remote = {
        execute: (plan, filters, signal, metrics) => this.executeFragment(plan, filters, signal, metrics),
        describeRegions: (filters) => {
          const peers = this.peersFor(filters);
          return `regions=[${peers.map((peer) => peer.regionId).join(', ')}] (${peers.length} of ${this.route.peers.length})`;
        },
      };
    }
  }

  /** The regions a scan with these filters must read (all, unless the partition rule prunes). */
  private peersFor(filters: PlanExpr[]): RegionPeer[] {
    const rule = partitionRuleOf(this.route.info);
    return rule ? regionsToScan(rule, filters).map((region) => this.route.peers[region]!) : this.route.peers;
  }

  private scanHintsFor(filters: PlanExpr[]) {
    const hints = scanHints(filters, this.route.info.regionSchema.columns);
    if (this.fixedPredicates.length > 0) hints.predicates = [...(hints.predicates ?? []), ...this.fixedPredicates];
    return hints;
  }

  private async *executeFragment(
    plan: string,
    filters: PlanExpr[],
    signal: AbortSignal | undefined,
    metrics: RegionMetrics[] | undefined,
  ): AsyncIterable<RecordBatch> {
    const hints = this.scanHintsFor(filters);
    const streams = this.peersFor(filters).map((peer) => {
      const stream = queryRegion(this.datanodes, peer, { regionId: peer.regionId, plan, ...hints }, signal);
      return metrics ? measured(stream, peer, metrics) : stream;
    });
    yield* mergeStreams(streams);
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    const names = (request.projection ?? this.schema.arrow.fields.map((_, i) => i)).map(
      (index) => this.schema.arrow.fields[index]!.name,
    );
    // A scan for no columns (count(*)) still needs the row counts: read the time index and drop it.
    const projection = names.length > 0 ? names : [this.schema.timeIndex!];
    const hints = this.scanHintsFor(request.filters);
    const peers = this.peersFor(request.filters);
    const streams = peers.map((peer) =>
      scanRegion(this.datanodes, peer, { regionId: peer.regionId, projection, ...hints }, request.signal),
    );
    let remaining = request.limit ?? Infinity;
    for await (const batch of mergeStreams(streams)) {
      if (remaining <= 0) return;
      let out = names.length > 0 ? batch : withoutColumns(batch);
      if (out.numRows > remaining) out = out.slice(0, remaining);
      remaining -= out.numRows;
      yield out;
    }
  }
}

/**
 * Batches from several region scans as they arrive, all regions read at once; each stream
 * has at most one batch waiting, so memory stays bounded by the number of regions. Stopping
 * early (or an error) closes every stream.
 */
export async function* mergeStreams<T>(streams: AsyncIterable<T>[]): AsyncGenerator<T> {
  if (streams.length === 1) {
    yield* streams[0]!;
    return;
  }
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
  }
}

/** Counts a region's rows, batches and time into `metrics` as its stream is read. */
async function* measured(
  stream: AsyncIterable<RecordBatch>,
  peer: RegionPeer,
  metrics: RegionMetrics[],
): AsyncIterable<RecordBatch> {
  const entry: RegionMetrics = {
    regionId: peer.regionId,
    node: `datanode ${peer.nodeId}`,
    rows: 0,
    batches: 0,
    elapsedMs: 0,
  };
  metrics.push(entry);
  const started = performance.now();
  try {
    for await (const batch of stream) {
      entry.rows += batch.numRows;
      entry.batches++;
      yield batch;
    }
  } finally {
    entry.elapsedMs = performance.now() - started;
  }
}

function withoutColumns(batch: RecordBatch): RecordBatch {
  return new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: batch.numRows, nullCount: 0, children: [] }),
  );
}
