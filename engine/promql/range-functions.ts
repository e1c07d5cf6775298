/**
 * Functions over a range vector window (`rate(x[5m])`, `avg_over_time`, ...), following
 * Prometheus 2.x: each gets the samples of one series in [t - range, t] (both ends inclusive)
 * as two typed arrays and an index range, and returns one value or NaN-with-no-result
 * (`undefined`). Sums use Kahan compensation as Prometheus does.
 */
import { promqlArgumentError } from './promql-error.ts';

/** The samples of one window: `ts[lo..hi)` / `vs[lo..hi)`; `rangeStart`/`rangeEnd` in ms. */
export interface Window {
  ts: Float64Array;
  vs: Float64Array;
  lo: number;
  hi: number;
  rangeStart: number;
  rangeEnd: number;
  /** The query step's time (not moved by `@` or `offset`): `predict_linear` extrapolates from it. */
  stepTime: number;
}

/** Extra scalar arguments (`predict_linear`'s t, `quantile_over_time`'s q, ...) at this step. */
export type RangeFunction = (w: Window, params: number[]) => number | undefined;

function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const n = w.hi - w.lo;
  if (n < 2) return undefined;
  const { ts, vs, lo, hi } = w;
  const first = vs[lo];
  const last = vs[hi - 1];
  let result = last - first;
  if (isCounter) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      if (vs[i] < prev) result += prev;
      prev = vs[i];
    }
  }
  const firstT = ts[lo];
  const lastT = ts[hi - 1];
  let durationToStart = (firstT - w.rangeStart) / 1000;
  const durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageBetween = sampledInterval / (n - 1);
  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageBetween * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
  result *= extrapolateTo / sampledInterval;
  if (isRate) result /= (w.rangeEnd - w.rangeStart) / 1000;
  return result;
}

function instantDelta(w: Window, isRate: boolean): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  const last = w.vs[w.hi - 1];
  const prev = w.vs[w.hi - 2];
  const dt = (w.ts[w.hi - 1] - w.ts[w.hi - 2]) / 1000;
  if (isRate && dt === 0) return undefined;
  let result = isRate && last < prev ? last : last - prev;
  if (isRate) result /= dt;
  return result;
}

/** Least squares slope and intercept at `interceptTime` (ms), as Prometheus' linearRegression. */
function linearRegression(w: Window, interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  let initY = w.vs[w.lo];
  let constY = true;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i];
    if (constY && i > w.lo && v !== initY) constY = false;
    n++;
    const x = (w.ts[i] - interceptTime) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(v, sumY, cY);
    [sumXY, cXY] = kahanInc(x * v, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY)) initY = initY + 0;
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Prometheus' quantile over unsorted values (`quantile_over_time`, `quantile`). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Prometheus sorts NaN below every number.
  const sorted = [...values].sort((a, b) =>
    Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b,
  );
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

function avgOverTime(w: Window): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i];
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanInc(v / count - mean / count, mean, c);
  }
  return !Number.isFinite(mean) && !Number.isNaN(mean) ? mean : mean + c;
}

function variance(w: Window): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i];
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function holtWinters(w: Window, params: number[]): number | undefined {
  const [sf, tf] = params;
  if (!(sf > 0 && sf < 1)) throw promqlArgumentError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  if (!(tf > 0 && tf < 1)) throw promqlArgumentError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  const n = w.hi - w.lo;
  if (n < 2) return undefined;
  let s1 = w.vs[w.lo];
  let b = w.vs[w.lo + 1] - w.vs[w.lo];
  let s0 = 0;
  for (let i = 1; i < n; i++) {
    const x = sf * w.vs[w.lo + i];
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    s0 = s1;
    s1 = x + (1 - sf) * (s0 + b);
  }
  return s1;
}

/** Range functions by name. */
export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantDelta(w, true),
  idelta: (w) => instantDelta(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.ts[w.lo])[0]),
  predict_linear: (w, [duration]) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.stepTime);
    return slope * duration + intercept;
  },
  resets: (w) => {
    let resets = 0;
    for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i] < w.vs[i - 1]) resets++;
    return resets;
  },
  changes: (w) => {
    let changes = 0;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const a = w.vs[i];
      const b = w.vs[i - 1];
      if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) changes++;
    }
    return changes;
  },
  avg_over_time: avgOverTime,
  sum_over_time: (w) => {
    let sum = 0;
    let c = 0;
    for (let i = w.lo; i < w.hi; i++) [sum, c] = kahanInc(w.vs[i], sum, c);
    return Number.isFinite(sum) ? sum + c : sum;
  },
  min_over_time: (w) => {
    let min = w.vs[w.lo];
    for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i] < min || Number.isNaN(min)) min = w.vs[i];
    return min;
  },
  max_over_time: (w) => {
    let max = w.vs[w.lo];
    for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i] > max || Number.isNaN(max)) max = w.vs[i];
    return max;
  },
  count_over_time: (w) => w.hi - w.lo,
  last_over_time: (w) => w.vs[w.hi - 1],
  present_over_time: () => 1,
  stdvar_over_time: (w) => variance(w),
  stddev_over_time: (w) => Math.sqrt(variance(w)),
  quantile_over_time: (w, [q]) => quantile(q, Array.from(w.vs.subarray(w.lo, w.hi))),
  holt_winters: holtWinters,
  double_exponential_smoothing: holtWinters,
};
