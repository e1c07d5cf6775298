/**
 * Functions over instant vectors and scalars (`abs`, `clamp`, `label_replace`,
 * `histogram_quantile`, `scalar`, `vector`, date functions, ...) with Prometheus 2.x
 * semantics: math functions drop `__name__`; `sort*`, `label_*` keep it.
 */
import { promqlArgumentError } from './promql-error.ts';
import { promqlRegex } from './regex.ts';
import { checkUniqueLabelSets, dropMetricName, emptySeries, labelsKey } from './values.ts';
import type { EvalValue, Labels, StepSeries } from './values.ts';

const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
  acos: Math.acos,
  acosh: Math.acosh,
  asin: Math.asin,
  asinh: Math.asinh,
  atan: Math.atan,
  atanh: Math.atanh,
  cos: Math.cos,
  cosh: Math.cosh,
  sin: Math.sin,
  sinh: Math.sinh,
  tan: Math.tan,
  tanh: Math.tanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

const DATE: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => {
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return Math.floor((d.getTime() - start) / 86_400_000) + 1;
  },
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function mapSeries(series: StepSeries[], fn: (v: number, i: number) => number, keepName = false): StepSeries[] {
  return series.map((s) => {
    const values = new Float64Array(s.values.length);
    for (let i = 0; i < values.length; i++) if (s.present[i]) values[i] = fn(s.values[i], i);
    return { labels: keepName ? s.labels : dropMetricName(s.labels), values, present: s.present };
  });
}

function vectorArg(value: EvalValue | undefined): StepSeries[] {
  return value?.kind === 'vector' ? value.series : [];
}

function scalarArg(value: EvalValue | undefined, n: number, fallback: number): Float64Array {
  return value?.kind === 'scalar' ? value.values : new Float64Array(n).fill(fallback);
}

function stringArg(value: EvalValue | undefined): string {
  return value?.kind === 'string' ? value.value : '';
}

/** Calls instant function `func` on evaluated `args` over `steps` (ms). */
export function callInstantFunction(func: string, args: EvalValue[], steps: Float64Array): EvalValue {
  const n = steps.length;
  const math = MATH[func];
  if (math !== undefined) return { kind: 'vector', series: mapSeries(vectorArg(args[0]), math) };
  const date = DATE[func];
  if (date !== undefined) {
    if (args.length === 0) {
      const series = emptySeries({}, n);
      for (let i = 0; i < n; i++) {
        series.values[i] = date(new Date(steps[i]));
        series.present[i] = 1;
      }
      return { kind: 'vector', series: n > 0 ? [series] : [] };
    }
    return {
      kind: 'vector',
      series: mapSeries(vectorArg(args[0]), (v) => (Number.isFinite(v) ? date(new Date(Math.trunc(v) * 1000)) : NaN)),
    };
  }
  switch (func) {
    case 'clamp': {
      const min = scalarArg(args[1], n, NaN);
      const max = scalarArg(args[2], n, NaN);
      const series = mapSeries(vectorArg(args[0]), (v, i) => Math.max(min[i], Math.min(max[i], v)));
      for (const s of series) {
        const present = new Uint8Array(s.present);
        for (let i = 0; i < n; i++) if (max[i] < min[i]) present[i] = 0;
        s.present = present;
      }
      return { kind: 'vector', series: series.filter((s) => s.present.some((p) => p === 1)) };
    }
    case 'clamp_min': {
      const min = scalarArg(args[1], n, NaN);
      return {
        kind: 'vector',
        series: mapSeries(vectorArg(args[0]), (v, i) => (Number.isNaN(min[i]) ? NaN : Math.max(min[i], v))),
      };
    }
    case 'clamp_max': {
      const max = scalarArg(args[1], n, NaN);
      return {
        kind: 'vector',
        series: mapSeries(vectorArg(args[0]), (v, i) => (Number.isNaN(max[i]) ? NaN : Math.min(max[i], v))),
      };
    }
    case 'round': {
      const to = scalarArg(args[1], n, 1);
      return {
        kind: 'vector',
        series: mapSeries(vectorArg(args[0]), (v, i) => {
          const inverse = 1 / to[i];
          return Math.floor(v * inverse + 0.5) / inverse;
        }),
      };
    }
    case 'timestamp':
      return {
        kind: 'vector',
        series: vectorArg(args[0]).map((s) => {
          const values = new Float64Array(n);
          for (let i = 0; i < n; i++)
            if (s.present[i]) values[i] = (s.sampleTimes ? s.sampleTimes[i] : steps[i]) / 1000;
          return { labels: dropMetricName(s.labels), values, present: s.present };
        }),
      };
    case 'vector': {
      const series = emptySeries({}, n);
      series.values.set(scalarArg(args[0], n, NaN));
      series.present.fill(1);
      return { kind: 'vector', series: n > 0 ? [series] : [] };
    }
    case 'scalar': {
      const input = vectorArg(args[0]);
      const values = new Float64Array(n).fill(NaN);
      for (let i = 0; i < n; i++) {
        let count = 0;
        let value = NaN;
        for (const s of input) {
          if (s.present[i]) {
            count++;
            value = s.values[i];
          }
        }
        if (count === 1) values[i] = value;
      }
      return { kind: 'scalar', values };
    }
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return { kind: 'vector', series: sortSeries(func, vectorArg(args[0]), args.slice(1).map(stringArg)) };
    case 'label_replace':
      return { kind: 'vector', series: labelReplace(vectorArg(args[0]), args.slice(1).map(stringArg), n) };
    case 'label_join':
      return { kind: 'vector', series: labelJoin(vectorArg(args[0]), args.slice(1).map(stringArg), n) };
    case 'histogram_fraction':
    case 'histogram_count':
    case 'histogram_sum':
      return { kind: 'vector', series: [] };
    case 'histogram_quantile':
      return { kind: 'vector', series: histogramQuantile(scalarArg(args[0], n, NaN), vectorArg(args[1]), n) };
    default:
      throw promqlArgumentError(`function ${func} is not supported`);
  }
}

