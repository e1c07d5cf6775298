/**
 * Statistical, percentile, ordered, IP, geo, session and anomaly functions. Expected values are
 * GreptimeDB's outputs from its sqlness cases (aggregate/corr, regression, approx_percentile_cont*,
 * bit_operations, first_last, string_agg, function/ip, geo, anomaly, string/length).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from '../execute-query.ts';
import { MemoryCatalog, memoryTable } from '../memory-table.ts';
import { resultRows } from '../result-rows.ts';
import { digestOfSorted, estimateQuantile } from './percentile-aggregates.ts';
import { formatIpv6, parseIpv6 } from './ip-functions.ts';
import { geohashEncode } from './geo-functions.ts';
import { strftime } from './datetime-functions.ts';

const catalog = new MemoryCatalog()
  .register(
    'pairs',
    memoryTable([
      { name: 'g', type: 'Int64', values: [1, 1, 1, 2, 2, 2, 2, 2] },
      { name: 'x', type: 'Float64', values: [10, 20, 30, 1, 2, 3, 4, 5] },
      { name: 'y', type: 'Float64', values: [11, 22, 35, 3, 5, 7, 9, 11] },
    ]),
  )
  .register(
    'weights',
    memoryTable([
      { name: 'v', type: 'Int64', values: [10, 20, 30, 40, 50, null] },
      { name: 'w', type: 'Int64', values: [1, 2, 3, 4, 1, 1] },
    ]),
  )
  .register(
    'series',
    memoryTable([
      { name: 'host', type: 'Utf8', values: ['a', 'a', 'a', 'a', 'a', 'a', 'a'] },
      { name: 'i', type: 'Int64', values: [0, 1, 2, 3, 4, 5, 6] },
      { name: 'val', type: 'Float64', values: [48, 49, 50, 51, 52, 200, 50] },
    ]),
  );

async function rows(sql: string, options = {}): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog, options)).batches);
}

test('functions.stats: corr (Welford ungrouped, sums grouped), regr_*, covar, bit ops', async () => {
  assert.deepEqual(await rows('SELECT corr(x, y) FROM pairs WHERE g = 1'), [[0.9988445981121532]]);
  assert.deepEqual(await rows('SELECT g, corr(x, y) FROM pairs WHERE g = 1 GROUP BY g'), [[1, 0.9988445981121536]]);
  assert.deepEqual(await rows('SELECT corr(1, 1), corr(NULL, NULL)'), [[null, null]]);
  assert.deepEqual(
    await rows(
      'SELECT regr_slope(y, x), regr_intercept(y, x), regr_r2(y, x), regr_count(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x), regr_avgx(y, x), regr_avgy(y, x) FROM pairs WHERE g = 2',
    ),
    [[2, 1, 1, 5, 10, 40, 20, 3, 7]],
  );
  assert.deepEqual(
    await rows('SELECT covar_pop(x, y), covar_samp(x, y), var_pop(x), stddev(x) FROM pairs WHERE g = 2'),
    [[4, 5, 2, Math.sqrt(2.5)]],
  );
  assert.deepEqual(await rows('SELECT bit_and(g), bit_or(g), bit_xor(g) FROM pairs WHERE x < 4 OR x = 20'), [
    [0, 3, 3],
  ]);
});

test('functions.percentile: t-digest estimates and WITHIN GROUP', async () => {
  const digest = digestOfSorted(Float64Array.from({ length: 1000 }, (_, i) => i))!;
  assert.deepEqual(
    [0.5, 0.25, 0.95].map((q) => Math.trunc(estimateQuantile(digest, q))),
    [499, 249, 949],
  );
  const doubles = digestOfSorted(Float64Array.from({ length: 1000 }, (_, i) => i * 1.5))!;
  assert.equal(estimateQuantile(doubles, 0.5), 748.875);
  assert.deepEqual(
    await rows(
      'SELECT approx_percentile_cont_with_weight(w, 0.5) WITHIN GROUP (ORDER BY v), approx_percentile_cont_with_weight(w, 0.75) WITHIN GROUP (ORDER BY v) FROM weights',
    ),
    [[33, 40]],
  );
  const result = await executeQuery(
    'SELECT approx_percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC) FROM weights',
    catalog,
  );
  assert.equal(
    result.schema.fields[0].name,
    'approx_percentile_cont(Float64(0.25)) WITHIN GROUP [weights.v DESC NULLS FIRST]',
  );
  assert.deepEqual(resultRows(result.batches), [[42]]);
});

test('functions.ordered-aggregates: first_value / string_agg ORDER BY', async () => {
  assert.deepEqual(
    await rows('SELECT first_value(v ORDER BY v DESC), last_value(v ORDER BY v DESC) FROM weights WHERE v IS NOT NULL'),
    [[50, 10]],
  );
  assert.deepEqual(await rows("SELECT string_agg(CAST(v AS STRING), '|' ORDER BY w, v DESC) FROM weights"), [
    ['50|10|20|30|40'],
  ]);
});

test('functions.ip', async () => {
  assert.deepEqual(
    await rows(
      "SELECT ipv4_string_to_num('192.168.1.1'), ipv4_num_to_string(3232235521), ipv4_to_cidr('0.0.0.0'), ipv4_to_cidr('192.168.1.1', 24)",
    ),
    [[3232235777, '192.168.0.1', '0.0.0.0/0', '192.168.1.0/24']],
  );
  assert.deepEqual(
    await rows(
      "SELECT ipv6_to_cidr('fe80::1234'), ipv6_to_cidr('::ffff:192.168.0.1', 96), ipv6_num_to_string('20010000000000000000000000000001'), ipv6_in_range('2001:db8:1::5', '2001:db8::/32'), ipv4_in_range('10.0.0.15', '192.168.0.0/16')",
    ),
    [['fe80::/16', '::ffff:0.0.0.0/96', '2001::1', true, false]],
  );
  assert.equal(formatIpv6(parseIpv6('2001:0:0:0:0:0:0:1')!), '2001::1');
});

test('functions.geo and strings', async () => {
  assert.equal(geohashEncode(37.76938, -122.3889, 11), '9q8yygxneft');
  assert.deepEqual(await rows('SELECT geohash(37.76938, -122.3889, 9), wkt_point_from_latlng(37.76938, -122.3889)'), [
    ['9q8yygxne', 'POINT(-122.3889 37.76938)'],
  ]);
  assert.deepEqual(await rows("SELECT bit_length('世界'), arrow_typeof(1), arrow_cast(24, 'UInt8')"), [
    [48, 'Int64', 24],
  ]);
  assert.equal(strftime('%Y-%m-%d %H:%M:%S:%3f', 1704153600, 5_000_000), '2024-01-02 00:00:00:005');
});

test('functions.session: database() and timezone() come from the query options', async () => {
  assert.deepEqual(await rows('SELECT database(), timezone()'), [['public', 'UTC']]);
  assert.deepEqual(await rows('SELECT database()', { schemaName: 'information_schema', timezone: '+08:00' }), [
    ['information_schema'],
  ]);
});

test('functions.anomaly: scores of the current row against its frame', async () => {
  const result = await rows(
    'SELECT round(anomaly_score_zscore(val) OVER (PARTITION BY host ORDER BY i), 2), round(anomaly_score_mad(val) OVER (PARTITION BY host ORDER BY i), 2), round(anomaly_score_iqr(val, 1.5) OVER (PARTITION BY host ORDER BY i), 2) FROM series ORDER BY i',
  );
  assert.deepEqual(result, [
    [null, null, null],
    [1, null, null],
    [1.22, 0.67, 0],
    [1.34, 1.01, 0],
    [1.41, 1.35, 0],
    [2.24, 67.22, 57.8],
    [0.41, 0, 0],
  ]);
});

test('functions.case evaluates a branch only on the rows it decides', async () => {
  assert.deepEqual(
    await rows("SELECT CASE WHEN x > 100 THEN CAST('bad' AS INT) ELSE 1 END FROM pairs WHERE g = 2 LIMIT 1"),
    [[1]],
  );
});
