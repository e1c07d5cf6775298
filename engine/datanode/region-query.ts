/**
 * `region.query`: runs a plan fragment sent by a frontend's MergeScan over one region of this
 * datanode. The fragment's table scan becomes a scan of the local region with the request's
 * hints (time range, tag predicates); the fragment's operators (filters, projections, the
 * partial aggregate, a top-k) run here with engine/query's executor, and their batches stream
 * back. Reads need no lease, like `region.scan`.
 */
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { MemoryPool, createPhysicalPlan, deserializeRemotePlan } from '../query/index.ts';
import type { ScanRequest, TableProvider, TableSchema } from '../query/index.ts';
import type { WireRegionQueryRequest } from '../rpc/index.ts';
import type { RegionEngine } from '../storage/index.ts';
import type { ScanRequest as RegionScanRequest } from '../storage/index.ts';
import { scanRequestFromWire } from './region-wire.ts';

export function runRegionQuery(
  engine: RegionEngine,
  wire: WireRegionQueryRequest,
  signal: AbortSignal,
): AsyncIterable<RecordBatch> {
  const { plan: text, projection: _projection, ...scan } = wire;
  const hints = scanRequestFromWire(scan);
  const plan = deserializeRemotePlan(text, (schema) => new LocalRegionTable(engine, wire.regionId, schema, hints));
  return createPhysicalPlan(plan).execute({ memory: new MemoryPool(), batchSize: 8192, signal });
}

/** One region of this datanode as the fragment's table. */
class LocalRegionTable implements TableProvider {
  readonly schema: TableSchema;
  readonly #engine: RegionEngine;
  readonly #regionId: number;
  readonly #hints: RegionScanRequest;

  constructor(engine: RegionEngine, regionId: number, schema: TableSchema, hints: RegionScanRequest) {
    this.#engine = engine;
    this.#regionId = regionId;
    this.schema = schema;
    this.#hints = hints;
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    const fields = this.schema.arrow.fields;
    const names = (request.projection ?? fields.map((_, index) => index)).map((index) => fields[index]!.name);
    // No columns (count(*)) still needs row counts: read the time index, then drop it.
    const projection = names.length > 0 ? names : [this.schema.timeIndex ?? fields[0]!.name];
    let remaining = request.limit ?? Infinity;
    for await (const batch of this.#engine.scan(this.#regionId, { ...this.#hints, projection })) {
      if (remaining <= 0) return;
      let out = names.length > 0 ? batch : withoutColumns(batch);
      if (out.numRows > remaining) out = out.slice(0, remaining);
      remaining -= out.numRows;
      yield out;
    }
  }
}

function withoutColumns(batch: RecordBatch): RecordBatch {
  return new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: batch.numRows, nullCount: 0, children: [] }),
  );
}
