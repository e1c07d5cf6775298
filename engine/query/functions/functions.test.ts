import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from '../execute-query.ts';
import { resultRows } from '../result-rows.ts';
import { testCatalog } from '../test-catalog.ts';
import { matchesTerm, parseMatchesQuery } from './fulltext-functions.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('functions.mysql-strings', async () => {
  assert.deepEqual(await rows("SELECT repeat('ab', 3), initcap('mIxEd CaSe-tEst'), space(2), left('hello', 2)"), [
    ['ababab', 'Mixed Case-Test', '  ', 'he'],
  ]);
  assert.deepEqual(await rows("SELECT locate('o', 'hello world'), locate('o', 'hello world', 6), strpos('abc', 'x')"), [
    [5, 8, 0],
  ]);
  assert.deepEqual(await rows("SELECT lpad('hi', 5, 'ab'), rpad('hello', 3, '*'), right('hello', 3)"), [
    ['abahi', 'hel', 'llo'],
  ]);
  assert.deepEqual(await rows("SELECT insert('Quadratic', 3, 4, 'What'), insert('Quadratic', 0, 4, 'What')"), [
    ['QuWhattic', 'Quadratic'],
  ]);
  assert.deepEqual(await rows('SELECT format(1234567.891, 2), format(1234.5, 0)'), [['1,234,567.89', '1,235']]);
  assert.deepEqual(await rows("SELECT elt(2, 'a', 'b'), elt(5, 'a'), field('b', 'a', 'b'), field('z', 'a')"), [
    ['b', null, 2, 0],
  ]);
  assert.deepEqual(await rows("SELECT regexp_extract('v 1.2.3', '\\d+\\.\\d+'), regexp_extract('x', '\\d')"), [
    ['1.2', null],
  ]);
  assert.deepEqual(await rows('SELECT repeat(s, 2) FROM t'), [['xx'], ['yy'], ['xx'], [null], ['ZZ']]);
});

test('functions.conditional', async () => {
  assert.deepEqual(await rows("SELECT if(true, 'y', 'n'), if(NULL, 'y', 'n'), if(0, 'y', 'n'), if(1.5, 'y', 'n')"), [
    ['y', 'n', 'n', 'y'],
  ]);
  assert.deepEqual(await rows("SELECT isnull(s), ifnull(s, 'd') FROM t WHERE a IS NULL OR a = 1"), [
    [false, 'x'],
    [true, 'd'],
  ]);
});

test('functions.matches-term', async () => {
  assert.equal(matchesTerm('cat!', 'cat'), true);
  assert.equal(matchesTerm('category', 'cat'), false);
  assert.equal(matchesTerm('dog/cat', '/cat'), true);
  assert.equal(matchesTerm('', ''), true);
  assert.equal(matchesTerm('any', ''), false);
  assert.equal(matchesTerm('登录手机号18888888888的动态key', '机号1888'), true);
  assert.equal(matchesTerm('错误error日志', 'error'), true);
  assert.deepEqual(await rows("SELECT a FROM t WHERE s @@ 'x' ORDER BY a"), [[1], [3]]);
});

test('functions.cast-float-specials', async () => {
  assert.deepEqual(await rows("SELECT 'inf'::DOUBLE, '-Infinity'::DOUBLE, 'NaN'::DOUBLE"), [
    [Infinity, -Infinity, NaN],
  ]);
});

test('functions.collect-aggregates', async () => {
  assert.deepEqual(await rows('SELECT first_value(a), last_value(a), median(a), median(b) FROM t'), [[1, 5, 2, 2.5]]);
  assert.deepEqual(
    await rows("SELECT s, string_agg(CAST(a AS STRING), '|') FROM t WHERE s IS NOT NULL GROUP BY s ORDER BY s"),
    [
      ['Z', '5'],
      ['x', '1|3'],
      ['y', '2'],
    ],
  );
  assert.deepEqual(await rows('SELECT bool_and(f), bool_or(f) FROM t'), [[false, true]]);
  assert.deepEqual(await rows("SELECT median(a), string_agg(s, ',') FROM t WHERE a > 100"), [[null, null]]);
});

