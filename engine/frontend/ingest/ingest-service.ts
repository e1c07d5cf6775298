/**
 * The frontend's side of the write protocols (ingest-handlers.ts). One request is all or
 * nothing as far as this frontend can make it: every table is checked against its schema
 * (cached, ingest-tables.ts) before any table is created or altered, every batch is built
 * before any is written, and then the tables' regions are written in parallel. A region that
 * fails fails the request (its rows are not written; rows of other tables may be).
 *
 * Remote read scans each queried metric's regions with the time range and equality matchers
 * pushed down, applies the regex matchers here, and groups rows into series.
 */
import type { RecordBatch, Vector } from 'apache-arrow';
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { RpcClient, TableName, TableRoute, WireScanPredicate } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { scanRegion } from '../sql/region-access.ts';
import { defaultCatalog } from '../sql/table-catalog.ts';
import { writeRows } from '../sql/write-rows.ts';
import type {
  IngestContext,
  LineProtocolHandler,
  OpentsdbHandler,
  RemoteReadHandler,
  RemoteReadQuery,
  RemoteReadSeries,
  RemoteWriteHandler,
} from './ingest-handlers.ts';
import type { TimeIndexPlacement } from './ingest-schema.ts';
import { IngestTables } from './ingest-tables.ts';
import { greptimeValue } from './remote-write.ts';
import { rowsBatch } from './rows-batch.ts';
import type { TableRowsSet } from './table-rows.ts';

/** Pause before retrying a write whose datanode connection was lost. */
const retryPauseMs = 500;
/** Failures after which the rows may or may not have been written (sql/write-rows.ts keeps the code, not the flag). */
const retryableCodes = new Set<number>([
  ErrorCode.ConnectionLost,
  ErrorCode.ConnectionRefused,
  ErrorCode.NodeDown,
  ErrorCode.LeaseExpired,
]);

export class IngestService implements LineProtocolHandler, RemoteWriteHandler, OpentsdbHandler, RemoteReadHandler {
  private readonly datanodes: DatanodeDirectory;
  readonly tables: IngestTables;

  constructor(metasrv: RpcClient, datanodes: DatanodeDirectory) {
    this.datanodes = datanodes;
    this.tables = new IngestTables(metasrv, datanodes);
  }

  writeLineProtocol(rows: TableRowsSet, context: IngestContext): Promise<number> {
    return this.write(rows, context, 'after-fields');
  }

  writeRemote(rows: TableRowsSet, context: IngestContext): Promise<number> {
    return this.write(rows, context, 'after-tags');
  }

  writeDataPoints(rows: TableRowsSet, context: IngestContext): Promise<number> {
    return this.write(rows, context, 'first');
  }

  private async write(set: TableRowsSet, context: IngestContext, placement: TimeIndexPlacement): Promise<number> {
    const tables = set.tables.filter((table) => table.rows > 0);
    if (tables.length === 0) return 0;
    const names = tables.map((table) => tableNameOf(context.database, table.name));
    // 1. Check everything against what exists; nothing changes yet.
    const plans = await Promise.all(tables.map((table, i) => this.tables.plan(names[i]!, table)));
    if ((context.hints.auto_create_table ?? 'true').toLowerCase() === 'false') {
      const absent = plans.findIndex((plan) => !plan.route);
      if (absent >= 0) {
        throw new TesseraError(
          ErrorCode.TableNotFound,
          `Table not found: ${defaultCatalog}.${context.database}.${tables[absent]!.name} (auto_create_table is false)`,
        );
      }
    }
    // 2. Create tables and add columns.
    const routes: TableRoute[] = await Promise.all(
      plans.map((plan, i) =>
        plan.route && plan.missing.length === 0
          ? plan.route
          : this.tables.ensure(names[i]!, tables[i]!, context.hints, placement),
      ),
    );
    // 3. Build every batch, 4. then write.
    const batches = tables.map((table, i) => rowsBatch(table, routes[i]!.info));
    const written = await Promise.all(batches.map((batch, i) => this.put(names[i]!, routes[i]!, batch)));
    return written.reduce((sum, rows) => sum + rows, 0);
  }

  /**
   * Writes one table's batch. A retryable failure (a datanode connection lost mid-call, e.g.
   * while the datanode is busy flushing) is retried once after a pause when the table
   * deduplicates rows (not append mode): writing the same rows again then changes nothing.
   */
  private async put(name: TableName, route: TableRoute, batch: RecordBatch): Promise<number> {
    try {
      return await writeRows(this.datanodes, route, batch, 'put');
    } catch (error) {
      this.tables.invalidate(name);
      const appendMode = (route.info.options.append_mode ?? '').toLowerCase() === 'true';
      const failure = asTesseraError(error);
      if (!(failure.retryable || retryableCodes.has(failure.code)) || appendMode) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
      return writeRows(this.datanodes, (await this.tables.route(name)) ?? route, batch, 'put');
    }
  }

  async readRemote(queries: RemoteReadQuery[], context: IngestContext): Promise<RemoteReadSeries[][]> {
    return Promise.all(queries.map((query) => this.readQuery(query, context)));
  }

