/**
 * The SHOW statements GreptimeDB answers from `information_schema`, as the queries that
 * answer them (`show-information-schema.ts`), with GreptimeDB's shown column names, filters
 * and order: SHOW DATABASES, [FULL] TABLES, TABLE STATUS, [FULL] COLUMNS, INDEX, REGION,
 * CHARSET, COLLATION and [FULL] PROCESSLIST.
 */
import type {
  ShowCharset,
  ShowCollation,
  ShowColumns,
  ShowDatabases,
  ShowIndex,
  ShowProcessList,
  ShowRegion,
  ShowTableStatus,
  ShowTables,
} from '../../sql/index.ts';
import { showQuery, sqlString } from './show-information-schema.ts';
import type { SourceText } from './show-information-schema.ts';
import { defaultCatalog } from './table-catalog.ts';

export type InformationSchemaShow =
  | ShowDatabases
  | ShowTables
  | ShowTableStatus
  | ShowColumns
  | ShowIndex
  | ShowRegion
  | ShowCharset
  | ShowCollation
  | ShowProcessList;

const inCatalog = (column: string) => `${column} = ${sqlString(defaultCatalog)}`;

/** The query that answers `statement` for a session in `database`. */
export function showQueryText(statement: InformationSchemaShow, database: string, source: SourceText): string {
  switch (statement.kind) {
    case 'show-databases':
      return showQuery(
        {
          table: 'schemata',
          columns: statement.full
            ? [
                ['schema_name', 'Database'],
                ['options', 'Options'],
              ]
            : [['schema_name', 'Database']],
          filters: [inCatalog('catalog_name')],
          likeColumn: 'schema_name',
          orderBy: ['Database'],
          filter: statement.filter,
        },
        source,
      );
    case 'show-tables': {
      const schema = statement.database?.value ?? database;
      const shown = `Tables_in_${schema}`;
      return showQuery(
        {
          table: 'tables',
          columns: statement.full
            ? [
                ['table_name', shown],
                ['table_type', 'Table_type'],
              ]
            : [['table_name', shown]],
          filters: [`table_schema = ${sqlString(schema)}`, inCatalog('table_catalog')],
          likeColumn: 'table_name',
          orderBy: [shown],
          filter: statement.filter,
        },
        source,
      );
    }
    case 'show-table-status': {
      const schema = statement.database?.value ?? database;
      return showQuery(
        {
          table: 'tables',
          columns: [
            ['table_name', 'Name'],
            ['engine', 'Engine'],
            ['version', 'Version'],
            ['row_format', 'Row_format'],
            ['table_rows', 'Rows'],
            ['avg_row_length', 'Avg_row_length'],
            ['data_length', 'Data_length'],
            ['max_data_length', 'Max_data_length'],
            ['index_length', 'Index_length'],
            ['data_free', 'Data_free'],
            ['auto_increment', 'Auto_increment'],
            ['create_time', 'Create_time'],
            ['update_time', 'Update_time'],
            ['check_time', 'Check_time'],
            ['table_collation', 'Collation'],
            ['checksum', 'Checksum'],
            ['create_options', 'Create_options'],
            ['table_comment', 'Comment'],
          ],
          filters: [`table_schema = ${sqlString(schema)}`, inCatalog('table_catalog')],
          likeColumn: 'table_name',
          orderBy: ['Name'],
          filter: statement.filter,
        },
        source,
      );
    }
    case 'show-columns': {
      const schema = statement.database?.value ?? database;
      const columns: [string, string][] = statement.full
        ? [
            ['column_name', 'Field'],
            ['data_type', 'Type'],
            ['collation_name', 'Collation'],
            ['is_nullable', 'Null'],
            ['column_key', 'Key'],
            ['column_default', 'Default'],
            ['column_comment', 'Comment'],
            ['privileges', 'Privileges'],
            ['extra', 'Extra'],
            ['greptime_data_type', 'Greptime_type'],
          ]
        : [
            ['column_name', 'Field'],
            ['data_type', 'Type'],
            ['is_nullable', 'Null'],
            ['column_key', 'Key'],
            ['column_default', 'Default'],
            ['extra', 'Extra'],
            ['greptime_data_type', 'Greptime_type'],
          ];
      return showQuery(
        {
          table: 'columns',
          columns,
          filters: [
            `table_name = ${sqlString(statement.table.value)}`,
            `table_schema = ${sqlString(schema)}`,
            inCatalog('table_catalog'),
          ],
          likeColumn: 'column_name',
          orderBy: ['Field'],
          filter: statement.filter,
        },
        source,
      );
    }
    case 'show-index': {
      const schema = statement.database?.value ?? database;
      return showQuery(
        {
          table: 'statistics',
          columns: [
            ['table_name', 'Table'],
            ['non_unique', 'Non_unique'],
            ['index_name', 'Key_name'],
            ['seq_in_index', 'Seq_in_index'],
            ['column_name', 'Column_name'],
            ['collation', 'Collation'],
            ['cardinality', 'Cardinality'],
            ['sub_part', 'Sub_part'],
            ['packed', 'Packed'],
            ['nullable', 'Null'],
            ['index_type', 'Index_type'],
            ['comment', 'Comment'],
            ['index_comment', 'Index_comment'],
            ['is_visible', 'Visible'],
            ['expression', 'Expression'],
          ],
          filters: [`table_name = ${sqlString(statement.table.value)}`, `table_schema = ${sqlString(schema)}`],
          orderBy: ['Key_name', 'Seq_in_index'],
          filter: statement.filter,
        },
        source,
      );
    }
    case 'show-region': {
      const schema = statement.database?.value ?? database;
      return showQuery(
        {
          table: 'region_peers',
          columns: [
            ['table_name', 'Table'],
            ['region_id', 'Region'],
            ['peer_id', 'Peer'],
            ['is_leader', 'Leader'],
          ],
          filters: [
            `table_name = ${sqlString(statement.table.value)}`,
            `table_schema = ${sqlString(schema)}`,
            inCatalog('table_catalog'),
          ],
          orderBy: ['Region', 'Peer'],
          filter: statement.filter,
        },
        source,
      );
    }
    case 'show-charset':
      return showQuery(
        {
          table: 'character_sets',
          columns: [
            ['character_set_name', 'Charset'],
            ['description', 'Description'],
            ['default_collate_name', 'Default collation'],
            ['maxlen', 'Maxlen'],
          ],
          likeColumn: 'character_set_name',
          filter: statement.filter,
        },
        source,
      );
    case 'show-collation':
      return showQuery(
        {
          table: 'collations',
          columns: [
            ['collation_name', 'Collation'],
            ['character_set_name', 'Charset'],
            ['id', 'Id'],
            ['is_default', 'Default'],
            ['is_compiled', 'Compiled'],
            ['sortlen', 'Sortlen'],
          ],
          likeColumn: 'collation_name',
          filter: statement.filter,
        },
        source,
      );
    case 'show-processlist':
      return showQuery(
        {
          table: 'process_list',
          columns: statement.full
            ? [
                ['id', 'Id'],
                ['catalog', 'Catalog'],
                ['schemas', 'Schema'],
                ['client', 'Client'],
                ['frontend', 'Frontend'],
                ['start_timestamp', 'Start Time'],
                ['elapsed_time', 'Elapsed Time'],
                ['query', 'Query'],
              ]
            : [
                ['id', 'Id'],
                ['catalog', 'Catalog'],
                ['query', 'Query'],
                ['elapsed_time', 'Elapsed Time'],
              ],
          orderBy: ['Id'],
          filter: null,
        },
        source,
      );
  }
}
