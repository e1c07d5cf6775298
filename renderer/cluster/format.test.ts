import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatCount, selectTableSql, sqlIdentifier } from './format.ts';

test('bytes in binary units, counts compact above ten thousand', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MiB');
  assert.equal(formatCount(9_999), '9,999');
  assert.equal(formatCount(1_250_000), '1.3M');
});

test('"Query this table" quotes a name only when it must', () => {
  assert.equal(sqlIdentifier('cpu'), 'cpu');
  assert.equal(sqlIdentifier('CPU Load'), '"CPU Load"');
  assert.equal(sqlIdentifier('a"b'), '"a""b"');
  assert.equal(selectTableSql('http_requests'), 'SELECT * FROM http_requests LIMIT 100;');
});
