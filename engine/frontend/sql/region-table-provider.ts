/**
 * A table as the query engine sees it (`TableProvider`): its columns in CREATE order, and a
 * scan that streams `region.scan` from the datanode holding each region. The projection is
 * sent, so a region reads only those columns; tag and time-index filters go along as
 * predicates and a time range (scan-pushdown.ts), and the engine applies every filter again.
 * With one region per table a scan is one stream; the distributed planner replaces this with
 * MergeScan over several.
 */
import { Field, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { ScanRequest, TableProvider, TableSchema } from '../../query/index.ts';
import type { TableRoute } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { arrowTypeOfColumn } from './column-types.ts';
import { scanRegion } from './region-access.ts';
import { scanHints } from './scan-pushdown.ts';

export class RegionTableProvider implements TableProvider {
  readonly schema: TableSchema;
  readonly route: TableRoute;
  private readonly datanodes: DatanodeDirectory;

  constructor(route: TableRoute, datanodes: DatanodeDirectory) {
    this.route = route;
    this.datanodes = datanodes;
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
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    const names = (request.projection ?? this.schema.arrow.fields.map((_, i) => i)).map(
      (index) => this.schema.arrow.fields[index]!.name,
    );
    // A scan for no columns (count(*)) still needs the row counts: read the time index and drop it.
    const projection = names.length > 0 ? names : [this.schema.timeIndex!];
    const hints = scanHints(request.filters, this.route.info.regionSchema.columns);
    let remaining = request.limit ?? Infinity;
    for (const peer of this.route.peers) {
      const batches = scanRegion(
        this.datanodes,
        peer,
        { regionId: peer.regionId, projection, ...hints },
        request.signal,
      );
      for await (const batch of batches) {
        if (remaining <= 0) return;
        let out = names.length > 0 ? batch : withoutColumns(batch);
        if (out.numRows > remaining) out = out.slice(0, remaining);
        remaining -= out.numRows;
        yield out;
      }
    }
  }
}

function withoutColumns(batch: RecordBatch): RecordBatch {
  return new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: batch.numRows, nullCount: 0, children: [] }),
  );
}
