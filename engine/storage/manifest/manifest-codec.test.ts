import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import {
  decodeCheckpoint,
  decodeDelta,
  decodeMarker,
  encodeCheckpoint,
  encodeDelta,
  encodeDroppingMarker,
  encodePointer,
} from './manifest-codec.ts';
import { testFile, testRegionId, testSchema, testStateAt } from './manifest-test-fixtures.ts';
import type { RegionEdit } from './region-edit.ts';

const source = { path: 'regions/x/manifest/00000000000000000007.json', storeName: 'file:///tmp/store' };
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Re-signs an edited envelope, as a writer of another format version would. */
function resign(file: Uint8Array, change: (envelope: Record<string, unknown>) => void): Uint8Array {
  const { crc32: _old, ...envelope } = JSON.parse(text(file)) as Record<string, unknown>;
  change(envelope);
  const body = JSON.stringify(envelope);
  return bytes(`${body.slice(0, -1)},"crc32":${crc32(bytes(body))}}\n`);
}

function corrupted(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.StorageCorrupted, error.message);
    assert.match(error.message, /^Manifest file regions\/x\/manifest\/00000000000000000007\.json/);
    assert.match(error.message, pattern);
    return true;
  });
}

const edits: RegionEdit[] = [
  {
    type: 'flush',
    addFiles: [testFile(1), testFile(2, { sequenceRange: undefined })],
    flushedEntryId: 9,
    flushedSequence: 99,
  },
  { type: 'compaction', addFiles: [testFile(3, { level: 2 })], removeFiles: [testFile(1).fileId] },
  { type: 'alter', schema: testSchema(3, 5) },
  {
    type: 'options',
    options: { appendMode: false, mergeMode: 'last_non_null', ttlMs: 1000, twcsTimeWindowMs: 7200_000 },
  },
  { type: 'truncate', entryId: 77, sequence: 7700 },
  { type: 'truncate', entryId: 78, sequence: 7800, truncateId: 'truncate-table-7' },
  { type: 'ttl', removeFiles: [testFile(2).fileId] },
];

test('every edit type survives a delta round trip, bigints exactly', () => {
  for (const edit of edits) {
    const file = encodeDelta(testRegionId, 7, edit);
    assert.ok(text(file).endsWith('}\n') && !text(file).slice(0, -1).includes('\n'), 'one line');
    const expected = structuredClone(edit);
    if (expected.type === 'flush') delete expected.addFiles[1]!.sequenceRange;
    assert.deepEqual(decodeDelta(file, { ...source, regionId: testRegionId, version: 7 }), expected);
  }
  const flush = text(encodeDelta(testRegionId, 7, edits[0]!));
  assert.match(flush, /"timeRange":\["1700000060000000001","1700000120000000000"\]/);
});

test('a checkpoint holds the whole state, files in order', () => {
  const state = testStateAt(60);
  assert.ok(state.files.size > 3);
  const decoded = decodeCheckpoint(encodeCheckpoint(state), { ...source, version: 60 });
  assert.deepEqual(decoded, state);
  assert.deepEqual([...decoded.files.keys()], [...state.files.keys()]);
});

test('a checkpoint keeps the last truncate id; one without it (older manifests) loads', () => {
  const state = { ...testStateAt(10), lastTruncateId: 'truncate-table-1' };
  assert.equal(
    decodeCheckpoint(encodeCheckpoint(state), { ...source, version: 10 }).lastTruncateId,
    'truncate-table-1',
  );
  const older = decodeCheckpoint(encodeCheckpoint(testStateAt(10)), { ...source, version: 10 });
  assert.equal('lastTruncateId' in older, false);
});

test('pointers and drop markers name a region and a version', () => {
  assert.deepEqual(decodeMarker(encodePointer(testRegionId, 40), 'pointer', source), {
    regionId: testRegionId,
    version: 40,
  });
  assert.deepEqual(decodeMarker(encodeDroppingMarker(testRegionId, 41), 'dropping', source), {
    regionId: testRegionId,
    version: 41,
  });
  corrupted(() => decodeMarker(encodePointer(testRegionId, 40), 'dropping', source), /"pointer" file, not a dropping/);
});

test('damaged files are StorageCorrupted naming the file and what is wrong', () => {
  const good = encodeDelta(testRegionId, 7, edits[0]!);
  const at = { ...source, regionId: testRegionId, version: 7 };
  // One digit changed: still JSON, but the checksum no longer matches.
  const flipped = text(good).replace('"flushedEntryId":9', '"flushedEntryId":8');
  corrupted(() => decodeDelta(bytes(flipped), at), /crc32 is \d+, but the file says \d+/);
  corrupted(() => decodeDelta(good.subarray(0, good.length - 20), at), /not valid UTF-8 JSON/);
  corrupted(() => decodeDelta(new Uint8Array(0), at), /not valid UTF-8 JSON \(0 bytes\)/);
  corrupted(() => decodeDelta(bytes('[1,2]'), at), /not a JSON object/);
  corrupted(() => decodeDelta(bytes('{"format":1}'), at), /no crc32 field/);
  corrupted(() => decodeDelta(good, { ...at, version: 8 }), /holds version 7, but its name says 8/);
  corrupted(() => decodeDelta(good, { ...at, regionId: testRegionId + 1 }), /belongs to region/);
  corrupted(() => decodeCheckpoint(good, { ...source, version: 7 }), /"delta" file, not a checkpoint/);
  // Signed but wrong inside: the edit's shape is checked too.
  const badEdit = resign(good, (envelope) => {
    (envelope.edit as { flushedEntryId: unknown }).flushedEntryId = 'nine';
  });
  corrupted(() => decodeDelta(badEdit, at), /edit.flushedEntryId must be an integer/);
  const badTime = resign(good, (envelope) => {
    (envelope.edit as { addFiles: { timeRange: unknown }[] }).addFiles[0]!.timeRange = [1, 2];
  });
  corrupted(() => decodeDelta(badTime, at), /timeRange\[0\] must be a decimal string/);
});

test('a file from a newer format is refused, not guessed at', () => {
  const future = resign(encodeDelta(testRegionId, 7, edits[4]!), (envelope) => {
    envelope.format = 2;
  });
  assert.throws(
    () => decodeDelta(future, { ...source, regionId: testRegionId, version: 7 }),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.ManifestFormatUnsupported &&
      /has format 2; this build reads up to 1/.test(error.message),
  );
});
