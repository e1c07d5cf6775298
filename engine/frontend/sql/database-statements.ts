/**
 * CREATE DATABASE, DROP DATABASE and SHOW DATABASES, carried out by metasrv's database
 * channel (table-api.ts) with GreptimeDB's replies: CREATE answers `Affected Rows: 1`
 * (0 when IF NOT EXISTS found it), DROP `Affected Rows: 0`, SHOW a `Database` column that
 * lists the system schemas (`greptime_private`, `information_schema`) too.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { createDatabase, dropDatabase, listDatabases } from '../../rpc/index.ts';
import type { CreateDatabase, Drop, ObjectName, ShowDatabases } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { optionText } from './create-table-schema.ts';
import { likePattern, stringRecords } from './show-statements.ts';
import { defaultCatalog } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

const ddlDeadlineMs = 60_000;

/** `db` or `catalog.db` → catalog and database name. */
function databaseName(name: ObjectName): { catalog: string; name: string } {
  const parts = name.parts.map((part) => part.value);
  if (parts.length > 2) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid database name: ${parts.join('.')}`);
  }
  return parts.length === 2 ? { catalog: parts[0]!, name: parts[1]! } : { catalog: defaultCatalog, name: parts[0]! };
}

export async function runCreateDatabase(statement: CreateDatabase, context: TableContext): Promise<SqlOutput> {
  const { catalog, name } = databaseName(statement.name);
  const options = Object.fromEntries(statement.options.map((option) => [option.key, optionText(option.value)]));
  const { created } = await context.metasrv.call(
    createDatabase,
    { catalog, name, ifNotExists: statement.ifNotExists, options },
    { deadlineMs: ddlDeadlineMs },
  );
  return { affectedrows: created ? 1 : 0 };
}

export async function runDropDatabase(statement: Drop, context: TableContext): Promise<SqlOutput> {
  for (const objectName of statement.names) {
    const { catalog, name } = databaseName(objectName);
    await context.metasrv.call(
      dropDatabase,
      { catalog, name, ifExists: statement.ifExists },
      { deadlineMs: ddlDeadlineMs },
    );
  }
  return { affectedrows: 0 };
}

/** The catalog's databases, for SHOW DATABASES and `information_schema.schemata`. */
export async function databaseNames(context: TableContext): Promise<string[]> {
  return (await context.metasrv.call(listDatabases, { catalog: defaultCatalog }, { deadlineMs: 10_000 })).names;
}

export async function runShowDatabases(statement: ShowDatabases, context: TableContext): Promise<SqlOutput> {
  if (statement.filter?.kind === 'where') {
    throw new TesseraError(ErrorCode.Unsupported, 'SHOW DATABASES WHERE is not supported yet; SHOW DATABASES LIKE is');
  }
  let names = await databaseNames(context);
  if (statement.filter?.kind === 'like') {
    const pattern = likePattern(statement.filter.pattern);
    names = names.filter((name) => pattern.test(name));
  }
  if (statement.full) {
    return stringRecords(
      ['Database', 'Options'],
      names.map((name) => [name, '']),
    );
  }
  return stringRecords(
    ['Database'],
    names.map((name) => [name]),
  );
}
