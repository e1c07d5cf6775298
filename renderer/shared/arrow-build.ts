/**
 * Building Arrow vectors from plain JS values without Arrow's builders: the builders compile
 * their null checks with `new Function`, which the app's CSP (no 'unsafe-eval') forbids. Here
 * the buffers are filled directly and wrapped with `makeData`.
 */
import { Bool, Float64, makeData, makeVector, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { Vector } from 'apache-arrow';

function validity(values: readonly unknown[]): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((value, i) => {
    if (value === null || value === undefined) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { bitmap, nulls };
}

export function float64Vector(values: readonly (number | null | undefined)[]): Vector<Float64> {
  const { bitmap, nulls } = validity(values);
  const data = Float64Array.from(values, (v) => (v === null || v === undefined ? 0 : Number(v)));
  return makeVector(
    makeData({ type: new Float64(), length: values.length, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data }),
  );
}

export function timestampMsVector(values: readonly (number | null | undefined)[]): Vector<TimestampMillisecond> {
  const { bitmap, nulls } = validity(values);
  const data = BigInt64Array.from(values, (v) => BigInt(v === null || v === undefined ? 0 : Math.round(Number(v))));
  return makeVector(
    makeData({
      type: new TimestampMillisecond(),
      length: values.length,
      nullCount: nulls,
      nullBitmap: nulls ? bitmap : null,
      data,
    }),
  );
}

export function boolVector(values: readonly (boolean | null | undefined)[]): Vector<Bool> {
  const { bitmap, nulls } = validity(values);
  const data = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v) data[i >> 3]! |= 1 << (i & 7);
  });
  return makeVector(
    makeData({ type: new Bool(), length: values.length, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data }),
  );
}

export function utf8Vector(values: readonly (string | null | undefined)[]): Vector<Utf8> {
  const { bitmap, nulls } = validity(values);
  const encoder = new TextEncoder();
  const parts = values.map((v) => encoder.encode(v ?? ''));
  const valueOffsets = new Int32Array(values.length + 1);
  parts.forEach((part, i) => {
    valueOffsets[i + 1] = valueOffsets[i]! + part.length;
  });
  const data = new Uint8Array(valueOffsets[values.length]!);
  parts.forEach((part, i) => data.set(part, valueOffsets[i]!));
  return makeVector(
    makeData({
      type: new Utf8(),
      length: values.length,
      nullCount: nulls,
      nullBitmap: nulls ? bitmap : null,
      valueOffsets,
      data,
    }),
  );
}

/** A column of JSON values as the vector its GreptimeDB `data_type` suggests. */
export function vectorForJson(dataType: string, values: unknown[]): Vector {
  if (/^Timestamp/.test(dataType)) {
    const scale = /Nanosecond/.test(dataType)
      ? 1e-6
      : /Microsecond/.test(dataType)
        ? 1e-3
        : /Second$/.test(dataType)
          ? 1000
          : 1;
    return timestampMsVector(values.map((v) => (v === null || v === undefined ? null : Number(v) * scale)));
  }
  if (/^(U?Int|Float|Decimal)/.test(dataType))
    return float64Vector(values.map((v) => (v === null || v === undefined ? null : Number(v))));
  if (dataType === 'Boolean') return boolVector(values.map((v) => (v === null || v === undefined ? null : Boolean(v))));
  return utf8Vector(
    values.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v))),
  );
}
