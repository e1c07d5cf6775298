import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, createLogger } from '../../common/index.ts';
import { EmbeddedKvBackend } from '../kv/index.ts';
import type { CreateTableRequest } from '../../rpc/index.ts';
import { NodeRegistry } from '../node-registry.ts';
import { keptFinished } from '../procedure/index.ts';
import { DatabaseDdl } from './database-ddl.ts';
import { TableDdl } from './table-ddl.ts';
import { TableMetadataStore } from './table-metadata.ts';

test('databases: built-ins always listed, create once, drop removes the record', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-database-ddl-'));
  const logger = createLogger({ role: 'test', level: 'error' });
  const kv = await EmbeddedKvBackend.open(dir, { logger });
  try {
    const tables = new TableDdl(new TableMetadataStore(kv), await NodeRegistry.load(kv, logger), 'token', logger);
    const databases = new DatabaseDdl(tables);
    assert.deepEqual(await databases.list('greptime'), ['greptime_private', 'information_schema', 'public']);
    assert.equal(await databases.create('greptime', 'mydb', false, { ttl: '1h' }), true);
    assert.equal(await databases.create('greptime', 'mydb', true, {}), false);
    await assert.rejects(databases.create('greptime', 'mydb', false, {}), {
      code: ErrorCode.InvalidArguments,
      message: 'Schema mydb already exists',
    });
    await assert.rejects(databases.create('greptime', 'information_schema', false, {}), {
      message: 'Schema information_schema already exists',
    });
    assert.equal(await databases.exists('greptime', 'mydb'), true);
    assert.equal(await databases.exists('greptime', 'public'), true);
    assert.deepEqual(await databases.list('greptime'), ['greptime_private', 'information_schema', 'mydb', 'public']);
    assert.equal(await databases.drop('greptime', 'mydb', false), true);
    assert.equal(await databases.drop('greptime', 'mydb', true), false);
    await assert.rejects(databases.drop('greptime', 'mydb', false), { code: ErrorCode.DatabaseNotFound });
    await assert.rejects(databases.drop('greptime', 'information_schema', false), {
      message: 'Schema `information_schema` is read-only',
    });
    assert.equal(await databases.exists('greptime', 'mydb'), false);
  } finally {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** A metasrv's DDL over the store in `dir`, as one that starts there would have it. */
async function openDdl(dir: string) {
  const logger = createLogger({ role: 'test', level: 'error' });
  const kv = await EmbeddedKvBackend.open(dir, { logger });
  const tables = new TableDdl(new TableMetadataStore(kv), await NodeRegistry.load(kv, logger), 'token', logger);
  return { kv, tables, databases: new DatabaseDdl(tables) };
}

function viewRequest(schema: string, name: string): CreateTableRequest {
  return {
    catalog: 'greptime',
    schema,
    name,
    ifNotExists: false,
    regionSchema: { columns: [], version: 0 },
    columnOrder: [],
    options: {},
    extra: { kind: 'view', viewDefinition: 'SELECT 1' },
    noRegions: true,
  };
}

test('databases: CREATE and DROP DATABASE are procedures, remembered as done with their lock keys', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-database-procedures-'));
  const { kv, tables, databases } = await openDdl(dir);
  try {
    await databases.create('greptime', 'mydb', false, {});
    await tables.createTable(viewRequest('mydb', 'v1'), () => databases.checkCreatable('greptime', 'mydb'));
    await databases.drop('greptime', 'mydb', false);
    const done = await tables.procedures.list();
    assert.deepEqual(
      done.map((procedure) => [procedure.kind, procedure.status]),
      [
        ['create-database', 'Done'],
        ['drop-table', 'Done'],
        ['drop-database', 'Done'],
      ],
    );
    assert.deepEqual(done[0]!.lockKeys, ['__catalog_lock/greptime', '__schema_lock/greptime.mydb']);
    assert.ok(done.every((procedure) => procedure.endedAt! >= procedure.startedAt));
    assert.deepEqual(await tables.procedures.pending(), []);
    await assert.rejects(
      tables.createTable(viewRequest('mydb', 'v2'), () => databases.checkCreatable('greptime', 'mydb')),
      { code: ErrorCode.DatabaseNotFound, message: 'Database not found: mydb' },
    );
  } finally {
    await tables.close();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('databases: a DROP DATABASE left half done refuses new tables, and a restarted metasrv finishes it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-database-resume-'));
  let ddl = await openDdl(dir);
  try {
    await ddl.databases.create('greptime', 'gone', false, {});
    for (const name of ['v1', 'v2']) await ddl.tables.createTable(viewRequest('gone', name));
    // What a metasrv that died after marking the database leaves behind.
    const record = (await ddl.tables.store.getDatabase('greptime', 'gone'))!;
    await ddl.tables.store.putDatabase('greptime', { ...record, dropping: true });
    await ddl.tables.procedures.begin('drop-database', 'drop-tables', { catalog: 'greptime', name: 'gone' });
    await ddl.tables.close();
    await ddl.kv.close();

    ddl = await openDdl(dir);
    await assert.rejects(
      ddl.tables.createTable(viewRequest('gone', 'v3'), () => ddl.databases.checkCreatable('greptime', 'gone')),
      { code: ErrorCode.DatabaseNotFound, message: 'Database gone is being dropped: no table can be created in it' },
    );
    assert.deepEqual(await ddl.tables.store.listTableNames('greptime', 'gone'), ['v1', 'v2']);
    await ddl.tables.resumeProcedures(1000);
    assert.equal(await ddl.databases.exists('greptime', 'gone'), false);
    assert.deepEqual(await ddl.tables.store.listTableNames('greptime', 'gone'), []);
    assert.deepEqual(await ddl.tables.procedures.pending(), []);
    const kinds = (await ddl.tables.procedures.list()).map((procedure) => procedure.kind);
    assert.deepEqual(kinds, ['create-database', 'drop-table', 'drop-table', 'drop-database']);
  } finally {
    await ddl.tables.close();
    await ddl.kv.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('procedures: only the newest finished ones are remembered', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-procedure-trim-'));
  const { kv, tables } = await openDdl(dir);
  try {
    for (let i = 0; i < keptFinished + 5; i++) {
      const record = await tables.procedures.begin('create-database', 'create-metadata', { i });
      await tables.procedures.finish(record, i % 2 === 0 ? 'Done' : 'Failed', i % 2 === 0 ? undefined : 'boom');
    }
    const remembered = await tables.procedures.list();
    assert.equal(remembered.length, keptFinished);
    assert.equal(remembered.filter((procedure) => procedure.status === 'Failed')[0]!.error, 'boom');
    assert.ok(remembered.every((procedure, i) => i === 0 || procedure.endedAt! >= remembered[i - 1]!.endedAt!));
  } finally {
    await tables.close();
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
});
