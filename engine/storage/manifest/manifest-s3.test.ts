// Smoke test of the manifest on S3: s3rver on loopback (object-store/s3-test-server.ts), started
// and stopped here. The full suite runs on the local store; this checks that nothing in the
// manifest leans on local-directory behaviour (listing, atomic publish, deletes).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { S3ObjectStore } from '../object-store/s3-object-store.ts';
import { startS3TestServer } from '../object-store/s3-test-server.ts';
import type { S3TestServer } from '../object-store/s3-test-server.ts';
import { deltaPath, lastCheckpointName } from './manifest-layout.ts';
import { nextTestEdit, testInitialState, testStateAt } from './manifest-test-fixtures.ts';
import { RegionManifestManager } from './region-manifest-manager.ts';

let server: S3TestServer | undefined;
before(async () => {
  server = await startS3TestServer();
});
after(async () => {
  await server?.stop();
});

test('on S3: create, edits across checkpoints, reopen on another client, damage, drop', async () => {
  assert.ok(server, 'the s3rver test server did not start');
  const options = { ...server.storeOptions(`manifest-${randomUUID()}`), retry: { baseDelayMs: 1, maxDelayMs: 5 } };
  const writerStore = new S3ObjectStore(options);
  const readerStore = new S3ObjectStore(options);
  const regionDir = 'data/greptime/public/1024/1024_0000000003';
  const manifestDir = `${regionDir}/manifest`;
  try {
    const writer = await RegionManifestManager.create(writerStore, regionDir, testInitialState(), {
      checkpointInterval: 4,
    });
    while (writer.state.version < 23) await writer.update(nextTestEdit(writer.state));
    assert.deepEqual(
      (await writerStore.list(`${manifestDir}/`)).map((entry) => entry.path.slice(manifestDir.length + 1)),
      [
        '00000000000000000020.checkpoint.json',
        '00000000000000000021.json',
        '00000000000000000022.json',
        '00000000000000000023.json',
        lastCheckpointName,
      ],
    );

    // Another datanode's client opens the region the writer left.
    const reader = await RegionManifestManager.open(readerStore, regionDir);
    assert.deepEqual(reader.state, testStateAt(23));
    assert.equal(reader.lastCheckpointVersion, 20);

    const path = deltaPath(manifestDir, 22);
    const good = await readerStore.read(path);
    await writerStore.write(path, good.subarray(0, good.length - 9));
    await assert.rejects(
      RegionManifestManager.open(readerStore, regionDir),
      (error: unknown) =>
        error instanceof TesseraError &&
        error.code === ErrorCode.StorageCorrupted &&
        error.message.startsWith(
          `Manifest file ${path} of region ${testInitialState().regionId} (version 22) in s3://`,
        ),
    );
    await writerStore.write(path, good);

    await writer.destroy();
    assert.equal(await RegionManifestManager.isDropping(readerStore, regionDir), true);
    await RegionManifestManager.finishDrop(readerStore, regionDir);
    assert.deepEqual(await readerStore.list(`${manifestDir}/`), []);
    assert.equal(await RegionManifestManager.exists(readerStore, regionDir), false);
  } finally {
    await Promise.all([writerStore.close(), readerStore.close()]);
  }
});