test('functions.date-type', async () => {
  assert.deepEqual(await rows("SELECT DATE '2000-10-30', '2021-04-29 10:50:09'::DATE, CAST('1970-01-02' AS DATE)"), [
    [11260, 18746, 1],
  ]);
  assert.deepEqual(
    await rows("SELECT CAST(DATE '1970-01-02' AS STRING) AS s, CAST(DATE '1970-01-02' AS TIMESTAMP) AS t"),
    [['1970-01-02', 86_400_000]],
  );
  assert.deepEqual(
    await rows("SELECT DATE '2000-01-01' < '2000-01-02', greatest(DATE '2000-01-01', DATE '2000-03-01')"),
    [[true, 11017]],
  );
  assert.deepEqual(await rows('SELECT CAST(ts AS DATE) FROM ts_table ORDER BY ts LIMIT 1'), [[0]]);
});

test('functions.clamp-mod-position', async () => {
  assert.deepEqual(await rows('SELECT clamp(10, 0, 1), clamp(0.5, 0, 1), clamp_min(10, 12), clamp_max(10.5, 10.4)'), [
    [1, 0.5, 12, 10.4],
  ]);
  assert.deepEqual(await rows('SELECT mod(-18, 4), mod(18.5, 4)'), [[-2, 2.5]]);
  assert.deepEqual(await rows("SELECT POSITION('world' IN 'hello world'), POSITION('' IN 'x')"), [[7, 1]]);
  assert.deepEqual(await rows('SELECT last_value(s), first_value(s) FROM t WHERE a IS NULL OR a = 1'), [[null, 'x']]);
});

test('functions.matches-query', async () => {
  const fox = 'The quick brown fox jumps      the lazy dog';
  const holds = (query: string, text = fox): boolean => parseMatchesQuery(query)(text);
  assert.equal(holds('"fox jumps"'), true);
  assert.equal(holds('fox AND over'), false);
  assert.equal(holds('fox +jumps -over'), true);
  assert.equal(holds('-over -lazy'), false);
  assert.equal(holds('over OR brown AND quick'), true);
  assert.equal(holds('(fox OR brown) AND -quick'), false);
  assert.equal(holds('over AND -(-(fox OR jumps))', 'The quick brown fox jumps over'), true);
  assert.deepEqual(await rows("SELECT a FROM t WHERE matches(s, 'x OR y') ORDER BY a"), [[1], [2], [3]]);
});

test('functions.regex', async () => {
  assert.deepEqual(
    await rows("SELECT regexp_like('a1', '\\d'), 'a1' ~ '\\d' AS m, 'ABC' ~* 'b' AS i, 'abc' !~ 'b' AS n"),
    [[true, true, true, false]],
  );
  assert.deepEqual(
    await rows("SELECT regexp_replace('a1b22', '\\d+', 'X') AS f, regexp_replace('a1b22', '\\d+', 'X', 'g') AS g"),
    [['aXb22', 'aXbX']],
  );
  await assert.rejects(() => executeQuery('SELECT mod(18, 0)', catalog), /Divide by zero error/);
});

test('functions.date-part', async () => {
  assert.deepEqual(
    await rows(
      "SELECT EXTRACT(YEAR FROM ts) AS y, date_part('hour', ts) AS h, EXTRACT(MILLISECONDS FROM ts) AS ms FROM ts_table ORDER BY ts",
    ),
    [
      [1970, 0, 1000],
      [1970, 0, 2000],
      [1970, 1, 5],
      [1970, 2, 0],
    ],
  );
  assert.deepEqual(await rows("SELECT date_part('month', DATE '2021-03-01') AS m"), [[3]]);
});
