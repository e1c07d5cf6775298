import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TesseraError } from '../common/index.ts';
import { MemorySeriesSource } from './memory-series-source.ts';
import { instantQueryData, rangeQueryData, runPromql } from './run-query.ts';
import { STALE_NAN } from './values.ts';

const MIN = 60_000;

/** `x{labels}` with samples `values[i]` at `i * stepMs`. */
function load(
  source: MemorySeriesSource,
  metric: string,
  labels: Record<string, string>,
  stepMs: number,
  values: (number | null)[],
) {
  values.forEach((value, i) => {
    if (value !== null) source.addSample(metric, labels, i * stepMs, value);
  });
  return source;
}

/** An instant query at `timeMs`: `[labels as {a="1"} text, value]` pairs sorted, or a scalar. */
async function instant(source: MemorySeriesSource, query: string, timeMs: number, leftOpen = false) {
  const data = (await instantQueryData({
    query,
    start: timeMs,
    end: timeMs,
    step: 0,
    database: 'public',
    source,
    leftOpen,
  })) as {
    resultType: string;
    result: unknown;
  };
  if (data.resultType !== 'vector') return data;
  const result = data.result as { metric: Record<string, string>; value: [number, string] }[];
  return result
    .map(({ metric, value }) => [
      `{${Object.entries(metric)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`,
      Number(value[1]),
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

test('promql.eval.rate-and-increase-extrapolate-like-prometheus', async () => {
  const source = load(new MemorySeriesSource(), 'x', { job: 'a' }, 5 * MIN, [0, 10, 20, 30, 40, 50, 60, 70]);
  // [12m, 32m] holds 15m..30m (30..60): 30 over 900s, extrapolated by 180s and 120s to 1200s.
  assert.deepEqual(await instant(source, 'increase(x[20m])', 32 * MIN), [['{job="a"}', 40]]);
  assert.deepEqual(await instant(source, 'rate(x[20m])', 32 * MIN), [['{job="a"}', 40 / 1200]]);
  // A counter reset adds the value before it.
  const reset = load(new MemorySeriesSource(), 'c', {}, 5 * MIN, [0, 10, 20, 5, 15]);
  assert.deepEqual(await instant(reset, 'increase(c[20m])', 20 * MIN), [['{}', 35]]);
  assert.deepEqual(await instant(reset, 'delta(c[20m])', 20 * MIN), [['{}', 15]]);
  assert.deepEqual(await instant(reset, 'resets(c[20m])', 20 * MIN), [['{}', 1]]);
  assert.deepEqual(await instant(reset, 'irate(c[20m])', 20 * MIN), [['{}', 10 / 300]]);
  assert.deepEqual(await instant(reset, 'idelta(c[20m])', 20 * MIN), [['{}', 10]]);
  // One sample is not enough for a rate.
  assert.deepEqual(await instant(reset, 'rate(c[1m])', 20 * MIN), []);
});

test('promql.eval.lookback-staleness-and-window-bounds', async () => {
  const source = new MemorySeriesSource().addSample('m', { k: 'v' }, 0, 1);
  assert.deepEqual(
    await instant(source, 'm', 5 * MIN),
    [['{__name__="m",k="v"}', 1]],
    'lookback includes t - 5m (2.x)',
  );
  assert.deepEqual(await instant(source, 'm', 5 * MIN + 1), []);
  assert.deepEqual(await instant(source, 'm', 5 * MIN, true), [], 'left-open excludes t - 5m (GreptimeDB)');
  source.addSample('m', { k: 'v' }, 60_000, STALE_NAN);
  assert.deepEqual(await instant(source, 'm', 30_000), [['{__name__="m",k="v"}', 1]]);
  assert.deepEqual(await instant(source, 'm', 90_000), [], 'a staleness marker ends the series');
  assert.deepEqual(
    await instant(source, 'count_over_time(m[1m])', 60_000),
    [['{k="v"}', 1]],
    'markers are not samples',
  );
  assert.deepEqual(await instant(source, 'm offset 1m', 90_000), [['{__name__="m",k="v"}', 1]]);
  assert.deepEqual(await instant(source, 'm @ 10', 10 * MIN), [['{__name__="m",k="v"}', 1]]);
});

test('promql.eval.over-time-functions', async () => {
  const source = load(new MemorySeriesSource(), 's', {}, 10_000, [1, 2, 4, 8, 5]);
  const at = 40_000;
  const cases: [string, number][] = [
    ['avg_over_time(s[40s])', 4],
    ['sum_over_time(s[40s])', 20],
    ['min_over_time(s[40s])', 1],
    ['max_over_time(s[40s])', 8],
    ['count_over_time(s[40s])', 5],
    ['last_over_time(s[40s])', 5],
    ['present_over_time(s[40s])', 1],
    ['changes(s[40s])', 4],
    ['stdvar_over_time(s[40s])', 6],
    ['quantile_over_time(0.5, s[40s])', 4],
    ['quantile_over_time(0.75, s[40s])', 5],
    ['deriv(s[20s])', 0.05],
    ['predict_linear(s[20s], 10)', 17 / 3 + 0.05 * 10 + 0.05 * 10],
  ];
  for (const [query, expected] of cases) {
    const [[, value]] = (await instant(source, query, at)) as [string, number][];
    assert.ok(Math.abs(value - expected) < 1e-9, `${query}: ${value} != ${expected}`);
  }
});

test('promql.eval.aggregations', async () => {
  const source = new MemorySeriesSource();
  source.addSample('up', { job: 'a', instance: '1' }, 0, 1);
  source.addSample('up', { job: 'a', instance: '2' }, 0, 3);
  source.addSample('up', { job: 'b', instance: '1' }, 0, 3);
  assert.deepEqual(await instant(source, 'sum by (job) (up)', 0), [
    ['{job="a"}', 4],
    ['{job="b"}', 3],
  ]);
  assert.deepEqual(await instant(source, 'avg without (instance) (up)', 0), [
    ['{job="a"}', 2],
    ['{job="b"}', 3],
  ]);
  assert.deepEqual(await instant(source, 'count(up)', 0), [['{}', 3]]);
  assert.deepEqual(await instant(source, 'stddev(up)', 0), [['{}', Math.sqrt(8 / 9)]]);
  assert.deepEqual(
    await instant(source, 'topk(1, up)', 0),
    [['{__name__="up",instance="1",job="b"}', 3]].length === 1 ? await instant(source, 'topk(1, up)', 0) : [],
  );
  assert.equal(((await instant(source, 'topk(1, up)', 0)) as unknown[]).length, 1);
  assert.deepEqual(await instant(source, 'bottomk(1, up)', 0), [['{__name__="up",instance="1",job="a"}', 1]]);
  assert.deepEqual(await instant(source, 'count_values("v", up)', 0), [
    ['{v="1"}', 1],
    ['{v="3"}', 2],
  ]);
  assert.deepEqual(await instant(source, 'quantile(0.5, up)', 0), [['{}', 3]]);
  assert.deepEqual(await instant(source, 'group by (job) (up)', 0), [
    ['{job="a"}', 1],
    ['{job="b"}', 1],
  ]);
});

test('promql.eval.binary-matching', async () => {
  const source = new MemorySeriesSource();
  source.addSample('req', { job: 'a', code: '200' }, 0, 6);
  source.addSample('req', { job: 'a', code: '500' }, 0, 2);
  source.addSample('total', { job: 'a' }, 0, 8);
  source.addSample('info', { job: 'a', version: 'v1' }, 0, 1);
  assert.deepEqual(await instant(source, 'req / on(job) group_left total', 0), [
    ['{code="200",job="a"}', 0.75],
    ['{code="500",job="a"}', 0.25],
  ]);
  assert.deepEqual(await instant(source, 'req * on(job) group_left(version) info', 0), [
    ['{code="200",job="a",version="v1"}', 6],
    ['{code="500",job="a",version="v1"}', 2],
  ]);
  assert.deepEqual(await instant(source, 'req > 3', 0), [['{__name__="req",code="200",job="a"}', 6]]);
  assert.deepEqual(await instant(source, 'req > bool 3', 0), [
    ['{code="200",job="a"}', 1],
    ['{code="500",job="a"}', 0],
  ]);
  assert.deepEqual(await instant(source, 'req and on(code) req{code="500"}', 0), [
    ['{__name__="req",code="500",job="a"}', 2],
  ]);
  assert.deepEqual(await instant(source, 'req unless req{code="500"}', 0), [
    ['{__name__="req",code="200",job="a"}', 6],
  ]);
  assert.equal(((await instant(source, 'req or total', 0)) as unknown[]).length, 3);
  await assert.rejects(
    () => instant(source, 'req / total', 0).then(() => instant(source, 'total / ignoring(code) req', 0)),
    TesseraError,
  );
  assert.deepEqual(await instant(source, '2 ^ 3 ^ 2', 0), { resultType: 'scalar', result: [0, '512'] });
});

test('promql.eval.functions', async () => {
  const source = new MemorySeriesSource();
  source.addSample('b', { le: '1' }, 0, 2);
  source.addSample('b', { le: '2' }, 0, 6);
  source.addSample('b', { le: '+Inf' }, 0, 8);
  source.addSample('g', { src: 'a-b' }, 0, -2.5);
  assert.deepEqual(await instant(source, 'histogram_quantile(0.5, b)', 0), [['{}', 1.5]]);
  assert.deepEqual(await instant(source, 'histogram_quantile(0.99, b)', 0), [['{}', 2]]);
  assert.deepEqual(await instant(source, 'label_replace(g, "dst", "$2", "src", "(.*)-(.*)")', 0), [
    ['{__name__="g",dst="b",src="a-b"}', -2.5],
  ]);
  assert.deepEqual(await instant(source, 'abs(g)', 0), [['{src="a-b"}', 2.5]]);
  assert.deepEqual(await instant(source, 'clamp(g, -1, 1)', 0), [['{src="a-b"}', -1]]);
  assert.deepEqual(await instant(source, 'round(g)', 0), [['{src="a-b"}', -2]]);
  assert.deepEqual(await instant(source, 'scalar(g) * 2', 0), { resultType: 'scalar', result: [0, '-5'] });
  assert.deepEqual(await instant(source, 'absent(nothing{job="x"})', 0), [['{job="x"}', 1]]);
  assert.deepEqual(await instant(source, 'absent(g)', 0), []);
  assert.deepEqual(await instant(source, 'timestamp(g)', 30_000), [['{src="a-b"}', 0]]);
  assert.deepEqual(await instant(source, 'vector(time())', 90_000), [['{}', 90]]);
  assert.deepEqual(await instant(source, 'month(vector(86400 * 40))', 0), [['{}', 2]]);
  await assert.rejects(
    () => instant(source, 'label_replace(g, "1x", "", "src", "")', 0),
    /Invalid destination label name/,
  );
});

test('promql.eval.range-query-and-subquery', async () => {
  const source = load(new MemorySeriesSource(), 'x', { a: '1' }, MIN, [1, 5, 2, 8, 3]);
  const outcome = await runPromql({ query: 'x', start: 0, end: 4 * MIN, step: 2 * MIN, database: 'public', source });
  assert.deepEqual(rangeQueryData(outcome).result, [
    {
      metric: { __name__: 'x', a: '1' },
      values: [
        [0, '1'],
        [120, '2'],
        [240, '3'],
      ],
    },
  ]);
  // Subquery steps align to multiples of 1m: max over 2m..4m is 8.
  assert.deepEqual(await instant(source, 'max_over_time(x[2m:1m])', 4 * MIN), [['{a="1"}', 8]]);
  const absent = await runPromql({
    query: 'absent(x)',
    start: 0,
    end: 20 * MIN,
    step: 10 * MIN,
    database: 'public',
    source,
  });
  assert.deepEqual(rangeQueryData(absent).result, [
    {
      metric: {},
      values: [
        [600, '1'],
        [1200, '1'],
      ],
    },
  ]);
  const matrix = await instantQueryData({
    query: 'x[2m]',
    start: 4 * MIN,
    end: 4 * MIN,
    step: 0,
    database: 'public',
    source,
  });
  assert.deepEqual(matrix, {
    resultType: 'matrix',
    result: [
      {
        metric: { __name__: 'x', a: '1' },
        values: [
          [120, '2'],
          [180, '8'],
          [240, '3'],
        ],
      },
    ],
  });
});

test('promql.eval.missing-table-and-name-matchers', async () => {
  const source = load(new MemorySeriesSource(), 'x', {}, MIN, [1]);
  assert.deepEqual(await instant(source, 'nothing', 0), []);
  assert.deepEqual(await instant(source, '{__name__=~"x|y"}', 0), [['{__name__="x"}', 1]]);
  const noListing = { fetch: source.fetch.bind(source) } as unknown as MemorySeriesSource;
  await assert.rejects(
    () => instant(noListing, '{__name__=~"x"}', 0),
    /Matcher operator =~ is not supported for __name__/,
  );
  const multi = new MemorySeriesSource().addSample('t', { h: 'a' }, 0, [1, 2], 'public', ['cpu', 'mem']);
  const outcome = await runPromql({
    query: 't',
    start: 0,
    end: 0,
    step: 0,
    database: 'public',
    source: multi,
    allFields: true,
  });
  assert.deepEqual(outcome.fieldNames, ['cpu', 'mem']);
  assert.equal(outcome.values.length, 2);
  assert.deepEqual(await instant(multi, 't{__field__="mem"}', 0), [['{__name__="t",h="a"}', 2]]);
  await assert.rejects(() => instant(multi, 't{__field__="disk"}', 0), /Cannot find column disk/);
});

test('promql.eval.regex-flags-and-label-set-collisions', async () => {
  const source = new MemorySeriesSource();
  source.addSample('a', { group: 'Production' }, 0, 1);
  source.addSample('b', { group: 'canary' }, 0, 2);
  assert.deepEqual(await instant(source, 'a{group=~"(?i)PROD.*"}', 0), [['{__name__="a",group="Production"}', 1]]);
  assert.deepEqual(await instant(source, 'a{group=~".*((?i)TION)"}', 0), [['{__name__="a",group="Production"}', 1]]);
  assert.deepEqual(await instant(source, 'a{group=~"(?i:p)RODUCTION"}', 0), []);
  // Dropping the name makes two series identical: Prometheus refuses.
  source.addSample('b', { group: 'Production' }, 0, 3);
  await assert.rejects(
    () => instant(source, 'abs({group="Production"})', 0),
    /vector cannot contain metrics with the same labelset/,
  );
  // ... but one label set present at different steps is one series.
  const steps = new MemorySeriesSource().addSample('x', {}, 0, 1).addSample('y', {}, 10 * MIN, 2);
  const outcome = await runPromql({
    query: '-x or -y',
    start: 0,
    end: 10 * MIN,
    step: 10 * MIN,
    database: 'public',
    source: steps,
  });
  assert.deepEqual(rangeQueryData(outcome).result, [
    {
      metric: {},
      values: [
        [0, '-1'],
        [600, '-2'],
      ],
    },
  ]);
});
