import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { scanSegment } from './segment-scan.ts';
import { StagedBatch } from './staged-batch.ts';
import { encodeSegmentHeader, entryOverheadBytes, segmentHeaderBytes } from './wal-format.ts';

const file = '00000000000000000001.wal';

interface BatchSpec {
  batch: number;
  synced: number;
  /** [region id, entry id, payload length] */
  entries: Array<[number, number, number]>;
}

/** A segment whose header says entry `firstEntryId`, batch `firstBatch`, then the batches as written. */
function segmentOf(batches: BatchSpec[], firstEntryId = 1, firstBatch = batches[0]?.batch ?? 1): Buffer {
  const parts = [encodeSegmentHeader({ firstEntryId, firstBatch })];
  for (const spec of batches) {
    const staged = new StagedBatch(Buffer.alloc(64), spec.batch, spec.synced);
    for (const [regionId, entryId, length] of spec.entries) {
      staged.add(regionId, entryId, new Uint8Array(length).fill(entryId));
    }
    parts.push(Buffer.from(staged.seal()));
  }
  return Buffer.concat(parts);
}

const entryAt = (index: number, payload = 10): number => segmentHeaderBytes + index * (entryOverheadBytes + payload);

const isCorrupted =
  (...parts: string[]) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof TesseraError, String(error));
    assert.equal(error.code, ErrorCode.StorageCorrupted);
    assert.ok(error.message.includes(file), error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" should mention ${part}`);
    return true;
  };

const three: BatchSpec[] = [
  {
    batch: 1,
    synced: 0,
    entries: [
      [7, 1, 10],
      [8, 2, 10],
    ],
  },
  { batch: 2, synced: 1, entries: [[7, 3, 10]] },
  {
    batch: 3,
    synced: 2,
    entries: [
      [9, 4, 10],
      [7, 5, 10],
    ],
  },
];

test('a whole segment: entries, regions, data end; zeros after the data are unused space', () => {
  const bytes = segmentOf(three);
  const scan = scanSegment(Buffer.concat([bytes, Buffer.alloc(5000)]), file, { last: false, afterEntryId: 0 });
  assert.equal(scan.dataEnd, bytes.length);
  assert.equal(scan.entries, 5);
  assert.equal(scan.lastEntryId, 5);
  assert.equal(scan.lastBatch, 3);
  assert.deepEqual(
    [...scan.regions],
    [
      [7, 5],
      [8, 2],
      [9, 4],
    ],
  );
  assert.equal(scan.torn, undefined);
});

test('an empty segment keeps its header values', () => {
  const scan = scanSegment(segmentOf([], 42, 9), file, { last: true, afterEntryId: 40 });
  assert.deepEqual([scan.dataEnd, scan.entries, scan.lastEntryId, scan.lastBatch], [segmentHeaderBytes, 0, 41, 8]);
});

test('the last batch without its last entry is torn: dropped whole, regions not counted', () => {
  const bytes = segmentOf(three);
  const cut = bytes.subarray(0, entryAt(4)); // batch 3 lost its last entry
  const scan = scanSegment(cut, file, { last: true, afterEntryId: 0 });
  assert.equal(scan.dataEnd, entryAt(3));
  assert.equal(scan.lastEntryId, 3);
  assert.equal(scan.lastBatch, 2);
  assert.equal(scan.regions.has(9), false);
  assert.deepEqual(scan.torn && [scan.torn.offset, scan.torn.droppedEntries], [entryAt(3), 1]);
  assert.throws(() => scanSegment(cut, file, { last: false, afterEntryId: 0 }), isCorrupted('Only the last segment'));
});

test('a bad entry followed by an entry of a batch written after it was synced is corruption', () => {
  const bytes = segmentOf(three);
  bytes[entryAt(2) + 45] ^= 1; // batch 2's only entry; batch 3 says batch 2 was synced
  assert.throws(
    () => scanSegment(bytes, file, { last: true, afterEntryId: 0 }),
    isCorrupted(`offset ${entryAt(2)}`, `good entry at offset ${entryAt(3)}`),
  );
});

test('with sync: false batches, damage followed only by batches that do not vouch for it is a torn tail', () => {
  // Written without fsyncs in between: each batch says only batch 1 was synced.
  const unsynced: BatchSpec[] = [
    { batch: 1, synced: 0, entries: [[7, 1, 10]] },
    { batch: 2, synced: 0, entries: [[7, 2, 10]] },
    { batch: 3, synced: 1, entries: [[7, 3, 10]] },
  ];
  const bytes = segmentOf(unsynced);
  bytes[entryAt(1) + 45] ^= 1; // batch 2 damaged; batch 3 vouches only for batch 1
  const scan = scanSegment(bytes, file, { last: true, afterEntryId: 0 });
  assert.equal(scan.dataEnd, entryAt(1));
  assert.equal(scan.torn?.offset, entryAt(1));
  assert.equal(scan.lastEntryId, 1);

  const vouched = segmentOf(unsynced);
  vouched[entryAt(0) + 45] ^= 1; // batch 1 damaged, and batch 3 says it was synced
  assert.throws(() => scanSegment(vouched, file, { last: true, afterEntryId: 0 }), isCorrupted(`offset ${entryAt(0)}`));
});

test('a hole of zeros followed by vouching data is corruption, not unused space', () => {
  const bytes = segmentOf(three);
  bytes.fill(0, entryAt(2), entryAt(3));
  assert.throws(() => scanSegment(bytes, file, { last: true, afterEntryId: 0 }), isCorrupted(`offset ${entryAt(2)}`));
});

test('entries with good checksums that break the ordering rules are corruption', () => {
  const cases: Array<[BatchSpec[], string]> = [
    [
      [
        { batch: 1, synced: 0, entries: [[7, 1, 10]] },
        { batch: 2, synced: 1, entries: [[7, 1, 10]] },
      ],
      'after entry 1',
    ],
    [
      [
        { batch: 2, synced: 1, entries: [[7, 1, 10]] },
        { batch: 1, synced: 0, entries: [[7, 2, 10]] },
      ],
      'batch 2 was complete',
    ],
    [[{ batch: 1, synced: 1, entries: [[7, 1, 10]] }], 'synced already'],
  ];
  for (const [batches, words] of cases) {
    assert.throws(() => scanSegment(segmentOf(batches), file, { last: true, afterEntryId: 0 }), isCorrupted(words));
  }
  // The first entry must be the one the header names.
  assert.throws(
    () => scanSegment(segmentOf(three, 1, 5), file, { last: true, afterEntryId: 0 }),
    isCorrupted('header says entry 1 of batch 5'),
  );
  // And the segment must start after the one before it.
  assert.throws(
    () => scanSegment(segmentOf(three), file, { last: true, afterEntryId: 1 }),
    isCorrupted('holds entries up to 1'),
  );
});

test('a torn tail of garbage bytes of every length from 1 to 300 is cut at the last whole batch', () => {
  const bytes = segmentOf(three);
  for (let length = 1; length <= 300; length++) {
    const garbage = Buffer.alloc(length);
    for (let i = 0; i < length; i++) garbage[i] = (i * 131 + length * 7 + 1) & 0xff;
    const scan = scanSegment(Buffer.concat([bytes, garbage]), file, { last: true, afterEntryId: 0 });
    assert.equal(scan.dataEnd, bytes.length, `garbage of ${length} bytes`);
    assert.equal(scan.torn?.droppedBytes, length);
  }
});
