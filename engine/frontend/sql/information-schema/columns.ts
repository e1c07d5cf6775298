/** `information_schema.columns`: every column of every table, with MySQL's and GreptimeDB's type names. */
import { columnKey, datetimePrecision, numericPrecision, sqlTypeName } from './catalog-tables.ts';
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';

/** What MySQL reports as the maximum length of a string column. */
const maxStringLength = 2147483647;

export const columnsTable: SystemTable = {
  name: 'columns',
  tableId: 4,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'column_name String',
    'ordinal_position Int64',
    'character_maximum_length Int64?',
    'character_octet_length Int64?',
    'numeric_precision Int64?',
    'numeric_scale Int64?',
    'datetime_precision Int64?',
    'character_set_name String?',
    'collation_name String?',
    'column_key String',
    'extra String',
    'privileges String',
    'generation_expression String',
    'greptime_data_type String',
    'data_type String',
    'semantic_type String',
    'column_default String?',
    'is_nullable String',
    'column_type String',
    'column_comment String?',
    'srs_id Int64?',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    for (const table of await context.catalogTables()) {
      table.columns.forEach((column, index) => {
        const isString = column.greptimeType === 'String';
        const { precision, scale } = numericPrecision(column.greptimeType);
        const dataType = sqlTypeName(column.greptimeType);
        rows.push([
          table.catalog,
          table.schema,
          table.name,
          column.name,
          index + 1,
          isString ? maxStringLength : null,
          isString ? maxStringLength : null,
          precision,
          scale,
          datetimePrecision(column.greptimeType),
          isString ? 'utf8' : null,
          isString ? 'utf8_bin' : null,
          columnKey(column.semantic),
          '',
          'select,insert',
          '',
          column.greptimeType,
          dataType,
          column.semantic,
          column.defaultValue,
          column.nullable ? 'YES' : 'NO',
          dataType,
          null,
          null,
        ]);
      });
    }
    return rows;
  },
};
