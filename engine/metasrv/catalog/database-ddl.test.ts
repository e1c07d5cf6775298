import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, createLogger } from '../../common/index.ts';
import { EmbeddedKvBackend } from '../kv/index.ts';
import type { NodeRegistry } from '../node-registry.ts';
import { DatabaseDdl } from './database-ddl.ts';
import { TableDdl } from './table-ddl.ts';
import { TableMetadataStore } from './table-metadata.ts';

test('databases: built-ins always listed, create once, drop removes the record', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-database-ddl-'));
  const logger = createLogger({ role: 'test', level: 'error' });
  const kv = await EmbeddedKvBackend.open(dir, { logger });
  try {
    const tables = new TableDdl(new TableMetadataStore(kv), {} as NodeRegistry, 'token', logger);
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
