/**
 * The frontend's `PrometheusQueryHandler`: PromQL over the database's tables (engine/promql
 * with Prometheus 2.x semantics, `TableSeriesSource` reading the tables), and the metadata
 * endpoints: label names are the tag columns of the database's metric tables plus
 * `__name__`, label values come from scanning the tag column, series from the matched tables.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { batchColumns } from '../../query/index.ts';
import type { TableProvider } from '../../query/index.ts';
import { compileMatcher, instantQueryData, parsePromql, rangeQueryData, runPromql } from '../../promql/index.ts';
import type { SeriesSource, VectorSelector } from '../../promql/index.ts';
import { listTableRoutes } from '../../rpc/index.ts';
import type { TableName, TableRoute } from '../../rpc/index.ts';
import type {
  PrometheusMetadataRequest,
  PrometheusQueryHandler,
  PrometheusQueryRequest,
} from '../http/prometheus-api.ts';
import { cancellableLoad } from './cancellable-scans.ts';
import { tableProviderOf } from './metric-tables.ts';
import { unknownClient } from './process-registry.ts';
import type { ProcessRegistry } from './process-registry.ts';
import { TableSeriesSource } from './promql-series-source.ts';
import { defaultCatalog, fetchTable } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';
import { tqlRecords } from './tql-statement.ts';
import { untilAborted } from './track-processes.ts';

/** A table provider for a metric table (regular or metric-engine logical table); views are not metrics. */
export async function metricTableProvider(context: TableContext, name: TableName): Promise<TableProvider | undefined> {
  const route = await fetchTable(context.metasrv, name);
  if (route === undefined || route.info.kind === 'view') return undefined;
  return tableProviderOf(context, route);
}

async function databaseTables(context: TableContext, database: string): Promise<TableRoute[]> {
  const { tables } = await context.metasrv.call(listTableRoutes, { catalog: defaultCatalog }, { deadlineMs: 10_000 });
  return tables.filter(
    (table) =>
      table.info.schema === database &&
      table.info.kind !== 'view' &&
      table.info.regionSchema.columns.some((column) => column.semantic === 'timestamp') &&
      !isPhysicalMetricTable(table),
  );
}

/** Metric engine physical tables hold the rows of many logical tables; they are not metrics themselves. */
function isPhysicalMetricTable(table: TableRoute): boolean {
  return table.info.regionSchema.columns.some((column) => column.name === '__table_id');
}

function tagsOf(table: TableRoute): string[] {
  return table.info.regionSchema.columns
    .filter((column) => column.semantic === 'tag' && !column.name.startsWith('__'))
    .map((column) => column.name);
}

/**
 * A series source that also resolves `{__name__=~"..."}` by listing the database's tables;
 * its scans stop when `signal` aborts.
 */
function sourceFor(context: TableContext, signal?: AbortSignal): SeriesSource {
  const source = new TableSeriesSource(cancellableLoad((name) => metricTableProvider(context, name), signal));
  return {
    fetch: (request) => source.fetch(request),
    tableNames: async (database) => (await databaseTables(context, database)).map((table) => table.info.name),
  };
}

function selectorsOf(matchers: string[]): VectorSelector[] {
  return matchers.map((text) => {
    const expr = parsePromql(text);
    if (expr.type !== 'vector') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `invalid parameter "match[]": ${text} is not a series selector`,
      );
    }
    return expr;
  });
}

/** The tables a selector may read: its metric name, or every table its `__name__` matchers accept. */
function tablesMatching(selector: VectorSelector, tables: TableRoute[]): TableRoute[] {
  const nameMatchers = selector.matchers.filter((m) => m.name === '__name__').map(compileMatcher);
  return tables.filter(
    (table) =>
      (selector.name === '' || table.info.name === selector.name) &&
      nameMatchers.every((test) => test(table.info.name)),
  );
}

/**
 * Creates the handler over metasrv (table metadata) and the datanodes (scans). Queries are
 * listed in `processes` while they run (KILL stops them) and stop when the client goes away.
 */
export function createPrometheusQueryHandler(
  context: TableContext,
  processes?: ProcessRegistry,
): PrometheusQueryHandler {
  const source = sourceFor(context);
  const tracked = async <T>(request: PrometheusQueryRequest, run: (source: SeriesSource) => Promise<T>): Promise<T> => {
    if (!processes) return run(sourceFor(context, request.signal));
    const ticket = processes.register(
      { catalog: defaultCatalog, database: request.database, query: request.query, client: unknownClient },
      request.signal,
    );
    try {
      return await untilAborted(run(sourceFor(context, ticket.signal)), ticket.signal);
    } finally {
      ticket.done();
    }
  };

  const seriesOf = async (request: PrometheusMetadataRequest): Promise<Record<string, string>[]> => {
    const tables = await databaseTables(context, request.database);
    const out = new Map<string, Record<string, string>>();
    for (const selector of selectorsOf(request.matchers)) {
      const tests = selector.matchers
        .filter((m) => !m.name.startsWith('__'))
        .map((m) => ({ name: m.name, test: compileMatcher(m) }));
      for (const table of tablesMatching(selector, tables)) {
        const fetched = await source.fetch({
          database: request.database,
          table: table.info.name,
          matchers: selector.matchers.filter((m) => !m.name.startsWith('__')),
          start: request.start,
          end: request.end,
        });
        if (fetched === null) continue;
        for (const series of fetched.series) {
          if (!tests.every(({ name, test }) => test(series.labels[name] ?? ''))) continue;
          if (series.fields.every((field) => field.timestamps.length === 0)) continue;
          const labels = { __name__: table.info.name, ...series.labels };
          out.set(JSON.stringify(Object.entries(labels).sort()), labels);
        }
      }
    }
    return [...out.values()];
  };

  return {
    instantQuery: (request: PrometheusQueryRequest) =>
      tracked(request, (source) => instantQueryData({ ...request, source })),
    rangeQuery: (request: PrometheusQueryRequest) =>
      tracked(request, async (source) => rangeQueryData(await runPromql({ ...request, source }))),
    promql: (request: PrometheusQueryRequest) =>
      tracked(request, async (source) =>
        tqlRecords(await runPromql({ ...request, source, allFields: true, leftOpen: true }), null),
      ),
    async labelNames(request) {
      const names = new Set<string>(['__name__']);
      if (request.matchers.length > 0) {
        for (const series of await seriesOf(request)) for (const name of Object.keys(series)) names.add(name);
      } else {
        for (const table of await databaseTables(context, request.database))
          for (const tag of tagsOf(table)) names.add(tag);
      }
      return [...names].sort();
    },
    async labelValues(name, request) {
      const values = new Set<string>();
      if (request.matchers.length > 0) {
        for (const series of await seriesOf(request)) if (series[name] !== undefined) values.add(series[name]);
        return [...values].sort();
      }
      const tables = await databaseTables(context, request.database);
      if (name === '__name__') return tables.map((table) => table.info.name).sort();
      for (const table of tables) {
        if (!tagsOf(table).includes(name)) continue;
        const provider = await tableProviderOf(context, table);
        const index = provider.schema.arrow.fields.findIndex((field) => field.name === name);
        if (index < 0) continue;
        for await (const batch of provider.scan({ projection: [index], filters: [], limit: null })) {
          const column = batchColumns(batch).columns[0];
          const strings = column.values as string[];
          for (let row = 0; row < column.length; row++) {
            if (column.valid !== null && column.valid[row] === 0) continue;
            if (strings[row] !== '') values.add(strings[row]);
          }
        }
      }
      return [...values].sort();
    },
    series: seriesOf,
  };
}
