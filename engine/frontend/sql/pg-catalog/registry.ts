/**
 * GreptimeDB's `pg_catalog` schema, which it shows to PostgreSQL clients only: over the
 * PostgreSQL protocol `pg_catalog.<table>` resolves here, and so does any table name that is
 * not found where it was looked up (`SELECT * FROM pg_class` in `public`), as GreptimeDB falls
 * back to pg_catalog; over HTTP and MySQL these names are not found. Tables are built per
 * statement from the same `SystemContext` as information_schema.
 */
import type { MemoryTable, TableProvider } from '../../../query/index.ts';
import type { TableName } from '../../../rpc/index.ts';
import type { ObjectName } from '../../../sql/index.ts';
import { buildSystemTable } from '../information-schema/system-table.ts';
import type { SystemContext, SystemTable } from '../information-schema/system-table.ts';
import { pgCatalogName } from './oids.ts';
import { pgAmTable } from './pg-am.ts';
import { pgAttrdefTable } from './pg-attrdef.ts';
import { pgAttributeTable } from './pg-attribute.ts';
import { pgClassTable } from './pg-class.ts';
import { pgCollationTable } from './pg-collation.ts';
import { pgDatabaseTable } from './pg-database.ts';
import { pgDependTable } from './pg-depend.ts';
import { pgNamespaceTable } from './pg-namespace.ts';
import { pgPolicyTable } from './pg-policy.ts';
import { pgTablesTable } from './pg-tables.ts';
import { pgTypeTable } from './pg-type.ts';

import { pgStatisticExtTable } from './pg-statistic-ext.ts';
import { pgPublicationTable } from './pg-publication.ts';
import { pgPublicationRelTable } from './pg-publication-rel.ts';
import { pgPublicationNamespaceTable } from './pg-publication-namespace.ts';
import { pgInheritsTable } from './pg-inherits.ts';
import { pgIndexTable } from './pg-index.ts';
import { pgConstraintTable } from './pg-constraint.ts';
import { pgTriggerTable } from './pg-trigger.ts';
import { pgDescriptionTable } from './pg-description.ts';
import { pgRolesTable } from './pg-roles.ts';
import { pgAuthMembersTable } from './pg-auth-members.ts';
import { pgSettingsTable } from './pg-settings.ts';
import { pgViewsTable } from './pg-views.ts';
/** pg_catalog's tables, sorted by name. */
export const pgCatalogTables: readonly SystemTable[] = [
  pgAmTable,
  pgAttrdefTable,
  pgAttributeTable,
  pgAuthMembersTable,
  pgClassTable,
  pgCollationTable,
  pgConstraintTable,
  pgDatabaseTable,
  pgDependTable,
  pgDescriptionTable,
  pgIndexTable,
  pgInheritsTable,
  pgNamespaceTable,
  pgPolicyTable,
  pgPublicationTable,
  pgPublicationNamespaceTable,
  pgPublicationRelTable,
  pgRolesTable,
  pgSettingsTable,
  pgStatisticExtTable,
  pgTablesTable,
  pgTriggerTable,
  pgTypeTable,
  pgViewsTable,
];

const byName = new Map(pgCatalogTables.map((table) => [table.name, table]));

/** Tables that never hold rows here (subqueries over them fold to their empty value, `empty-subqueries.ts`). */
const emptyTables = new Set(
  [
    pgAttrdefTable,
    pgCollationTable,
    pgPolicyTable,
    pgStatisticExtTable,
    pgPublicationTable,
    pgPublicationRelTable,
    pgPublicationNamespaceTable,
    pgInheritsTable,
    pgIndexTable,
    pgConstraintTable,
    pgTriggerTable,
    pgDescriptionTable,
    pgDependTable,
    pgRolesTable,
    pgAuthMembersTable,
    pgViewsTable,
  ].map((table) => table.name),
);

export function isAlwaysEmptyPgTable(name: string): boolean {
  return emptyTables.has(name.toLowerCase());
}

/** The pg_catalog table `name` (matched case-insensitively). */
export function pgCatalogTable(name: string): SystemTable | undefined {
  return byName.get(name.toLowerCase());
}

/** The pg_catalog table an ObjectName names in a session on `database` (DESC TABLE). */
export function pgCatalogTableNamed(name: ObjectName, database: string): SystemTable | undefined {
  const parts = name.parts.map((part) => part.value);
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : database;
  return schema.toLowerCase() === pgCatalogName ? pgCatalogTable(parts[parts.length - 1]!) : undefined;
}

/**
 * `load` with pg_catalog added, for a PostgreSQL client's statement: `pg_catalog.x` is a
 * pg_catalog table, and a name `load` does not find falls back to the pg_catalog table of
 * that name.
 */
export function withPgCatalog(
  load: (name: TableName) => Promise<TableProvider | undefined>,
  catalog: string,
  context: () => SystemContext,
): (name: TableName) => Promise<TableProvider | undefined> {
  const build = (table: SystemTable): Promise<MemoryTable> => buildSystemTable(table, context());
  return async (name) => {
    if (name.catalog !== catalog) return load(name);
    const table = pgCatalogTable(name.name);
    if (name.schema.toLowerCase() === pgCatalogName) return table ? build(table) : undefined;
    return (await load(name)) ?? (table ? build(table) : undefined);
  };
}
