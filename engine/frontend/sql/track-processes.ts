/**
 * A `SqlHandler` whose requests are listed in the process registry while they run and can be
 * stopped: the inner handler gets a session whose `signal` fires on KILL or when the caller's
 * own signal does (the HTTP client went away), and the request then fails at once with
 * GreptimeDB's cancelled error, as its `CancellableFuture` does, while the work it started
 * stops at its next check (scans, region streams).
 *
 * Like GreptimeDB, which tracks read-only statements and INSERT ... SELECT, requests that
 * begin with DDL, a plain write or a session statement are not listed (nor KILL itself); they
 * still receive the caller's signal.
 */
import type { SqlHandler, SqlOutput, SqlSession } from '../http/handle-sql.ts';
import { unknownClient } from './process-registry.ts';
import type { ProcessRegistry } from './process-registry.ts';

const untrackedStart =
  /^(?:create|drop|alter|truncate|kill|use|set|admin|prepare|deallocate|execute|comment|delete|insert|replace)\b/i;

/** Leading whitespace, `-- line` and `/* block *\/` comments. */
const leadingNoise = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/** Whether a request is listed in process_list (see the module comment). */
export function tracksProcess(sql: string): boolean {
  const text = sql.replace(leadingNoise, '');
  if (!untrackedStart.test(text)) return true;
  // INSERT ... SELECT reads, and GreptimeDB lists it.
  return /^(?:insert|replace)\b/i.test(text) && /\bselect\b/i.test(text);
}

/** `promise`, or the signal's reason as soon as it aborts; a later failure of `promise` is dropped. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** `handler` with its requests registered in `registry` under `catalog` (see the module comment). */
export function trackProcesses(handler: SqlHandler, registry: ProcessRegistry, catalog: string): SqlHandler {
  return {
    async execute(sql, database, session): Promise<SqlOutput[]> {
      if (!tracksProcess(sql)) return handler.execute(sql, database, session);
      const ticket = registry.register(
        {
          catalog,
          database,
          query: sql.trim().replace(/;+\s*$/, ''),
          client: session?.client ?? unknownClient,
          ...(session?.processId === undefined ? {} : { id: session.processId }),
        },
        session?.signal,
      );
      const inner: SqlSession = { ...session, channel: session?.channel ?? 'http', signal: ticket.signal };
      try {
        return await untilAborted(handler.execute(sql, database, inner), ticket.signal);
      } finally {
        ticket.done();
      }
    },
  };
}
