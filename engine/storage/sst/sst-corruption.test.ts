/** Damaged, truncated and foreign files fail with a clear error naming the file, never a crash. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { parseFooter, withKeyValues } from './parquet-footer.ts';
import { SstMetadataKey } from './sst-meta.ts';
import { readSst, readSstMeta, sstSourceFromBytes, type SstSource } from './sst-reader.ts';
import { allTypesRows, allTypesSchema, batchOf } from './sst-test-fixtures.ts';
import { writeSst } from './sst-writer.ts';

async function sample(rowGroupRows = 128): Promise<Uint8Array> {
  const schema = allTypesSchema('ns');
  return (await writeSst(schema, [batchOf(schema, allTypesRows(3, 100, 1_700_000_000_000_000_000n))], { rowGroupRows }))
    .bytes;
}

async function readEverything(source: SstSource): Promise<number> {
  let rows = 0;
  for await (const batch of readSst(source)) rows += batch.numRows;
  return rows;
}

function isError(code: number, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TesseraError, `a TesseraError, not ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

function footerOf(bytes: Uint8Array): { metadata: Uint8Array; dataEnd: number } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const dataEnd = bytes.length - 8 - length;
  return { metadata: bytes.subarray(dataEnd, bytes.length - 8), dataEnd };
}

test('a truncated file is StorageCorrupted naming the file, at any length', async () => {
  const bytes = await sample();
  for (const length of [0, 5, 11, 12, 100, bytes.length >> 1, bytes.length - 9, bytes.length - 8, bytes.length - 1]) {
    const source = sstSourceFromBytes(bytes.slice(0, length), `region-1/truncated-${length}.parquet`);
    await assert.rejects(
      readSstMeta(source),
      isError(ErrorCode.StorageCorrupted, new RegExp(`truncated-${length}\\.parquet is corrupted`)),
    );
  }
});

test('a source that returns fewer bytes than its size promises is StorageCorrupted', async () => {
  const bytes = await sample();
  const meta = await readSstMeta(sstSourceFromBytes(bytes));
  const short: SstSource = {
    name: 'short.parquet',
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + Math.max(0, length - 1)),
  };
  await assert.rejects(readSstMeta(short), isError(ErrorCode.StorageCorrupted, /short\.parquet.*returned/));
  assert.ok(meta.rows > 0);
  const failing: SstSource = {
    name: 'gone.parquet',
    size: bytes.length,
    read: async () => Promise.reject(new Error('EIO')),
  };
  await assert.rejects(readSstMeta(failing), isError(ErrorCode.StorageUnavailable, /gone\.parquet failed: Error: EIO/));
});

test('a flipped data byte fails its chunk checksum before it is decoded', async () => {
  const bytes = await sample();
  const meta = await readSstMeta(sstSourceFromBytes(bytes));
  const { metadata, dataEnd } = footerOf(bytes);
  // First, middle and last byte of some chunks (the writer's page indexes lie between the
  // chunks and the footer; the reader never reads those).
  const chunks = parseFooter(metadata, dataEnd).rowGroups.flatMap((group) => group.columns);
  const positions = [chunks[0]!, chunks[17]!, chunks[chunks.length - 1]!].flatMap((chunk) => [
    chunk.start,
    chunk.start + (chunk.length >> 1),
    chunk.start + chunk.length - 1,
  ]);
  for (const position of positions) {
    const damaged = bytes.slice();
    damaged[position]! ^= 0x40;
    const source = sstSourceFromBytes(damaged, 'flipped.parquet');
    await assert.rejects(
      readEverything(source),
      isError(
        ErrorCode.StorageCorrupted,
        /flipped\.parquet is corrupted: row group \d+ column "\w+" fails its checksum/,
      ),
    );
  }
  assert.equal(await readEverything(sstSourceFromBytes(bytes)), meta.rows, 'the decoder still works afterwards');
});

test('single-bit changes all over the footer are either harmless or StorageCorrupted', async () => {
  const bytes = await sample(300); // one row group: a shorter footer, the same structures

  const { dataEnd } = footerOf(bytes);
  const outcomes = { ok: 0, corrupted: 0 };
  // Every 5th byte of the 7.7 KB tail, a low and the high bit: ~3,000 damaged files.
  for (let position = dataEnd; position < bytes.length; position += 5) {
    for (const mask of [position % 2 === 0 ? 0x01 : 0x10, 0x80]) {
      const damaged = bytes.slice();
      damaged[position]! ^= mask;
      try {
        await readEverything(sstSourceFromBytes(damaged, 'fuzzed.parquet'));
        outcomes.ok++;
      } catch (error) {
        assert.ok(error instanceof TesseraError, `byte ${position}: ${String(error)}`);
        assert.ok(
          error.code === ErrorCode.StorageCorrupted || error.code === ErrorCode.SstFormatUnsupported,
          `byte ${position}: ${error.code} ${error.message}`,
        );
        assert.match(error.message, /fuzzed\.parquet/);
        outcomes.corrupted++;
      }
    }
  }
  assert.ok(outcomes.corrupted > 0);
  assert.equal(await readEverything(sstSourceFromBytes(bytes)), 300, 'the decoder still works afterwards');
});

test('a Parquet file that is not a Tessera SST is refused as such', async () => {
  const foreign = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'a', data: [1, 2, 3], type: 'INT32' },
        { name: 'b', data: ['x', 'y', 'z'], type: 'STRING' },
      ],
    }),
  );
  await assert.rejects(
    readSstMeta(sstSourceFromBytes(foreign, 'foreign.parquet')),
    isError(
      ErrorCode.StorageCorrupted,
      /foreign\.parquet is corrupted: it has no tessera\.sst\.format_version metadata/,
    ),
  );
});

test('a file from a newer format version is SstFormatUnsupported', async () => {
  const bytes = await sample();
  const { metadata, dataEnd } = footerOf(bytes);
  const newer = withKeyValues(parseFooter(metadata, dataEnd), new Map([[SstMetadataKey.formatVersion, '99']]));
  const file = new Uint8Array(dataEnd + newer.length + 8);
  file.set(bytes.subarray(0, dataEnd));
  file.set(newer, dataEnd);
  new DataView(file.buffer).setUint32(dataEnd + newer.length, newer.length, true);
  file.set(bytes.subarray(bytes.length - 4), dataEnd + newer.length + 4);
  await assert.rejects(
    readSstMeta(sstSourceFromBytes(file, 'future.parquet')),
    isError(ErrorCode.SstFormatUnsupported, /future\.parquet has format version 99; this build reads up to 1/),
  );
});
