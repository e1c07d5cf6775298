import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../common/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import { EmbeddedKvBackend } from '../kv/index.ts';
import { TableMetadataStore, regionIdOf } from './table-metadata.ts';

function info(name: string, tableId: number): TableInfo {
  return {
    tableId,
    catalog: 'greptime',
    schema: 'public',
    name,
    regionSchema: { version: 0, columns: [] },
    columnOrder: [],
    options: {},
    regionIds: [regionIdOf(tableId, 0)],
    createdAt: 1,
  };
}

test('table ids start at 1024, are never reused, and survive reopening the store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-table-meta-'));
  const logger = createLogger({ role: 'test', level: 'error' });
  try {
    let kv = await EmbeddedKvBackend.open(dir, { logger });
    let store = new TableMetadataStore(kv);
    const ids = await Promise.all([store.allocateTableId(), store.allocateTableId(), store.allocateTableId()]);
    assert.deepEqual(ids.sort(), [1024, 1025, 1026]);
    assert.equal(regionIdOf(1024, 0), 4398046511104);

    assert.equal(await store.putTableIfAbsent(info('cpu', 1024)), true);
    assert.equal(await store.putTableIfAbsent(info('cpu', 1025)), false, 'a name is committed once');
    await store.putTableIfAbsent(info('mem', 1025));
    await store.putRoute(1024, { [String(regionIdOf(1024, 0))]: 2 });
    assert.deepEqual(await store.listTableNames('greptime', 'public'), ['cpu', 'mem']);
    assert.deepEqual(await store.listTableNames('greptime', 'other'), []);
    await kv.close();

    kv = await EmbeddedKvBackend.open(dir, { logger });
    store = new TableMetadataStore(kv);
    assert.equal((await store.getTable('greptime', 'public', 'cpu'))?.tableId, 1024);
    assert.deepEqual(await store.getRoute(1024), { '4398046511104': 2 });
    assert.equal(await store.deleteTable('greptime', 'public', 'cpu'), true);
    assert.equal(await store.getTable('greptime', 'public', 'cpu'), undefined);
    assert.equal(await store.allocateTableId(), 1027);
    await kv.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
