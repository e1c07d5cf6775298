/**
 * What the design starts from: a new table (name and columns, whose roles only matter for
 * the DDL) or a table of the connected cluster (its columns, current rule and rows).
 */
import { useEffect, useState } from 'react';
import { useSchema } from '../schema/schema-store.ts';
import type { Endpoint } from '../shared/greptime-http.ts';
import type { ColumnRole, DesignColumn } from './column-kinds.ts';
import { useDesigner } from './designer-store.ts';

const types = ['STRING', 'INT', 'BIGINT', 'INT UNSIGNED', 'DOUBLE', 'FLOAT', 'TIMESTAMP', 'BOOLEAN'];
const roles: [ColumnRole, string][] = [
  ['tag', 'tag'],
  ['field', 'field'],
  ['timestamp', 'time index'],
];

export function SourcePicker({ endpoint }: { endpoint: Endpoint }) {
  const { existing, columns, tableName } = useDesigner();
  const schema = useSchema();
  const [database, setDatabase] = useState(existing?.database ?? 'public');
  const [table, setTable] = useState(existing?.table ?? '');
  const tables = schema.tables[database] ?? [];

  useEffect(() => {
    if (schema.databases.length === 0 || schema.connectionUrl !== endpoint.url) void schema.loadDatabases(endpoint);
  }, [endpoint.url]);
  useEffect(() => {
    void useSchema
      .getState()
      .loadTables(endpoint, database)
      .catch(() => undefined);
  }, [endpoint, database]);

  const update = (index: number, patch: Partial<DesignColumn>): void =>
    useDesigner.getState().setColumns(columns.map((c, i) => (i === index ? { ...c, ...patch } : c)));

  return (
    <section className="designer-card" aria-labelledby="designer-source">
      <h3 id="designer-source">Table</h3>
      <div className="source-tabs" role="radiogroup" aria-label="Start from">
        <label>
          <input type="radio" checked={!existing} onChange={() => useDesigner.getState().startNew()} /> New table
        </label>
        <label>
          <input
            type="radio"
            checked={!!existing}
            onChange={() => table && void useDesigner.getState().loadTable(endpoint, database, table)}
          />{' '}
          Existing table
        </label>
      </div>
      <div className="source-existing">
        <label className="field">
          Database
          <select aria-label="Database" value={database} onChange={(e) => setDatabase(e.target.value)}>
            {[...new Set([database, ...schema.databases])].map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Table
          <select aria-label="Existing table" value={table} onChange={(e) => setTable(e.target.value)}>
            <option value="">choose…</option>
            {tables.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!table}
          onClick={() => void useDesigner.getState().loadTable(endpoint, database, table)}
        >
          Load table
        </button>
      </div>
      {existing ? (
        <p className="small muted">
          {existing.database}.{existing.table}: {columns.map((c) => `${c.name} ${c.type}`).join(', ')}
        </p>
      ) : (
        <div className="column-editor">
          <label className="field">
            Name
            <input
              aria-label="New table name"
              value={tableName}
              onChange={(e) => useDesigner.getState().setTableName(e.target.value.trim())}
            />
          </label>
          <table className="mini">
            <thead>
              <tr>
                <th>Column</th>
                <th>Type</th>
                <th>Role</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {columns.map((column, index) => (
                <tr key={index}>
                  <td>
                    <input
                      aria-label={`Column ${index + 1} name`}
                      value={column.name}
                      onChange={(e) => update(index, { name: e.target.value.trim() })}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`Column ${index + 1} type`}
                      value={column.type}
                      onChange={(e) => update(index, { type: e.target.value })}
                    >
                      {types.map((type) => (
                        <option key={type}>{type}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`Column ${index + 1} role`}
                      value={column.role}
                      onChange={(e) => update(index, { role: e.target.value as ColumnRole })}
                    >
                      {roles.map(([role, label]) => (
                        <option key={role} value={role}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon"
                      aria-label={`Remove column ${column.name}`}
                      onClick={() => useDesigner.getState().setColumns(columns.filter((_, i) => i !== index))}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() =>
              useDesigner
                .getState()
                .setColumns([...columns, { name: `col${columns.length + 1}`, type: 'STRING', role: 'field' }])
            }
          >
            Add column
          </button>
        </div>
      )}
    </section>
  );
}
