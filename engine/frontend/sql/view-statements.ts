/**
 * Views: CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(cols)] AS query, DROP VIEW, SHOW CREATE
 * VIEW and SHOW VIEWS. A view is a metasrv table entry of `kind: 'view'` with no region; its
 * query is stored as SQL text and planned again, inline, each time a statement reads the view
 * (`ViewTableProvider`), so it always sees the tables' current columns and rows.
 */
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { Field } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { streamQuery } from '../../query/index.ts';
import type { ScanRequest, TableProvider, TableSchema } from '../../query/index.ts';
import { createTable, dropTable, listTables, getTable } from '../../rpc/index.ts';
import type { TableInfo, TableName } from '../../rpc/index.ts';
import { formatQuery, formatStatement } from '../../sql/index.ts';
import type { CreateView, Drop, ShowCreate, ShowViews } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { likePattern, stringRecords } from './show-statements.ts';
import { TableCatalog, fetchTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

const ddlDeadlineMs = 60_000;

/** Loads one table by name for the query engine (the frontend's `loadTable`). */
export type LoadTable = (name: TableName) => Promise<TableProvider | undefined>;

function qualified(name: TableName): string {
  return `${name.catalog}.${name.schema}.${name.name}`;
}

/**
 * CREATE VIEW: plans the query once (so a broken query or a column-count mismatch is refused
 * now, as GreptimeDB does), then records the view.
 */
export async function runCreateView(
  statement: CreateView,
  context: TableContext,
  database: string,
  loadTable: LoadTable,
): Promise<SqlOutput> {
  if (statement.orReplace && statement.ifNotExists) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      'Invalid SQL, error: syntax error Create Or Replace and If Not Exist cannot be used together',
    );
  }
  const name = resolveTableName(statement.name, database);
  const existing = await fetchTable(context.metasrv, name);
  if (existing) {
    if (existing.info.kind !== 'view') {
      throw new TesseraError(ErrorCode.TableAlreadyExists, `Table already exists: \`${qualified(name)}\``);
    }
    if (statement.ifNotExists) return { affectedrows: 0 };
    if (!statement.orReplace) {
      throw new TesseraError(ErrorCode.TableAlreadyExists, `View already exists: \`${qualified(name)}\``);
    }
  }
  const definition = formatQuery(statement.query);
  const planned = await planView(definition, name.schema, loadTable);
  const columns = statement.columns.map((column) => column.value);
  if (columns.length > 0 && columns.length !== planned.schema.fields.length) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Expect ${planned.schema.fields.length} columns for view ${name.name}, but found ${columns.length}`,
    );
  }
  const columnOrder = columns.length > 0 ? columns : planned.schema.fields.map((field) => field.name);
  await context.metasrv.call(
    createTable,
    {
      ...name,
      ifNotExists: false,
      // A view has no region; the schema field is required, so it holds no columns.
      regionSchema: { version: 0, columns: [] },
      columnOrder,
      options: {},
      extra: { kind: 'view', viewDefinition: definition, viewCreateText: formatStatement(statement) },
      noRegions: true,
      orReplace: statement.orReplace,
    },
    { deadlineMs: ddlDeadlineMs },
  );
  return { affectedrows: 0 };
}

/** Plans a view's query against its own catalog, fetching the tables it names. */
async function planView(definition: string, schemaName: string, loadTable: LoadTable) {
  const catalog = new TableCatalog();
  const stream = await catalog.withTables(loadTable, async () => streamQuery(definition, catalog, { schemaName }));
  return { schema: stream.schema, catalog };
}

export async function runDropView(statement: Drop, context: TableContext, database: string): Promise<SqlOutput> {
  for (const objectName of statement.names) {
    const name = resolveTableName(objectName, database);
    await context.metasrv.call(
      dropTable,
      { ...name, ifExists: statement.ifExists, kind: 'view' },
      { deadlineMs: ddlDeadlineMs },
    );
  }
  return { affectedrows: 0 };
}

export async function runShowCreateView(
  statement: ShowCreate,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const name = resolveTableName(statement.name, database);
  const { table } = await context.metasrv.call(getTable, name, { deadlineMs: 10_000 });
  if (!table || table.info.kind !== 'view') {
    throw new TesseraError(ErrorCode.TableNotFound, `View not found: ${name.name}`);
  }
  return stringRecords(['View', 'Create View'], [[table.info.name, table.info.viewCreateText ?? '']]);
}

export async function runShowViews(statement: ShowViews, context: TableContext, database: string): Promise<SqlOutput> {
  const schema = statement.database?.value ?? database;
  const { names } = await context.metasrv.call(listTables, { catalog: 'greptime', schema }, { deadlineMs: 10_000 });
  const views: string[] = [];
  for (const table of names) {
    const route = await fetchTable(context.metasrv, { catalog: 'greptime', schema, name: table });
    if (route?.info.kind === 'view') views.push(table);
  }
  let shown = views;
  if (statement.filter?.kind === 'like') {
    const pattern = likePattern(statement.filter.pattern);
    shown = views.filter((view) => pattern.test(view));
  }
  return stringRecords(
    [`Views_in_${schema}`],
    shown.map((view) => [view]),
  );
}

/** A view as the query engine sees it: its columns, and a scan that runs its query. */
export async function viewTableProvider(info: TableInfo, loadTable: LoadTable): Promise<TableProvider> {
  const definition = info.viewDefinition ?? '';
  const planned = await planView(definition, info.schema, loadTable);
  const renamed = planned.schema.fields.map((field, index) =>
    field.clone({ name: info.columnOrder[index] ?? field.name }),
  );
  if (renamed.length !== info.columnOrder.length) {
    throw new TesseraError(
      ErrorCode.Unexpected,
      `Failed to decode DataFusion plan: view ${info.name} expects ${info.columnOrder.length} columns, its query returns ${renamed.length}`,
    );
  }
  return new ViewTableProvider(definition, info.schema, planned.catalog, new Schema(renamed as Field[]));
}

class ViewTableProvider implements TableProvider {
  readonly schema: TableSchema;
  private readonly definition: string;
  private readonly schemaName: string;
  private readonly catalog: TableCatalog;

  constructor(definition: string, schemaName: string, catalog: TableCatalog, arrow: Schema) {
    this.definition = definition;
    this.schemaName = schemaName;
    this.catalog = catalog;
    this.schema = { arrow, timeIndex: null, tags: [] };
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    const stream = streamQuery(this.definition, this.catalog, {
      schemaName: this.schemaName,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const indices = request.projection ?? this.schema.arrow.fields.map((_, index) => index);
    const fields = indices.map((index) => this.schema.arrow.fields[index]!);
    const projected = new Schema(fields);
    for await (const batch of stream.batches) {
      const children = indices.map((index) => batch.data.children[index]!);
      const data = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
      yield new RecordBatch(projected, data);
    }
  }
}
