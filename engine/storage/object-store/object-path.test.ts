import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { checkListPrefix, checkObjectPath, comparePaths } from './object-path.ts';

function problem(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.InvalidArguments);
    return error.message;
  }
}

test('object paths: relative, no empty or dot segments, no backslash or control characters', () => {
  for (const path of ['a', 'regions/4398046511104/sst/0f3a-1b.parquet', 'a.b/c-d/e_f', 'x'.repeat(1024)]) {
    assert.equal(
      problem(() => checkObjectPath(path, 'file:///s')),
      undefined,
      path,
    );
  }
  assert.equal(
    problem(() => checkObjectPath('/etc/passwd', 'file:///s')),
    'Invalid object path "/etc/passwd" for file:///s: an absolute path',
  );
  assert.match(
    problem(() => checkObjectPath('a/../b', 's3://b'))!,
    /a '\.\.' segment/,
  );
  assert.match(
    problem(() => checkObjectPath('a//b', 's3://b'))!,
    /an empty segment/,
  );
  assert.match(
    problem(() => checkObjectPath('a/', 's3://b'))!,
    /an empty segment/,
  );
  assert.match(
    problem(() => checkObjectPath('a/.x.tmp', 's3://b'))!,
    /starting with '\.'/,
  );
  assert.match(
    problem(() => checkObjectPath('x'.repeat(1025), 's3://b'))!,
    /longer than 1024/,
  );
});

test('list prefixes: empty, whole segments, a trailing slash or a partial last segment', () => {
  for (const prefix of ['', 'regions/', 'regions/1', 'regions/1/sst/0f']) {
    assert.equal(
      problem(() => checkListPrefix(prefix, 's3://b')),
      undefined,
      prefix,
    );
  }
  for (const prefix of ['/', '/a', 'a//', '../', 'a/.t']) {
    assert.match(
      problem(() => checkListPrefix(prefix, 's3://b'))!,
      /Invalid list prefix/,
      prefix,
    );
  }
});

test('paths sort in JavaScript string order', () => {
  assert.deepEqual(['a/x', 'a.b', 'a', 'a-c', 'ab/c'].sort(comparePaths), ['a', 'a-c', 'a.b', 'a/x', 'ab/c']);
});
