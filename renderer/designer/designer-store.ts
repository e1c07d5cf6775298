/**
 * The designer's state: the table (new, or loaded from the cluster), the partition columns,
 * the rule as text (the source of truth, one expression per line) and its drawing when it
 * has one, and the sample rows. Drawing edits rewrite the text; text edits redraw.
 */
import { create } from 'zustand';
import { queryRows, runStatement } from '../shared/greptime-http.ts';
import type { Endpoint } from '../shared/greptime-http.ts';
import { partitionKindOfType, quoteIdentifier } from './column-kinds.ts';
import type { DesignColumn } from './column-kinds.ts';
import { emptyLayout, layoutOfRule, layoutTexts } from './region-layout.ts';
import type { RegionLayout } from './region-layout.ts';
import { checkRule } from './rule-check.ts';
import { sampleFromColumns } from './row-sample.ts';
import type { ColumnReader, RowSample } from './row-sample.ts';
import { newTableSql, partitionsOf } from './table-ddl.ts';

export interface ExistingTable {
  database: string;
  table: string;
  /** SHOW CREATE TABLE's text. */
  createSql: string;
}

interface DesignerState {
  tableName: string;
  columns: DesignColumn[];
  /** Set when the design started from a table of the cluster. */
  existing: ExistingTable | undefined;
  partitionColumns: string[];
  ruleText: string;
  /** The drawing of ruleText, or why there is none. */
  drawing: { layout: RegionLayout } | { reason: string };
  selectedCells: number[];
  sample: RowSample | undefined;
  loading: string | undefined;
  error: string | undefined;
  setTableName(name: string): void;
  setColumns(columns: DesignColumn[]): void;
  setPartitionColumns(columns: string[]): void;
  setLayout(layout: RegionLayout): void;
  setRuleText(text: string): void;
  setSelectedCells(cells: number[]): void;
  setSample(sample: RowSample | undefined): void;
  startNew(): void;
  loadTable(endpoint: Endpoint, database: string, table: string): Promise<void>;
  sampleTable(endpoint: Endpoint): Promise<void>;
}

export const sampleLimit = 100_000;

const defaultColumns: DesignColumn[] = [
  { name: 'device_id', type: 'INT', role: 'tag' },
  { name: 'host', type: 'STRING', role: 'tag' },
  { name: 'ts', type: 'TIMESTAMP', role: 'timestamp' },
  { name: 'usage', type: 'DOUBLE', role: 'field' },
];

/** The rule's expressions: one per non-empty line, a trailing comma allowed (as in the DDL). */
export function ruleExprs(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/,$/, '').trim())
    .filter((line) => line !== '');
}

export function kindOfColumn(
  columns: readonly DesignColumn[],
): (name: string) => ReturnType<typeof partitionKindOfType> {
  return (name) => {
    const column = columns.find((c) => c.name === name);
    return column ? partitionKindOfType(column.type) : undefined;
  };
}

function drawingOf(columns: DesignColumn[], partitionColumns: string[], text: string): DesignerState['drawing'] {
  const check = checkRule(partitionColumns, ruleExprs(text), kindOfColumn(columns));
  const rule = check.rule;
  if (!rule) return { reason: 'The drawing waits for a rule that parses.' };
  return layoutOfRule(rule);
}

function freshLayout(columns: DesignColumn[], partitionColumns: string[]): RegionLayout {
  const kindOf = kindOfColumn(columns);
  return emptyLayout(partitionColumns.map((column) => ({ column, kind: kindOf(column) ?? 'string', splits: [] })));
}