  private async readQuery(query: RemoteReadQuery, context: IngestContext): Promise<RemoteReadSeries[]> {
    const names = query.matchers.filter((matcher) => matcher.name === '__name__');
    const metric = names[0];
    if (names.length !== 1 || metric!.type !== 'EQ' || metric!.value === '') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        "Remote read: expected exactly one non-empty equality matcher for '__name__'",
      );
    }
    const name = tableNameOf(context.database, metric!.value);
    const route = await this.tables.route(name);
    if (!route) return [];
    const columns = route.info.regionSchema.columns;
    const time = columns.find((column) => column.semantic === 'timestamp');
    const value = columns.find((column) => column.name === greptimeValue);
    if (!time || !value) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Remote read: table ${metric!.value} has no ${greptimeValue} column or time index`,
      );
    }
    const unit = time.type.kind === 'timestamp' ? time.type.unit : 'ms';
    const perMs: Record<string, number> = { s: 0.001, ms: 1, us: 1000, ns: 1_000_000 };
    const tags = columns.filter((column) => column.semantic === 'tag').map((column) => column.name);
    const tagSet = new Set(tags);
    const predicates: WireScanPredicate[] = [];
    const checks: ((row: (string | null)[]) => boolean)[] = [];
    for (const matcher of query.matchers) {
      if (matcher.name === '__name__') continue;
      const index = tags.indexOf(matcher.name);
      const valueOf = (row: (string | null)[]) => (index < 0 ? '' : (row[index] ?? ''));
      switch (matcher.type) {
        case 'EQ':
          if (matcher.value !== '' && tagSet.has(matcher.name)) {
            predicates.push({ column: matcher.name, op: '=', value: { type: 'string', value: matcher.value } });
          }
          checks.push((row) => valueOf(row) === matcher.value);
          break;
        case 'NEQ':
          checks.push((row) => valueOf(row) !== matcher.value);
          break;
        case 'RE':
        case 'NRE': {
          const pattern = new RegExp(`^(?:${matcher.value})$`, 's');
          const want = matcher.type === 'RE';
          checks.push((row) => pattern.test(valueOf(row)) === want);
          break;
        }
      }
    }
    const start = BigInt(Math.floor(query.startMs * perMs[unit]!));
    const end = BigInt(Math.floor((query.endMs + 1) * perMs[unit]!));
    const series = new Map<string, RemoteReadSeries>();
    for (const peer of route.peers) {
      const request = {
        regionId: peer.regionId,
        projection: [...tags, time.name, value.name],
        timeRange: { start: String(start), end: String(end) },
        ...(predicates.length > 0 ? { predicates } : {}),
      };
      for await (const batch of scanRegion(this.datanodes, peer, request, undefined)) {
        collectSeries(batch, metric!.value, tags, time.name, value.name, perMs[unit]!, checks, series);
      }
    }
    const result = [...series.values()];
    for (const one of result) sortSamples(one);
    return result;
  }
}

function collectSeries(
  batch: RecordBatch,
  metric: string,
  tags: string[],
  timeName: string,
  valueName: string,
  ticksPerMs: number,
  checks: ((row: (string | null)[]) => boolean)[],
  out: Map<string, RemoteReadSeries>,
): void {
  const tagVectors = tags.map((tag) => batch.getChild(tag) as Vector | null);
  const times = batch.getChild(timeName)!;
  const values = batch.getChild(valueName)!;
  const row: (string | null)[] = new Array<string | null>(tags.length);
  for (let r = 0; r < batch.numRows; r++) {
    for (let t = 0; t < tags.length; t++) {
      const cell = tagVectors[t]?.get(r) as string | null | undefined;
      row[t] = cell ?? null;
    }
    if (!checks.every((check) => check(row))) continue;
    const sample = values.get(r) as number | null;
    if (sample === null) continue;
    const key = row.map((cell) => (cell === null ? '\u0001' : cell)).join('\u0000');
    let one = out.get(key);
    if (!one) {
      const labels = [{ name: '__name__', value: metric }];
      tags.forEach((tag, t) => {
        const cell = row[t];
        if (cell !== null && cell !== undefined && cell !== '') labels.push({ name: tag, value: cell });
      });
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      one = { labels, timestamps: [], values: [] };
      out.set(key, one);
    }
    one.timestamps.push(Math.floor(Number(times.get(r) as number | bigint) / ticksPerMs));
    one.values.push(sample);
  }
}

function sortSamples(series: RemoteReadSeries): void {
  const order = series.timestamps.map((_, i) => i);
  if (order.every((i) => i === 0 || series.timestamps[i - 1]! <= series.timestamps[i]!)) return;
  order.sort((a, b) => series.timestamps[a]! - series.timestamps[b]!);
  series.timestamps = order.map((i) => series.timestamps[i]!);
  series.values = order.map((i) => series.values[i]!);
}

/** The table a protocol writes in the request's database. */
export function tableNameOf(database: string, table: string): TableName {
  return { catalog: defaultCatalog, schema: database, name: table };
}
