/**
 * The live schema of the active cluster, loaded lazily: databases (SHOW DATABASES), their
 * tables (SHOW TABLES) and a table's columns with their role (DESC TABLE). The schema browser
 * and SQL completion share it. Keyed by connection, so switching clusters does not mix them.
 */
import { create } from 'zustand';
import { queryRows } from '../shared/greptime-http.ts';
import type { Endpoint } from '../shared/greptime-http.ts';

export interface ColumnInfo {
  name: string;
  type: string;
  /** TAG, FIELD or TIMESTAMP, as DESC TABLE's "Semantic Type". */
  role: string;
}

interface SchemaState {
  connectionUrl: string;
  databases: string[];
  tables: Record<string, string[]>;
  /** Keyed `database.table`. */
  columns: Record<string, ColumnInfo[]>;
  error: string | undefined;
  loading: boolean;
  loadDatabases(endpoint: Endpoint): Promise<void>;
  loadTables(endpoint: Endpoint, database: string): Promise<string[]>;
  loadColumns(endpoint: Endpoint, database: string, table: string): Promise<ColumnInfo[]>;
  reset(url: string): void;
}

const quoteIdent = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

export const useSchema = create<SchemaState>()((set, get) => ({
  connectionUrl: '',
  databases: [],
  tables: {},
  columns: {},
  error: undefined,
  loading: false,
  reset(url) {
    if (get().connectionUrl !== url)
      set({ connectionUrl: url, databases: [], tables: {}, columns: {}, error: undefined });
  },
  async loadDatabases(endpoint) {
    get().reset(endpoint.url);
    set({ loading: true });
    try {
      const rows = await queryRows(endpoint, 'SHOW DATABASES');
      set({ databases: rows.map((r) => String(r[0])), error: undefined, tables: {}, columns: {} });
    } catch (error) {
      set({ error: String(error instanceof Error ? error.message : error) });
    } finally {
      set({ loading: false });
    }
  },
  async loadTables(endpoint, database) {
    const rows = await queryRows(endpoint, 'SHOW TABLES', database);
    const tables = rows.map((r) => String(r[0]));
    set((s) => ({ tables: { ...s.tables, [database]: tables } }));
    return tables;
  },
  async loadColumns(endpoint, database, table) {
    const rows = await queryRows(endpoint, `DESC TABLE ${quoteIdent(table)}`, database);
    const columns = rows.map((r) => ({ name: String(r[0]), type: String(r[1]), role: String(r[5] ?? r[2] ?? '') }));
    set((s) => ({ columns: { ...s.columns, [`${database}.${table}`]: columns } }));
    return columns;
  },
}));

export { quoteIdent };
