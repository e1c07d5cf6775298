/**
 * `'name'::regclass`: the OID of the relation a PostgreSQL client names, looked up as
 * PostgreSQL's search path would (the session's database, then pg_catalog): information_schema
 * and pg_catalog tables by their fixed ids, `public.numbers`, user tables from metasrv.
 */
import { ErrorCode, TesseraError } from '../../../common/index.ts';
import type { RpcClient, TableName } from '../../../rpc/index.ts';
import { informationSchemaTable } from '../information-schema/registry.ts';
import { isNumbersTable } from '../numbers-table.ts';
import { fetchTable } from '../table-catalog.ts';
import { pgCatalogName, relationOid } from './oids.ts';
import { pgCatalogTable } from './registry.ts';

/** `a.b` / `"A".b` → its parts, quotes removed. */
function nameParts(written: string): string[] {
  return [...written.matchAll(/"((?:[^"]|"")*)"|([^."]+)/g)].map((match) =>
    match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.trim(),
  );
}

export async function relationOidIn(
  written: string,
  database: string,
  catalog: string,
  metasrv: RpcClient,
): Promise<number> {
  const parts = nameParts(written);
  const name = parts[parts.length - 1] ?? '';
  const schemas = parts.length >= 2 ? [parts[parts.length - 2]!] : [database, pgCatalogName];
  for (const schema of schemas) {
    const tableName: TableName = { catalog, schema, name };
    const system = informationSchemaTable(schema, name);
    if (system) return relationOid(system);
    if (schema.toLowerCase() === pgCatalogName) {
      const table = pgCatalogTable(name);
      if (table) return relationOid(table);
      continue;
    }
    if (isNumbersTable(tableName)) return 2;
    const route = await fetchTable(metasrv, tableName);
    if (route) return relationOid(route.info);
  }
  throw new TesseraError(ErrorCode.TableNotFound, `Table not found: ${written}`);
}
