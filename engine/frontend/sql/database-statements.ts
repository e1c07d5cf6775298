/**
 * CREATE DATABASE, DROP DATABASE and SHOW DATABASES, carried out by metasrv's database
 * channel (table-api.ts) with GreptimeDB's replies: CREATE answers `Affected Rows: 1`
 * (0 when IF NOT EXISTS found it), DROP `Affected Rows: 0`, SHOW a `Database` column that
 * lists the system schemas (`greptime_private`, `information_schema`) too.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { alterDatabase, createDatabase, dropDatabase, getDatabase, listDatabases } from '../../rpc/index.ts';
import type { AlterDatabase, CreateDatabase, Drop, ObjectName, ShowCreate, ShowDatabases } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { optionText } from './create-table-schema.ts';
import { likePattern, stringRecords } from './show-statements.ts';
import { isDatabaseOptionKey, optionValueProblem, parseTtl, withClauseText } from './table-options.ts';
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
    const rows: string[][] = [];
    for (const name of names) rows.push([name, optionsListText(await databaseOptions(context, defaultCatalog, name))]);
    return stringRecords(['Database', 'Options'], rows);
  }
  return stringRecords(
    ['Database'],
    names.map((name) => [name]),
  );
}

async function databaseOptions(context: TableContext, catalog: string, name: string): Promise<Record<string, string>> {
  const { database } = await context.metasrv.call(getDatabase, { catalog, name }, { deadlineMs: 10_000 });
  return database?.options ?? {};
}

/** SHOW FULL DATABASES' Options cell: `'ttl'='1h'` first, then the rest by key, one a line. */
function optionsListText(options: Readonly<Record<string, string>>): string {
  const keys = Object.keys(options).sort((a, b) => (a === 'ttl' ? -1 : b === 'ttl' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => `'${key}'='${options[key]}'\n`).join('');
}

/** ALTER DATABASE db SET 'k' = 'v', ... / UNSET 'k', ...: GreptimeDB's database options only. */
export async function runAlterDatabase(statement: AlterDatabase, context: TableContext): Promise<SqlOutput> {
  const { catalog, name } = databaseName(statement.name);
  const set: Record<string, string> = {};
  const unset: string[] = [];
  const operation = statement.operation;
  if (operation.kind === 'set-options') {
    for (const option of operation.options) {
      const value = optionText(option.value);
      if (!isDatabaseOptionKey(option.key) || optionValueProblem(option.key, value)) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Invalid set database option, key: ${option.key}, value: ${value}`,
        );
      }
      // GreptimeDB stores an empty ttl as 'forever'.
      set[option.key] =
        option.key === 'ttl' && parseTtl(value)?.kind === 'forever' && value.trim() === '' ? 'forever' : value;
    }
  } else {
    for (const key of operation.keys) {
      if (!isDatabaseOptionKey(key)) {
        throw new TesseraError(ErrorCode.InvalidArguments, `Invalid unset database option, key: ${key}`);
      }
      unset.push(key);
    }
  }
  await context.metasrv.call(alterDatabase, { catalog, name, set, unset }, { deadlineMs: ddlDeadlineMs });
  return { affectedrows: 0 };
}

/** SHOW CREATE DATABASE: `CREATE DATABASE IF NOT EXISTS name` and its options as `WITH(...)`. */
export async function runShowCreateDatabase(statement: ShowCreate, context: TableContext): Promise<SqlOutput> {
  const { catalog, name } = databaseName(statement.name);
  const { database } = await context.metasrv.call(getDatabase, { catalog, name }, { deadlineMs: 10_000 });
  if (!database) throw new TesseraError(ErrorCode.DatabaseNotFound, `Database not found: ${name}`);
  const withText = withClauseText(database.options);
  return stringRecords(
    ['Database', 'Create Database'],
    [[name, `CREATE DATABASE IF NOT EXISTS ${name}${withText ? `\n${withText}` : ''}`]],
  );
}
