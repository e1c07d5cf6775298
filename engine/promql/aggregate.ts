/**
 * Aggregation operators (`sum by (job) (x)`, `topk(3, x)`, ...), following Prometheus 2.x
 * arithmetic (incremental mean for `avg`, Welford for `stddev`/`stdvar`, NaN never wins
 * `min`/`max`). Groups are found once per series; values fold step by step into typed arrays.
 */
import type { AggregateExpr } from './ast.ts';
import { promqlArgumentError } from './promql-error.ts';
import { quantile } from './range-functions.ts';
import { dropMetricName, emptySeries, labelsKey } from './values.ts';
import type { EvalValue, Labels, StepSeries } from './values.ts';

/** The labels a series keeps in its group (`by` keeps the named ones, `without` drops them and the name). */
export function groupLabels(labels: Labels, grouping: string[], without: boolean): Labels {
  const out: Labels = {};
  if (without) {
    for (const [name, value] of Object.entries(labels)) {
      if (name !== '__name__' && !grouping.includes(name)) out[name] = value;
    }
  } else {
    for (const name of grouping) if (labels[name] !== undefined) out[name] = labels[name];
  }
  return out;
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)` for count_values labels. */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const text = String(v);
  if (!text.includes('e')) return text;
  const [mantissa, exponentText] = text.split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt =
    (mantissa.replace('-', '').indexOf('.') === -1
      ? mantissa.replace('-', '').length
      : mantissa.replace('-', '').indexOf('.')) + exponent;
  let result: string;
  if (pointAt <= 0) result = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) result = digits + '0'.repeat(pointAt - digits.length);
  else result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${result}` : result;
}

/** Evaluates one aggregation over `input` series of `n` steps; `param` is topk's k, quantile's q, ... */
export function evaluateAggregate(
  expr: AggregateExpr,
  input: StepSeries[],
  param: EvalValue | null,
  n: number,
): StepSeries[] {
  const { op, grouping, without } = expr;
  const groups = new Map<string, { labels: Labels; members: StepSeries[] }>();
  for (const series of input) {
    const labels = groupLabels(series.labels, grouping, without);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { labels, members: [] }));
    group.members.push(series);
  }
  const paramValues = param?.kind === 'scalar' ? param.values : null;

  if (op === 'topk' || op === 'bottomk' || op === 'limitk') {
    if (paramValues !== null && paramValues.some((k) => Number.isNaN(k))) {
      throw promqlArgumentError(`Parameter value is NaN for ${op}`);
    }
    return selectK(op, [...groups.values()], paramValues, n);
  }
  if (op === 'count_values') {
    const label = param?.kind === 'string' ? param.value : '';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw promqlArgumentError(`invalid label name "${label}"`);
    return countValues([...groups.values()], label, n);
  }

  const out: StepSeries[] = [];
  const values: number[] = [];
  for (const group of groups.values()) {
    const result = emptySeries(group.labels, n);
    let any = false;
    for (let i = 0; i < n; i++) {
      let count = 0;
      let value = 0;
      let mean = 0;
      values.length = 0;
      for (const series of group.members) {
        if (!series.present[i]) continue;
        const v = series.values[i];
        count++;
        if (count === 1) {
          value = op === 'stddev' || op === 'stdvar' ? 0 : v;
          mean = v;
          if (op === 'quantile') values.push(v);
          continue;
        }
        switch (op) {
          case 'sum':
            value += v;
            break;
          case 'avg':
            if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
              if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) break;
              if (Number.isFinite(v)) break;
            }
            mean += v / count - mean / count;
            break;
          case 'min':
            if (value > v || Number.isNaN(value)) value = v;
            break;
          case 'max':
            if (value < v || Number.isNaN(value)) value = v;
            break;
          case 'stddev':
          case 'stdvar': {
            const delta = v - mean;
            mean += delta / count;
            value += delta * (v - mean);
            break;
          }
          case 'quantile':
            values.push(v);
            break;
          default:
            break;
        }
      }
      if (count === 0) continue;
      any = true;
      result.present[i] = 1;
      switch (op) {
        case 'avg':
          result.values[i] = mean;
          break;
        case 'count':
          result.values[i] = count;
          break;
        case 'group':
          result.values[i] = 1;
          break;
        case 'stdvar':
          result.values[i] = value / count;
          break;
        case 'stddev':
          result.values[i] = Math.sqrt(value / count);
          break;
        case 'quantile':
          result.values[i] = quantile(paramValues ? paramValues[i] : NaN, values);
          break;
        default:
          result.values[i] = value;
      }
    }
    if (any) out.push(result);
  }
  return out;
}

function selectK(
  op: string,
  groups: { labels: Labels; members: StepSeries[] }[],
  k: Float64Array | null,
  n: number,
): StepSeries[] {
  const results = new Map<StepSeries, StepSeries>();
  const order: StepSeries[] = [];
  for (const group of groups) {
    for (const series of group.members) {
      const copy = emptySeries(series.labels, n);
      results.set(series, copy);
      order.push(series);
    }
    for (let i = 0; i < n; i++) {
      const wanted = k === null ? 0 : Math.trunc(k[i]);
      if (!(wanted >= 1)) continue;
      const present = group.members.filter((s) => s.present[i]);
      if (op !== 'limitk') {
        const desc = op === 'topk';
        present.sort((a, b) => {
          const av = a.values[i];
          const bv = b.values[i];
          if (Number.isNaN(av)) return Number.isNaN(bv) ? 0 : 1;
          if (Number.isNaN(bv)) return -1;
          return desc ? bv - av : av - bv;
        });
      }
      for (const series of present.slice(0, wanted)) {
        const copy = results.get(series)!;
        copy.values[i] = series.values[i];
        copy.present[i] = 1;
      }
    }
  }
  const out = order.map((s) => results.get(s)!).filter((s) => s.present.some((p) => p === 1));
  if (n === 1 && op !== 'limitk') {
    // An instant query lists each group's selection best first, as Prometheus does.
    const groupOf = new Map<StepSeries, number>();
    groups.forEach((group, g) => group.members.forEach((member) => groupOf.set(results.get(member)!, g)));
    const desc = op === 'topk';
    out.sort((a, b) => {
      const ga = groupOf.get(a)!;
      const gb = groupOf.get(b)!;
      if (ga !== gb) return ga - gb;
      const av = a.values[0];
      const bv = b.values[0];
      if (Number.isNaN(av)) return Number.isNaN(bv) ? 0 : 1;
      if (Number.isNaN(bv)) return -1;
      return desc ? bv - av : av - bv;
    });
  }
  return out;
}

function countValues(groups: { labels: Labels; members: StepSeries[] }[], label: string, n: number): StepSeries[] {
  const out = new Map<string, StepSeries>();
  for (const group of groups) {
    for (let i = 0; i < n; i++) {
      for (const series of group.members) {
        if (!series.present[i]) continue;
        const labels = { ...dropMetricName(group.labels), [label]: formatFloatPlain(series.values[i]) };
        const key = labelsKey(labels);
        let result = out.get(key);
        if (!result) out.set(key, (result = emptySeries(labels, n)));
        result.values[i] += 1;
        result.present[i] = 1;
      }
    }
  }
  return [...out.values()];
}
