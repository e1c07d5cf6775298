/**
 * What PromQL expressions evaluate to over a range query's steps. Every instant vector
 * series holds one value per step (`values[i]` at `steps[i]`) and `present[i]` says whether
 * it has a sample there, so a whole range query is evaluated in one pass with typed arrays
 * (an instant query is the one-step case). Timestamps are milliseconds.
 */
import { promqlArgumentError } from './promql-error.ts';

/** Label name → value. Empty values are never stored (Prometheus treats them as absent). */
export type Labels = Record<string, string>;

/** An instant vector series across the query's steps. */
export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
  /** The timestamp of the raw sample behind each step (selectors only; for `timestamp()`). */
  sampleTimes?: Float64Array;
}

export type EvalValue =
  | { kind: 'scalar'; values: Float64Array }
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'string'; value: string };

/** Raw samples of one series, ascending by time. */
export interface RawSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

/** Prometheus' staleness marker: a NaN with this exact bit pattern. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const staleView = new DataView(new ArrayBuffer(8));

/** A float64 holding Prometheus' staleness marker. */
export const STALE_NAN: number = (() => {
  staleView.setBigUint64(0, STALE_NAN_BITS);
  return staleView.getFloat64(0);
})();

/** The marker with the quiet bit set: V8 quiets signalling NaNs it stores in plain arrays. */
const QUIET_STALE_NAN_BITS = 0x7ff8000000000002n;

/** Whether `value` is the staleness marker (not just any NaN), quieted or not. */
export function isStaleNaN(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  staleView.setFloat64(0, value);
  const bits = staleView.getBigUint64(0);
  return bits === STALE_NAN_BITS || bits === QUIET_STALE_NAN_BITS;
}

/** A key identifying a label set (sorted names). */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

/** `labels` without `__name__`. */
export function dropMetricName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const copy = { ...labels };
  delete copy.__name__;
  return copy;
}

/** Prometheus' text for a label set: `{a="1", b="2"}`, names sorted. */
export function formatLabels(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((name) => `${name}="${labels[name]}"`).join(', ')}}`;
}

/** An empty step series of `length` steps. */
export function emptySeries(labels: Labels, length: number): StepSeries {
  return { labels, values: new Float64Array(length), present: new Uint8Array(length) };
}

/** Checks that no two series of a vector share a label set at the same step (Prometheus' rule). */
export function checkUniqueLabelSets(series: StepSeries[], n: number, message: string): void {
  const byKey = new Map<string, StepSeries[]>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    const group = byKey.get(key);
    if (group) group.push(s);
    else byKey.set(key, [s]);
  }
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (let i = 0; i < n; i++) {
      let count = 0;
      for (const s of group) if (s.present[i]) count++;
      if (count > 1) throw promqlArgumentError(message);
    }
  }
}

/**
 * A growing Float64Array. Samples must never pass through a plain `number[]`: V8 rewrites every
 * NaN stored in one to a single canonical NaN, which would erase staleness markers.
 */
export class Float64Builder {
  private buffer = new Float64Array(16);
  length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = value;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  set(index: number, value: number): void {
    this.buffer[index] = value;
  }

  /** The values pushed so far (a view, valid until the next push). */
  finish(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}
