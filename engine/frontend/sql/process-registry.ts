/**
 * The statements running on this frontend, as GreptimeDB's process manager keeps them: each
 * has an id (`<frontend address>/<number>`), its catalog and database, its text, who sent it
 * and when, and an `AbortController` that `KILL` fires. `information_schema.process_list`
 * and SHOW PROCESSLIST list them; an entry leaves when its statement ends, however it ends
 * (and at once when killed, as in GreptimeDB).
 *
 * Numbers come from one counter per frontend: a MySQL or PostgreSQL connection takes one
 * when it opens and its statements run under it (so MySQL's `KILL QUERY <connection id>`
 * finds them); an HTTP request takes a fresh one.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RunningStatement } from './information-schema/system-table.ts';

/** What a statement is registered with. */
export interface ProcessInfo {
  catalog: string;
  database: string;
  query: string;
  /** GreptimeDB's connection text: `mysql[127.0.0.1:50412]`, `unknown[unknown client addr]`. */
  client: string;
  /** The connection's number; a fresh one when absent. */
  id?: number;
}

/** A registered statement: its number, the signal that stops it, and `done` to call when it ends. */
export interface ProcessTicket {
  id: number;
  /** Aborted by KILL (reason: the cancelled error) or by the caller's own signal. */
  signal: AbortSignal;
  done(): void;
}

interface Process {
  id: number;
  info: ProcessInfo;
  startedAt: number;
  controller: AbortController;
}

/** GreptimeDB's error for a statement stopped by KILL or by its client going away. */
export function queryCancelledError(): TesseraError {
  return new TesseraError(ErrorCode.QueryCancelled, 'Query has been cancelled');
}

/** The client text GreptimeDB shows for a connection without an address (its HTTP API). */
export const unknownClient = 'unknown[unknown client addr]';

export class ProcessRegistry {
  /** This frontend's address (`host:port` of its HTTP server), the first part of every id. */
  serverAddr = '';
  private readonly processes = new Map<number, Process>();
  private lastId = 0;

  /** A new number, for a connection or a request. */
  nextId(): number {
    this.lastId = (this.lastId + 1) >>> 0;
    return this.lastId;
  }

  /**
   * Records a running statement. `parent` (a client that went away, say) aborts it too. The
   * caller must call `done()` when the statement ends.
   */
  register(info: ProcessInfo, parent?: AbortSignal): ProcessTicket {
    const id = info.id ?? this.nextId();
    const controller = new AbortController();
    const process: Process = { id, info, startedAt: Date.now(), controller };
    this.processes.set(id, process);
    const onParentAbort = () => controller.abort(queryCancelledError());
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
    return {
      id,
      signal: controller.signal,
      done: () => {
        parent?.removeEventListener('abort', onParentAbort);
        if (this.processes.get(id) === process) this.processes.delete(id);
      },
    };
  }

  /** Stops statement `id` of this frontend; false when none runs under that number. */
  kill(id: number): boolean {
    const process = this.processes.get(id);
    if (!process) return false;
    this.processes.delete(id);
    process.controller.abort(queryCancelledError());
    return true;
  }

  list(): RunningStatement[] {
    return [...this.processes.values()].map((process) => ({
      id: `${this.serverAddr}/${process.id}`,
      catalog: process.info.catalog,
      database: process.info.database,
      query: process.info.query,
      client: process.info.client,
      frontend: this.serverAddr,
      startedAt: process.startedAt,
    }));
  }
}
