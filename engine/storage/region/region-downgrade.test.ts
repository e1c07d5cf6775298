// Downgrade and upgrade (region migration, docs/region-migration.md): a downgraded region
// refuses writes with the retryable RegionReadonly and has flushed everything it acknowledged,
// so a second engine on the same object store opens it with every row; upgrade undoes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { makeRegionId } from '../region-schema.ts';
import {
  keysBatch,
  openTestEngine,
  rowsBatch,
  scanRows,
  tempDir,
  testSchema,
  type Row,
} from './region-test-fixtures.ts';

let root: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  root = await tempDir('region-downgrade');
});

after(async () => {
  await root.cleanup();
});

const schema = testSchema();
const regionId = makeRegionId(1030, 2);

function row(host: string, ts: number, cpu: number): Row {
  return { host, dc: 'eu', ts: BigInt(ts), cpu, mem: null, note: null };
}

async function refusedReadonly(promise: Promise<unknown>, opType: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TesseraError, String(error));
    assert.equal(error.code, ErrorCode.RegionReadonly, error.message);
    assert.equal(error.retryable, true);
    assert.match(error.message, new RegExp(`Region ${regionId} is downgraded: it is being migrated.*'${opType}'`));
    return true;
  });
}

test('a downgraded region refuses writes, has flushed them all, and opens elsewhere with every row', async () => {
  const dir = `${root.dir}/a`;
  const { engine: source, store } = await openTestEngine(dir, { name: 'source' });
  await source.handle({ type: 'create', regionId, schema });
  await source.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1), row('b', 2, 2)]) });
  await source.handle({ type: 'flush', regionId });
  // Unflushed rows and a tombstone: only the downgrade's flush takes them to the object store.
  await source.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('c', 3, 3), row('d', 4, 4)]) });
  await source.handle({ type: 'delete', regionId, batch: keysBatch(schema, [row('a', 1, 0)]) });
  const before = source.statistics(regionId);
  assert.ok(before.memtableRows > 0);

  await source.handle({ type: 'downgrade', regionId });
  const downgraded = source.statistics(regionId);
  assert.equal(downgraded.memtableRows, 0);
  assert.equal(downgraded.flushedSequence, before.nextSequence - 1);
  await refusedReadonly(source.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('e', 5, 5)]) }), 'put');
  await refusedReadonly(
    source.handle({ type: 'delete', regionId, batch: keysBatch(schema, [row('b', 2, 0)]) }),
    'delete',
  );
  await assert.rejects(source.handle({ type: 'compact', regionId }), /is downgraded.*refuses 'compact'/);
  // Reads go on, and a second downgrade is a no-op flush.
  await source.handle({ type: 'downgrade', regionId });
  const expected = [row('b', 2, 2), row('c', 3, 3), row('d', 4, 4)];
  assert.deepEqual(await scanRows(source, regionId), expected);

  const { engine: target } = await openTestEngine(dir, { name: 'target', store });
  await target.handle({ type: 'open', regionId });
  assert.equal(target.statistics(regionId).flushedSequence, downgraded.flushedSequence);
  assert.deepEqual(await scanRows(target, regionId), expected);
  await source.handle({ type: 'close', regionId });
  // The target writes on past the source's sequences.
  await target.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('e', 5, 5)]) });
  assert.ok(target.statistics(regionId).nextSequence > downgraded.flushedSequence + 1);
  assert.deepEqual(await scanRows(target, regionId), [...expected, row('e', 5, 5)]);
  await target.close();
  await source.close();
});

test('upgrade makes a downgraded region writable again (a rolled back migration)', async () => {
  const { engine } = await openTestEngine(`${root.dir}/b`);
  await engine.handle({ type: 'create', regionId, schema });
  await engine.handle({ type: 'downgrade', regionId });
  await refusedReadonly(engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1)]) }), 'put');
  await engine.handle({ type: 'upgrade', regionId });
  await engine.handle({ type: 'upgrade', regionId });
  assert.equal(
    (await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1)]) })).affectedRows,
    1,
  );
  assert.deepEqual(await scanRows(engine, regionId), [row('a', 1, 1)]);
  await assert.rejects(engine.handle({ type: 'downgrade', regionId: makeRegionId(1030, 9) }), /is not open/);
  await engine.close();
});
