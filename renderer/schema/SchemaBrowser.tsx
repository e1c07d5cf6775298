/**
 * Databases → tables → columns with their role and type; a table's details: its DDL
 * (SHOW CREATE TABLE), row count, and regions with where they live
 * (information_schema.region_peers).
 */
import { useEffect, useState } from 'react';
import { useActiveEndpoint } from '../connections/connections-store.ts';
import { queryRows } from '../shared/greptime-http.ts';
import { quoteIdent, useSchema } from './schema-store.ts';

interface Details {
  database: string;
  table: string;
  ddl?: string;
  rowCount?: string;
  regions?: unknown[][];
  regionError?: string;
  error?: string;
}

export function SchemaBrowser({ onInsert }: { onInsert(text: string): void }) {
  const { endpoint } = useActiveEndpoint();
  const { databases, tables, columns, error, loading } = useSchema();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [details, setDetails] = useState<Details | undefined>();

  useEffect(() => {
    void useSchema.getState().loadDatabases(endpoint);
    setDetails(undefined);
    // Reload when the cluster changes (the endpoint object itself is new on every render).
  }, [endpoint.url]);

  const toggle = (key: string, load: () => Promise<unknown>): void => {
    setOpen((o) => ({ ...o, [key]: !o[key] }));
    if (!open[key]) void load().catch(() => undefined);
  };

  const showDetails = async (database: string, table: string): Promise<void> => {
    const next: Details = { database, table };
    setDetails(next);
    const name = quoteIdent(table);
    const [ddl, count, regions] = await Promise.allSettled([
      queryRows(endpoint, `SHOW CREATE TABLE ${name}`, database),
      queryRows(endpoint, `SELECT count(*) FROM ${name}`, database),
      queryRows(
        endpoint,
        `SELECT region_id, peer_id, peer_addr, is_leader, status FROM information_schema.region_peers WHERE table_schema = '${database.replace(/'/g, "''")}' AND table_name = '${table.replace(/'/g, "''")}'`,
      ),
    ]);
    setDetails({
      database,
      table,
      ...(ddl.status === 'fulfilled' ? { ddl: String(ddl.value[0]?.[1] ?? '') } : { error: String(ddl.reason) }),
      ...(count.status === 'fulfilled' ? { rowCount: String(count.value[0]?.[0] ?? '?') } : {}),
      ...(regions.status === 'fulfilled' ? { regions: regions.value } : { regionError: String(regions.reason) }),
    });
  };

  return (
    <div className="panel schema" aria-label="Schema">
      <div className="panel-head">
        <span className="muted small">{loading ? 'Loading…' : `${databases.length} databases`}</span>
        <button type="button" onClick={() => void useSchema.getState().loadDatabases(endpoint)}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <ul role="tree" aria-label="Databases" className="tree">
        {databases.map((db) => (
          <li key={db} role="treeitem" aria-expanded={!!open[db]}>
            <button
              type="button"
              className="tree-row"
              onClick={() => toggle(db, () => useSchema.getState().loadTables(endpoint, db))}
            >
              <span className="caret" aria-hidden="true">
                {open[db] ? '▾' : '▸'}
              </span>{' '}
              {db}
            </button>
            {open[db] && (
              <ul role="group">
                {(tables[db] ?? []).map((t) => {
                  const key = `${db}.${t}`;
                  return (
                    <li key={t} role="treeitem" aria-expanded={!!open[key]}>
                      <span className="tree-line">
                        <button
                          type="button"
                          className="tree-row"
                          onClick={() => toggle(key, () => useSchema.getState().loadColumns(endpoint, db, t))}
                        >
                          <span className="caret" aria-hidden="true">
                            {open[key] ? '▾' : '▸'}
                          </span>{' '}
                          {t}
                        </button>
                        <button
                          type="button"
                          className="icon small"
                          aria-label={`Details of ${t}`}
                          title="Details"
                          onClick={() => void showDetails(db, t)}
                        >
                          <span className="info-dot" aria-hidden="true">
                            i
                          </span>
                        </button>
                      </span>
                      {open[key] && (
                        <ul role="group">
                          {(columns[key] ?? []).map((c) => (
                            <li key={c.name} role="treeitem" className="column-item">
                              <button
                                type="button"
                                className="tree-row"
                                onClick={() => onInsert(c.name)}
                                title="Insert into the editor"
                              >
                                <span className={`role ${c.role.toLowerCase()}`}>{roleLabel(c.role)}</span> {c.name}
                                <span className="muted small"> {c.type}</span>
                              </button>
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {details && (
        <section className="details" aria-label={`Table ${details.table}`}>
          <h3>
            {details.database}.{details.table}
          </h3>
          {details.error && <p className="error-text">{details.error}</p>}
          <dl>
            <dt>Rows</dt>
            <dd data-testid="table-row-count">{details.rowCount ?? '…'}</dd>
          </dl>
          <h4>DDL</h4>
          <pre className="ddl">{details.ddl ?? '…'}</pre>
          <h4>Regions</h4>
          {details.regions ? (
            <div className="scroll-x" data-testid="table-regions">
              {/* Three columns, the peer's address under its id and the status under the role: it fits the side panel. */}
              <table className="mini regions" aria-label={`Regions of ${details.table}`}>
                <thead>
                  <tr>
                    <th>Region</th>
                    <th>Peer</th>
                    <th>Role</th>
                  </tr>
                </thead>
                <tbody>
                  {details.regions.map(([regionId, peerId, peerAddr, isLeader, status], i) => (
                    <tr key={i}>
                      <td>{String(regionId)}</td>
                      <td>
                        {String(peerId)}
                        <span className="cell-note">{String(peerAddr ?? '')}</span>
                      </td>
                      <td>
                        {String(isLeader).toLowerCase() === 'yes' ? 'leader' : 'follower'}
                        <span className="cell-note">{String(status ?? '')}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted small">{details.regionError ? `Not available: ${details.regionError}` : '…'}</p>
          )}
        </section>
      )}
    </div>
  );
}

function roleLabel(role: string): string {
  const r = role.toUpperCase();
  return r === 'TAG' ? 'tag' : r === 'TIMESTAMP' ? 'time' : r === 'FIELD' ? 'field' : r.toLowerCase();
}
