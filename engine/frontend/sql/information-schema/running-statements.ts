/**
 * The SQL requests running on this frontend, for `information_schema.process_list` and
 * SHOW PROCESSLIST. Ids are `<frontend address>/<sequence>` as in GreptimeDB.
 */
import type { SqlHandler } from '../../http/handle-sql.ts';
import type { RunningStatement } from './system-table.ts';

interface Entry {
  seq: number;
  catalog: string;
  database: string;
  query: string;
  startedAt: number;
}

export class RunningStatements {
  private readonly entries = new Map<number, Entry>();
  private nextSeq = 1;

  /** Records a request; call the returned function when it ends. */
  track(catalog: string, database: string, sql: string): () => void {
    const seq = this.nextSeq++;
    const query = sql.trim().replace(/;+\s*$/, '');
    this.entries.set(seq, { seq, catalog, database, query, startedAt: Date.now() });
    return () => this.entries.delete(seq);
  }

  list(frontendAddr: string): RunningStatement[] {
    return [...this.entries.values()].map((entry) => ({
      id: `${frontendAddr}/${entry.seq}`,
      catalog: entry.catalog,
      database: entry.database,
      query: entry.query,
      // The HTTP API does not pass the client's address down to the SQL handler.
      client: 'unknown[unknown client addr]',
      frontend: frontendAddr,
      startedAt: entry.startedAt,
    }));
  }
}

/** `handler` with each request recorded in `running` while it runs. */
export function trackRunning(handler: SqlHandler, running: RunningStatements, catalog: string): SqlHandler {
  return {
    async execute(sql, database, session) {
      const done = running.track(catalog, database, sql);
      try {
        return await handler.execute(sql, database, session);
      } finally {
        done();
      }
    },
  };
}
