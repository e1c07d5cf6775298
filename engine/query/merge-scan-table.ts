/**
 * MergeScan: a plan fragment run on every region of a distributed table, its results merged
 * as they arrive. It is a `TableProvider` to the rest of the plan, so every operator above it
 * (the final aggregate, sort, joins) works unchanged. EXPLAIN shows the fragment and the
 * regions it goes to; after execution (EXPLAIN ANALYZE) each region's rows and time.
 */
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { arrowSchema } from './column.ts';
import type { LogicalPlan, PlanField } from './logical-plan.ts';
import { planSchema } from './logical-plan.ts';
import type { PlanExpr } from './plan-expr.ts';
import { formatPlan } from './plan-printer.ts';
import { serializeRemotePlan } from './remote-plan.ts';
import type { RegionMetrics, RemoteExecution, ScanRequest, TableProvider, TableSchema } from './table-provider.ts';

export class MergeScanTable implements TableProvider {
  readonly schema: TableSchema;
  readonly fields: PlanField[];
  /** Filled as the fragment runs, one entry per region (EXPLAIN ANALYZE reads it). */
  readonly metrics: RegionMetrics[] = [];
  readonly #fragment: LogicalPlan;
  readonly #filters: PlanExpr[];
  readonly #remote: RemoteExecution;
  #serialized: string | undefined;

  /** `fragment` reads one distributed table whose scan carries `filters`. */
  constructor(fragment: LogicalPlan, filters: PlanExpr[], remote: RemoteExecution) {
    this.#fragment = fragment;
    this.#filters = filters;
    this.#remote = remote;
    this.fields = planSchema(fragment);
    this.schema = { arrow: arrowSchema(this.fields), timeIndex: null, tags: [] };
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    this.#serialized ??= serializeRemotePlan(this.#fragment);
    const batches = this.#remote.execute(this.#serialized, this.#filters, request.signal, this.metrics);
    const projection = request.projection;
    for await (const batch of batches) {
      if (projection === null) {
        yield batch;
        continue;
      }
      const children = projection.map((index) => batch.data.children[index]!);
      const fields = projection.map((index) => batch.schema.fields[index]!);
      yield new RecordBatch(
        new Schema(fields),
        makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }),
      );
    }
  }

  describe(): string[] {
    const lines = [`MergeScan ${this.#remote.describeRegions(this.#filters)}`];
    for (const line of formatPlan(this.#fragment).split('\n')) lines.push(`  ${line}`);
    for (const region of this.metrics) {
      lines.push(
        `  region ${region.regionId} on ${region.node}: ${region.rows} rows in ${region.batches} batches, ${region.elapsedMs.toFixed(1)} ms`,
      );
    }
    return lines;
  }
}
