import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import {
  checkRegionOptions,
  defaultRegionOptions,
  formatDurationMs,
  formatSizeBytes,
  parseDurationMs,
  parseRegionOptions,
  parseSizeBytes,
  regionOptionsToRecord,
} from './region-options.ts';

function rejects(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.InvalidArguments);
    assert.match(error.message, pattern);
    return true;
  });
}

test('parseRegionOptions reads the SQL spelling into typed options', () => {
  assert.deepEqual(parseRegionOptions({}), defaultRegionOptions());
  assert.deepEqual(
    parseRegionOptions({
      ttl: '7d',
      MERGE_MODE: 'last_non_null',
      write_buffer_size: '64MB',
      'compaction.twcs.time_window': '1h',
    }),
    {
      appendMode: false,
      mergeMode: 'last_non_null',
      ttlMs: 7 * 86_400_000,
      writeBufferBytes: 64 * 1024 * 1024,
      twcsTimeWindowMs: 3_600_000,
    },
  );
  assert.deepEqual(parseRegionOptions({ append_mode: 'TRUE' }), { appendMode: true, mergeMode: 'last_row' });
  // On top of a base, as ALTER TABLE ... SET does; 'forever' clears the ttl.
  const base = parseRegionOptions({ ttl: '1d', append_mode: 'true' });
  assert.deepEqual(parseRegionOptions({ ttl: 'forever' }, base), { appendMode: true, mergeMode: 'last_row' });
});

test('unknown option keys are rejected naming the key, in both spellings', () => {
  rejects(() => parseRegionOptions({ tll: '7d' }), /Unknown region option "tll"/);
  rejects(() => checkRegionOptions({ appendMode: false, mergeMode: 'last_row', ttl: 5 }), /unknown key "ttl"/);
});

test('bad option values are rejected naming the key and the value', () => {
  rejects(() => parseRegionOptions({ ttl: 'soon' }), /"soon" for region option "ttl"/);
  rejects(() => parseRegionOptions({ append_mode: 'yes' }), /"yes" for region option "append_mode"/);
  rejects(() => parseRegionOptions({ merge_mode: 'first_row' }), /"first_row" for region option "merge_mode"/);
  rejects(() => parseRegionOptions({ write_buffer_size: '12 parsecs' }), /write_buffer_size/);
  rejects(() => parseRegionOptions({ 'compaction.twcs.time_window': '0s' }), /time_window/);
  rejects(
    () => parseRegionOptions({ append_mode: 'true', merge_mode: 'last_non_null' }),
    /cannot be used with appendMode/,
  );
  rejects(() => checkRegionOptions({ appendMode: 'no', mergeMode: 'last_row' }), /appendMode must be a boolean/);
  rejects(() => checkRegionOptions({ appendMode: false, mergeMode: 'last_row', ttlMs: 1.5 }), /ttlMs/);
});

test('durations and sizes parse and print', () => {
  assert.equal(parseDurationMs('1h30m'), 90 * 60_000);
  assert.equal(parseDurationMs('2 days'), 2 * 86_400_000);
  assert.equal(parseDurationMs('1y'), 31_557_600_000);
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('10'), undefined);
  assert.equal(parseDurationMs('5 fortnights'), undefined);
  assert.equal(parseSizeBytes('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSizeBytes('4096'), 4096);
  assert.equal(parseSizeBytes('32kb'), 32 * 1024);
  assert.equal(parseSizeBytes('-1MB'), undefined);
  assert.equal(formatDurationMs(7 * 86_400_000), '7d');
  assert.equal(formatDurationMs(90 * 60_000), '90m');
  assert.equal(formatDurationMs(1500), '1500ms');
  assert.equal(formatSizeBytes(64 * 1024 * 1024), '64MiB');
  assert.equal(formatSizeBytes(1000), '1000B');
});

test('regionOptionsToRecord round-trips through parseRegionOptions', () => {
  const options = parseRegionOptions({ ttl: '36h', write_buffer_size: '1GiB', 'compaction.twcs.time_window': '2h' });
  const record = regionOptionsToRecord(options);
  assert.deepEqual(record, {
    ttl: '36h',
    append_mode: 'false',
    merge_mode: 'last_row',
    write_buffer_size: '1GiB',
    'compaction.twcs.time_window': '2h',
  });
  assert.deepEqual(parseRegionOptions(record), options);
});

test("ttl 'instant' is ttlMs 0 (keep nothing) and prints back as 'instant'", () => {
  const options = parseRegionOptions({ ttl: 'instant' });
  assert.equal(options.ttlMs, 0);
  assert.equal(regionOptionsToRecord(options).ttl, 'instant');
  assert.equal(parseRegionOptions({ ttl: 'forever' }, options).ttlMs, undefined);
});
