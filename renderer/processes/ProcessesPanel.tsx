/**
 * The queries running on the active cluster (GreptimeDB's information_schema.process_list),
 * refreshed every two seconds while the panel is open, each with a Kill button (`KILL '<id>'`,
 * which the server answers by stopping the query with its cancelled error). The panel's own
 * listing query is left out.
 */
import { useCallback, useEffect, useState } from 'react';
import { useActiveEndpoint } from '../connections/connections-store.ts';
import { postSql, queryRows } from '../shared/greptime-http.ts';

const listSql =
  'SELECT id, schemas, client, elapsed_time, query FROM information_schema.process_list ORDER BY start_timestamp';
const refreshMs = 2000;

interface RunningQuery {
  id: string;
  database: string;
  client: string;
  elapsed: string;
  query: string;
}

/** `PT12.345S` (GreptimeDB's duration text) as `12.3 s`; other shapes as they are. */
function elapsedText(value: unknown): string {
  const match = /^PT(\d+(?:\.\d+)?)S$/.exec(String(value));
  return match ? `${Number(match[1]).toFixed(1)} s` : String(value ?? '');
}

export function ProcessesPanel() {
  const { endpoint } = useActiveEndpoint();
  const [queries, setQueries] = useState<RunningQuery[]>();
  const [error, setError] = useState<string>();
  const [killing, setKilling] = useState<string>();

  const refresh = useCallback(async () => {
    try {
      const rows = await queryRows(endpoint, listSql);
      setQueries(
        rows
          .filter((row) => String(row[4]) !== listSql)
          .map(([id, database, client, elapsed, query]) => ({
            id: String(id),
            database: String(database),
            client: String(client),
            elapsed: elapsedText(elapsed),
            query: String(query),
          })),
      );
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    // The endpoint object is new on every render; its URL and user name the cluster.
  }, [endpoint.url, endpoint.user, endpoint.password]);

  useEffect(() => {
    setQueries(undefined);
    void refresh();
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => clearInterval(timer);
  }, [refresh]);

  const kill = async (id: string): Promise<void> => {
    setKilling(id);
    try {
      const reply = await postSql(endpoint, `KILL '${id.replace(/'/g, "''")}'`);
      if ('error' in reply) setError(`${reply.error} (code ${reply.code})`);
    } finally {
      setKilling(undefined);
      await refresh();
    }
  };

  return (
    <div className="panel processes" aria-label="Running queries">
      <div className="panel-head">
        <span className="muted small">
          {queries === undefined
            ? 'Loading…'
            : `${queries.length} running ${queries.length === 1 ? 'query' : 'queries'}`}
        </span>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {queries && queries.length === 0 && !error && <p className="empty">No queries are running.</p>}
      <ul className="process-list" aria-label="Running queries">
        {(queries ?? []).map((query) => (
          <li key={query.id} className="process-entry" aria-label={query.query}>
            <code className="process-query">{query.query}</code>
            <div className="process-meta muted small">
              <span title={query.id}>{query.database}</span> · <span>{query.client}</span> ·{' '}
              <span data-testid="process-elapsed">{query.elapsed}</span>
            </div>
            <button
              type="button"
              className="danger"
              onClick={() => void kill(query.id)}
              disabled={killing === query.id}
              aria-label={`Kill ${query.id}`}
            >
              Kill
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
