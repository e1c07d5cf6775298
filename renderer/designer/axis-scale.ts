/**
 * Where a value sits on a drawn axis (0..1) and back, for clicking and dragging splits.
 * Numbers: linear over the splits and the sample's range, with a margin. Strings: the sorted
 * distinct values seen (sample and splits) as an ordinal scale, so dragging snaps to real
 * keys; without a sample, the letters a–z.
 */
import type { PartitionColumnKind, PartitionValue, RowValue } from '../../engine/partition/index.ts';

export type AxisScale =
  { kind: 'linear'; min: number; max: number; integer: boolean } | { kind: 'ordinal'; values: string[] };

const maxOrdinalValues = 5000;

export function axisScale(
  kind: PartitionColumnKind,
  splits: readonly PartitionValue[],
  sample: readonly RowValue[] | undefined,
): AxisScale {
  if (kind === 'string') {
    const seen = new Set<string>(splits.map(String));
    if (sample) {
      // A stride keeps a large sample cheap; the ordinal scale needs shape, not every key.
      const stride = Math.max(1, Math.floor(sample.length / 20_000));
      for (let row = 0; row < sample.length; row += stride) {
        const value = sample[row];
        if (typeof value === 'string') seen.add(value);
      }
    }
    if (seen.size < 3) for (let c = 97; c <= 122; c++) seen.add(String.fromCharCode(c));
    let values = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (values.length > maxOrdinalValues) {
      const keep = new Set(splits.map(String));
      const step = values.length / maxOrdinalValues;
      values = values.filter((value, i) => keep.has(value) || Math.floor(i / step) !== Math.floor((i - 1) / step));
    }
    return { kind: 'ordinal', values };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const split of splits) {
    min = Math.min(min, Number(split));
    max = Math.max(max, Number(split));
  }
  if (sample) {
    for (const value of sample) {
      if (value === null || value === undefined) continue;
      const number = Number(value);
      if (number < min) min = number;
      if (number > max) max = number;
    }
  }
  if (!Number.isFinite(min)) [min, max] = [0, 1000];
  const margin = max > min ? (max - min) * 0.08 : Math.max(1, Math.abs(min) * 0.5);
  return { kind: 'linear', min: min - margin, max: max + margin, integer: kind === 'integer' };
}

export function positionOf(scale: AxisScale, value: RowValue): number {
  if (value === null || value === undefined) return 0;
  if (scale.kind === 'linear') return clamp((Number(value) - scale.min) / (scale.max - scale.min));
  const text = String(value);
  let low = 0;
  let high = scale.values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (scale.values[mid]! < text) low = mid + 1;
    else high = mid;
  }
  return clamp((low + 0.5) / scale.values.length);
}

/** The value at a position: integers rounded, floats to a readable precision, strings snapped to a seen key. */
export function valueAt(scale: AxisScale, position: number): PartitionValue {
  const t = clamp(position);
  if (scale.kind === 'ordinal') {
    return scale.values[Math.min(scale.values.length - 1, Math.floor(t * scale.values.length))]!;
  }
  const raw = scale.min + t * (scale.max - scale.min);
  if (scale.integer) return Math.round(raw);
  const step = 10 ** Math.floor(Math.log10((scale.max - scale.min) / 1000));
  return Number((Math.round(raw / step) * step).toPrecision(12));
}

function clamp(t: number): number {
  return Math.min(1, Math.max(0, t));
}
