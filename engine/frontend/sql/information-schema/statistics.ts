/**
 * `information_schema.statistics`: the indexes of every table (MySQL's shape, what SHOW
 * INDEX reads): the primary key columns (unique, in key order), the time index and the
 * columns' inverted, full-text and skipping indexes (`INVERTED_INDEX_<column>`, ...).
 */
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';
import type { CatalogColumn, CatalogTable } from './catalog-tables.ts';

function indexRow(
  table: CatalogTable,
  column: CatalogColumn,
  nonUnique: number,
  indexName: string,
  seq: number,
  indexType: string,
  greptimeIndexType: string,
): SystemRow {
  return [
    'def',
    table.schema,
    table.name,
    nonUnique,
    table.schema,
    indexName,
    seq,
    column.name,
    'A',
    null,
    null,
    null,
    // MySQL's statistics.nullable is `YES` or empty (unlike columns.is_nullable).
    column.nullable ? 'YES' : '',
    indexType,
    '',
    '',
    'YES',
    null,
    greptimeIndexType,
  ];
}

export const statisticsTable: SystemTable = {
  name: 'statistics',
  tableId: 43,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'non_unique Int64',
    'index_schema String',
    'index_name String',
    'seq_in_index Int64',
    'column_name String',
    'collation String?',
    'cardinality Int64?',
    'sub_part Int64?',
    'packed String?',
    'nullable String',
    'index_type String',
    'comment String',
    'index_comment String',
    'is_visible String',
    'expression String?',
    'greptime_index_type String?',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    for (const table of await context.catalogTables()) {
      const byName = new Map(table.columns.map((column) => [column.name, column]));
      table.primaryKey.forEach((name, index) => {
        const column = byName.get(name);
        if (column) rows.push(indexRow(table, column, 0, 'PRIMARY', index + 1, 'PRIMARY', 'dense'));
      });
      for (const column of table.columns) {
        if (column.semantic === 'TIMESTAMP') rows.push(indexRow(table, column, 1, 'TIME INDEX', 1, 'TIME', ''));
        const clause = (table.columnIndexes[column.name] ?? '').toUpperCase();
        const secondary = (name: string, type: string, greptimeType: string) =>
          rows.push(indexRow(table, column, 1, `${name}_${column.name}`, 1, type, greptimeType));
        if (clause.includes('INVERTED INDEX')) secondary('INVERTED_INDEX', 'INVERTED', 'inverted');
        if (clause.includes('FULLTEXT INDEX')) {
          const tantivy = /BACKEND\s*'?\s*=\s*'TANTIVY'/.test(clause);
          secondary('FULLTEXT_INDEX', 'FULLTEXT', tantivy ? 'fulltext_tantivy' : 'fulltext_bloom');
        }
        if (clause.includes('SKIPPING INDEX')) secondary('SKIPPING_INDEX', 'SKIPPING', 'bloom_filter');
      }
    }
    return rows;
  },
};
