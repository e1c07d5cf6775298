import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { applyEdit } from './apply-edit.ts';
import { initialManifestState } from './manifest-state.ts';
import type { RegionManifestState } from './manifest-state.ts';
import { testFile, testInitialState, testRegionId, testSchema, testStateAt } from './manifest-test-fixtures.ts';
import type { RegionEdit } from './region-edit.ts';

function start(): RegionManifestState {
  return initialManifestState(testInitialState());
}

/** A state with files 1, 2, 3 live, flushed through entry 10 / sequence 100, at version 1. */
function withThreeFiles(): RegionManifestState {
  return applyEdit(start(), {
    type: 'flush',
    addFiles: [testFile(1), testFile(2), testFile(3)],
    flushedEntryId: 10,
    flushedSequence: 100,
  });
}

function rejects(state: RegionManifestState, edit: unknown, pattern: RegExp): void {
  assert.throws(
    () => applyEdit(state, edit as RegionEdit),
    (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, new RegExp(`^Region ${testRegionId}: `));
      assert.match(error.message, new RegExp(`manifest version ${state.version}\\)$`));
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('the initial state is version 0 with defaults', () => {
  const state = start();
  assert.equal(state.version, 0);
  assert.equal(state.regionId, testRegionId);
  assert.equal(state.files.size, 0);
  assert.equal(state.flushedEntryId, 0);
  assert.equal(state.flushedSequence, 0);
  assert.equal(state.truncatedEntryId, undefined);
  assert.deepEqual(state.options, { appendMode: false, mergeMode: 'last_row' });
});

test('flush adds files and moves the flushed marks', () => {
  const state = withThreeFiles();
  assert.equal(state.version, 1);
  assert.deepEqual([...state.files.keys()], [testFile(1).fileId, testFile(2).fileId, testFile(3).fileId]);
  assert.deepEqual(state.files.get(testFile(2).fileId), testFile(2));
  assert.equal(state.flushedEntryId, 10);
  assert.equal(state.flushedSequence, 100);
  // An empty flush only moves the marks.
  const empty = applyEdit(state, { type: 'flush', addFiles: [], flushedEntryId: 12, flushedSequence: 100 });
  assert.equal(empty.files.size, 3);
  assert.equal(empty.flushedEntryId, 12);
  rejects(state, { type: 'flush', addFiles: [], flushedEntryId: 9, flushedSequence: 100 }, /flushedEntryId back/);
  rejects(state, { type: 'flush', addFiles: [], flushedEntryId: 10, flushedSequence: 99 }, /flushedSequence back/);
  rejects(
    state,
    { type: 'flush', addFiles: [testFile(2)], flushedEntryId: 11, flushedSequence: 101 },
    /adds file .* already live/,
  );
  rejects(
    state,
    { type: 'flush', addFiles: [testFile(4), testFile(4)], flushedEntryId: 11, flushedSequence: 101 },
    /adds file .* twice/,
  );
});

test('compaction replaces files, keeping the order of the rest', () => {
  const state = withThreeFiles();
  const merged = testFile(9, { level: 1 });
  const next = applyEdit(state, {
    type: 'compaction',
    removeFiles: [testFile(1).fileId, testFile(3).fileId],
    addFiles: [merged],
  });
  assert.deepEqual([...next.files.keys()], [testFile(2).fileId, merged.fileId]);
  assert.equal(next.flushedEntryId, 10);
  rejects(state, { type: 'compaction', removeFiles: [testFile(7).fileId], addFiles: [] }, /removes file .* not live/);
  rejects(
    state,
    { type: 'compaction', removeFiles: [testFile(1).fileId, testFile(1).fileId], addFiles: [] },
    /removes file .* twice/,
  );
  rejects(state, { type: 'compaction', removeFiles: [testFile(1).fileId], addFiles: [testFile(1)] }, /already live/);
});

test('ttl drops whole files', () => {
  const next = applyEdit(withThreeFiles(), { type: 'ttl', removeFiles: [testFile(2).fileId] });
  assert.deepEqual([...next.files.keys()], [testFile(1).fileId, testFile(3).fileId]);
  rejects(next, { type: 'ttl', removeFiles: [testFile(2).fileId] }, /not live/);
});

test('alter replaces the schema and must raise its version', () => {
  const state = withThreeFiles();
  const next = applyEdit(state, { type: 'alter', schema: testSchema(1, 3) });
  assert.deepEqual(next.schema, testSchema(1, 3));
  assert.equal(next.files, state.files, 'files are shared, not copied');
  rejects(next, { type: 'alter', schema: testSchema(1, 4) }, /schema version 1, not above the current 1/);
  const twoTimeIndexes = testSchema(2);
  twoTimeIndexes.columns[0] = { ...twoTimeIndexes.columns[2]!, name: 'ts2', columnId: 9 };
  rejects(next, { type: 'alter', schema: twoTimeIndexes }, /malformed: .*time index/);
});

test('options replace the options whole', () => {
  const state = withThreeFiles();
  const next = applyEdit(state, {
    type: 'options',
    options: { appendMode: true, mergeMode: 'last_row', ttlMs: 60_000 },
  });
  assert.deepEqual(next.options, { appendMode: true, mergeMode: 'last_row', ttlMs: 60_000 });
  rejects(
    state,
    { type: 'options', options: { appendMode: true, mergeMode: 'last_row', tll: 1 } },
    /unknown key "tll"/,
  );
});

test('truncate drops every file and moves the flushed marks up to it', () => {
  const state = withThreeFiles();
  const next = applyEdit(state, { type: 'truncate', entryId: 15, sequence: 90 });
  assert.equal(next.files.size, 0);
  assert.equal(next.truncatedEntryId, 15);
  assert.equal(next.truncatedSequence, 90);
  assert.equal(next.flushedEntryId, 15);
  assert.equal(next.flushedSequence, 100, 'the flushed sequence never moves back');
  rejects(next, { type: 'truncate', entryId: 14, sequence: 95 }, /below the previous truncate's 15/);
  rejects(next, { type: 'flush', addFiles: [], flushedEntryId: 14, flushedSequence: 100 }, /flushedEntryId back/);
});

test('malformed edits are rejected naming the field', () => {
  const state = withThreeFiles();
  rejects(state, { type: 'merge' }, /edit.type must be one of flush, compaction/);
  rejects(
    state,
    { type: 'flush', addFiles: [testFile(5, { fileId: 'not-a-uuid' })], flushedEntryId: 11, flushedSequence: 101 },
    /edit.addFiles\[0\].fileId must be a lowercase UUID/,
  );
  rejects(
    state,
    { type: 'flush', addFiles: [testFile(5, { timeRange: [5n, 4n] })], flushedEntryId: 11, flushedSequence: 101 },
    /timeRange \[5, 4\] has min above max/,
  );
  rejects(
    state,
    { type: 'flush', addFiles: [{ ...testFile(5), timeRange: [1, 2] }], flushedEntryId: 11, flushedSequence: 101 },
    /timeRange\[0\] must be a bigint/,
  );
  rejects(state, { type: 'truncate', entryId: -1, sequence: 0 }, /entryId must be an integer/);
});

test('applyEdit never changes its inputs', () => {
  const state = withThreeFiles();
  const files = new Map(state.files);
  const snapshot = { ...state, files };
  const edit: RegionEdit = { type: 'compaction', removeFiles: [testFile(1).fileId], addFiles: [testFile(8)] };
  const editCopy = structuredClone(edit);
  applyEdit(state, edit);
  applyEdit(state, { type: 'truncate', entryId: 20, sequence: 200 });
  assert.deepEqual(state, snapshot);
  assert.deepEqual(edit, editCopy);
});

test('the crash test edit generator makes every edit type and valid states', () => {
  const types = new Set<string>();
  for (let version = 1; version <= 200; version++) {
    const before = testStateAt(version - 1);
    const after = testStateAt(version);
    assert.equal(after.version, version);
    if (after.truncatedEntryId !== before.truncatedEntryId) types.add('truncate');
    else if (after.schema !== before.schema) types.add('alter');
    else if (after.options !== before.options) types.add('options');
    else if (after.flushedEntryId !== before.flushedEntryId) types.add('flush');
    else if ([...after.files.values()].some((file) => file.level > 0 && !before.files.has(file.fileId))) {
      types.add('compaction');
    } else types.add('ttl');
  }
  assert.deepEqual([...types].sort(), ['alter', 'compaction', 'flush', 'options', 'truncate', 'ttl']);
});