/** Orders series for an instant query (by the first step's value, or by labels). */
function sortSeries(func: string, series: StepSeries[], labels: string[]): StepSeries[] {
  const sorted = [...series];
  const desc = func.endsWith('_desc');
  if (func.startsWith('sort_by_label')) {
    sorted.sort((a, b) => {
      for (const name of labels) {
        const cmp = (a.labels[name] ?? '').localeCompare(b.labels[name] ?? '', undefined, { numeric: true });
        if (cmp !== 0) return desc ? -cmp : cmp;
      }
      const cmp = labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1;
      return desc ? -cmp : cmp;
    });
    return sorted;
  }
  const first = (s: StepSeries) => {
    const i = s.present.indexOf(1);
    return i < 0 ? NaN : s.values[i];
  };
  sorted.sort((a, b) => {
    const av = first(a);
    const bv = first(b);
    if (Number.isNaN(av)) return Number.isNaN(bv) ? 0 : 1;
    if (Number.isNaN(bv)) return -1;
    return desc ? bv - av : av - bv;
  });
  return sorted;
}

function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\{([a-zA-Z0-9_]+)\}|([a-zA-Z0-9_]+)|(\$))/g, (_all, braced, bare, dollar) => {
    if (dollar) return '$';
    const name: string = braced ?? bare;
    if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}

function withLabel(labels: Labels, name: string, value: string): Labels {
  const copy = { ...labels };
  if (value === '') delete copy[name];
  else copy[name] = value;
  return copy;
}

function labelReplace(series: StepSeries[], [dst, replacement, src, pattern]: string[], n: number): StepSeries[] {
  let re: RegExp;
  try {
    re = promqlRegex(pattern);
  } catch {
    throw promqlArgumentError(`Invalid regular expression in label_replace(): ${pattern}`);
  }
  if (!LABEL_NAME.test(dst)) throw promqlArgumentError(`Invalid destination label name in label_replace(): ${dst}`);
  const out = series.map((s) => {
    const match = re.exec(s.labels[src] ?? '');
    if (match === null) return s;
    return { ...s, labels: withLabel(s.labels, dst, expandTemplate(replacement, match)) };
  });
  checkUniqueLabelSets(out, n, 'vector cannot contain metrics with the same labelset');
  return out;
}

function labelJoin(series: StepSeries[], [dst, separator, ...sources]: string[], n: number): StepSeries[] {
  if (!LABEL_NAME.test(dst)) throw promqlArgumentError(`Invalid destination label name in label_join(): ${dst}`);
  const out = series.map((s) => ({
    ...s,
    labels: withLabel(s.labels, dst, sources.map((name) => s.labels[name] ?? '').join(separator)),
  }));
  checkUniqueLabelSets(out, n, 'vector cannot contain metrics with the same labelset');
  return out;
}

interface Bucket {
  upper: number;
  series: StepSeries;
}

/** Classic-bucket `histogram_quantile(q, buckets)` (Prometheus' bucketQuantile). */
function histogramQuantile(q: Float64Array, series: StepSeries[], n: number): StepSeries[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of series) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const upper = parseBound(le);
    if (Number.isNaN(upper)) continue;
    const labels = dropMetricName({ ...s.labels });
    delete labels.le;
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { labels, buckets: [] }));
    group.buckets.push({ upper, series: s });
  }
  const out: StepSeries[] = [];
  for (const group of groups.values()) {
    group.buckets.sort((a, b) => a.upper - b.upper);
    const result = emptySeries(group.labels, n);
    let any = false;
    const uppers: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      uppers.length = 0;
      counts.length = 0;
      for (const bucket of group.buckets) {
        if (!bucket.series.present[i]) continue;
        const last = uppers.length - 1;
        if (last >= 0 && uppers[last] === bucket.upper) counts[last] += bucket.series.values[i];
        else {
          uppers.push(bucket.upper);
          counts.push(bucket.series.values[i]);
        }
      }
      if (uppers.length === 0) continue;
      result.values[i] = bucketQuantile(q[i], uppers, counts);
      result.present[i] = 1;
      any = true;
    }
    if (any) out.push(result);
  }
  return out;
}

function parseBound(text: string): number {
  const lower = text.trim().toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return text.trim() === '' ? NaN : Number(text);
}

function bucketQuantile(q: number, uppers: number[], counts: number[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const n = uppers.length;
  if (uppers[n - 1] !== Infinity) return NaN;
  if (n < 2) return NaN;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (counts[i] > max || Number.isNaN(max)) max = counts[i];
    else if (counts[i] < max) counts[i] = max;
  }
  const observations = counts[n - 1];
  if (observations === 0 || Number.isNaN(observations)) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < n - 1 && !(counts[b] >= rank)) b++;
  if (b === n - 1) return uppers[n - 2];
  if (b === 0 && uppers[0] <= 0) return uppers[0];
  let bucketStart = 0;
  const bucketEnd = uppers[b];
  let count = counts[b];
  if (b > 0) {
    bucketStart = uppers[b - 1];
    count -= counts[b - 1];
    rank -= counts[b - 1];
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
