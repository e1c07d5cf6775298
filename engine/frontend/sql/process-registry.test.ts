import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { SqlHandler } from '../http/handle-sql.ts';
import { parseProcessId } from './kill-statement.ts';
import { ProcessRegistry } from './process-registry.ts';
import { trackProcesses, tracksProcess } from './track-processes.ts';

test('register lists a statement until done; ids are address/number', () => {
  const registry = new ProcessRegistry();
  registry.serverAddr = '127.0.0.1:4000';
  const ticket = registry.register({ catalog: 'greptime', database: 'public', query: 'SELECT 1', client: 'x' });
  assert.deepEqual(
    registry.list().map((entry) => [entry.id, entry.query, entry.frontend]),
    [[`127.0.0.1:4000/${ticket.id}`, 'SELECT 1', '127.0.0.1:4000']],
  );
  ticket.done();
  assert.deepEqual(registry.list(), []);
});

test('kill aborts with the cancelled error and removes the entry at once; unknown numbers answer false', () => {
  const registry = new ProcessRegistry();
  const ticket = registry.register({ catalog: 'greptime', database: 'public', query: 'SELECT 1', client: 'x', id: 7 });
  assert.equal(ticket.id, 7);
  assert.equal(registry.kill(8), false);
  assert.equal(registry.kill(7), true);
  assert.ok(ticket.signal.aborted);
  assert.ok(ticket.signal.reason instanceof TesseraError);
  assert.equal((ticket.signal.reason as TesseraError).code, ErrorCode.QueryCancelled);
  assert.deepEqual(registry.list(), []);
  ticket.done();
});

test("the caller's signal aborts the statement too", () => {
  const registry = new ProcessRegistry();
  const caller = new AbortController();
  const ticket = registry.register({ catalog: 'greptime', database: 'public', query: 'q', client: 'x' }, caller.signal);
  assert.equal(ticket.signal.aborted, false);
  caller.abort();
  assert.equal(ticket.signal.aborted, true);
  ticket.done();
});

test('reads and INSERT ... SELECT are tracked; DDL, plain writes, session statements and KILL are not', () => {
  for (const sql of ['SELECT 1', ' -- note\n select 1', '/* x */ SHOW TABLES', 'TQL EVAL (0, 10, 5) up', 'DESC t']) {
    assert.equal(tracksProcess(sql), true, sql);
  }
  assert.equal(tracksProcess('INSERT INTO t SELECT * FROM s'), true);
  for (const sql of ['INSERT INTO t VALUES (1)', 'CREATE TABLE t (ts TIMESTAMP TIME INDEX)', "KILL 'a/1"]) {
    assert.equal(tracksProcess(sql), false, sql);
  }
});

test('a killed request fails at once with the cancelled error and leaves the list', async () => {
  const registry = new ProcessRegistry();
  let innerSignal: AbortSignal | undefined;
  const never: SqlHandler = {
    execute: (_sql, _database, session) => {
      innerSignal = session?.signal;
      return new Promise(() => {});
    },
  };
  const handler = trackProcesses(never, registry, 'greptime');
  const running = handler.execute('SELECT forever', 'public');
  const [entry] = registry.list();
  assert.equal(entry?.query, 'SELECT forever');
  assert.equal(entry?.client, 'unknown[unknown client addr]');
  registry.kill(Number(entry!.id.split('/')[1]));
  await assert.rejects(running, { code: ErrorCode.QueryCancelled, message: 'Query has been cancelled' });
  assert.equal(innerSignal?.aborted, true);
  assert.deepEqual(registry.list(), []);
});

test('process ids parse as GreptimeDB writes them', () => {
  assert.deepEqual(parseProcessId('127.0.0.1:4000/12'), { serverAddr: '127.0.0.1:4000', id: 12 });
  assert.throws(() => parseProcessId('12'), { code: ErrorCode.InvalidArguments, message: 'Invalid process id: 12' });
  assert.throws(() => parseProcessId('a:1/x'), { code: ErrorCode.InvalidArguments });
  assert.throws(() => parseProcessId('a:1/4294967296'), { code: ErrorCode.InvalidArguments });
});