export const useDesigner = create<DesignerState>()((set, get) => ({
  tableName: 'metrics',
  columns: defaultColumns,
  existing: undefined,
  partitionColumns: ['device_id'],
  ruleText: '',
  drawing: { layout: freshLayout(defaultColumns, ['device_id']) },
  selectedCells: [],
  sample: undefined,
  loading: undefined,
  error: undefined,
  setTableName: (tableName) => set({ tableName }),
  setColumns(columns) {
    const kindOf = kindOfColumn(columns);
    const partitionColumns = get().partitionColumns.filter((name) => kindOf(name) !== undefined);
    set({ columns });
    if (partitionColumns.length !== get().partitionColumns.length) get().setPartitionColumns(partitionColumns);
  },
  setPartitionColumns(partitionColumns) {
    set({
      partitionColumns,
      ruleText: '',
      drawing: { layout: freshLayout(get().columns, partitionColumns) },
      selectedCells: [],
    });
  },
  setLayout(layout) {
    set({ drawing: { layout }, ruleText: layoutTexts(layout).join(',\n') });
  },
  setRuleText(ruleText) {
    const { columns, partitionColumns } = get();
    set({ ruleText, drawing: drawingOf(columns, partitionColumns, ruleText), selectedCells: [] });
  },
  setSelectedCells: (selectedCells) => set({ selectedCells }),
  setSample: (sample) => set({ sample }),
  startNew() {
    set({ existing: undefined, sample: undefined, tableName: 'metrics', columns: defaultColumns, error: undefined });
    get().setPartitionColumns(['device_id']);
  },
  async loadTable(endpoint, database, table) {
    set({ loading: `Loading ${database}.${table}…`, error: undefined });
    try {
      const described = await queryRows(endpoint, `DESC TABLE ${quoteIdentifier(table)}`, database);
      const columns: DesignColumn[] = described.map((row) => {
        const role = String(row[5] ?? '').toUpperCase();
        return {
          name: String(row[0]),
          type: String(row[1]),
          role: role === 'TAG' ? 'tag' : role === 'TIMESTAMP' ? 'timestamp' : 'field',
        };
      });
      const shown = await queryRows(endpoint, `SHOW CREATE TABLE ${quoteIdentifier(table)}`, database);
      const createSql = String(shown[0]?.[1] ?? '');
      const current = partitionsOf(createSql);
      const kindOf = kindOfColumn(columns);
      const partitionColumns = current?.columns ?? [
        columns.find((c) => c.role === 'tag' && kindOf(c.name))?.name ?? columns.find((c) => kindOf(c.name))!.name,
      ];
      const ruleText = current ? current.exprs.join(',\n') : '';
      set({
        existing: { database, table, createSql },
        tableName: `${table}_repartitioned`,
        columns,
        partitionColumns,
        ruleText,
        drawing: ruleText
          ? drawingOf(columns, partitionColumns, ruleText)
          : { layout: freshLayout(columns, partitionColumns) },
        selectedCells: [],
        sample: undefined,
      });
      await get().sampleTable(endpoint);
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      set({ loading: undefined });
    }
  },
  async sampleTable(endpoint) {
    const { existing, partitionColumns } = get();
    if (!existing || partitionColumns.length === 0) return;
    set({ loading: `Sampling ${existing.table}…` });
    const columns = partitionColumns.map(quoteIdentifier).join(', ');
    const result = await runStatement(
      endpoint,
      `SELECT ${columns} FROM ${quoteIdentifier(existing.table)} LIMIT ${sampleLimit}`,
      existing.database,
    );
    if (result.kind === 'error') {
      set({ error: `Sampling failed: ${result.message}`, loading: undefined });
      return;
    }
    if (result.kind !== 'table') return set({ loading: undefined });
    const readers = new Map<string, ColumnReader>();
    result.table.schema.fields.forEach((field, index) => {
      readers.set(partitionColumns[index] ?? field.name, result.table.getChildAt(index)!);
    });
    set({
      sample: sampleFromColumns(readers, `${result.table.numRows} rows of ${existing.table}`),
      loading: undefined,
    });
  },
}));

/** The DDL source for the current design: the existing table's text, or the new table's columns. */
export function createSqlOf(state: Pick<DesignerState, 'existing' | 'tableName' | 'columns'>): string {
  return state.existing?.createSql ?? newTableSql(state.tableName || 'metrics', state.columns);
}
