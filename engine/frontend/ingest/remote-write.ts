/**
 * Prometheus remote write 1.0 (`prometheus.WriteRequest`, already snappy-decompressed) →
 * `TableRowsSet`, as GreptimeDB stores it without the metric engine: one table per metric
 * (`__name__`), every other label a tag column, `greptime_timestamp` (ms) and
 * `greptime_value` (Float64). Exemplars, histograms and metadata are skipped.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; ... }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 *
 * Label names and values are interned from the body's bytes; sample values are copied as their
 * 8 bytes, so NaN payloads (Prometheus's stale marker) survive.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { setWordsFromNumber } from './int64-words.ts';
import { ProtoReader, wireFixed64, wireLengthDelimited, wireVarint } from './protobuf.ts';
import { TableRowsSet } from './table-rows.ts';
import type { IngestColumn } from './table-rows.ts';

export const greptimeValue = 'greptime_value';
const prometheusTimestamp = 'greptime_timestamp';

const metricNameLabel = Buffer.from('__name__');

function isMetricName(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== metricNameLabel.length) return false;
  for (let i = 0; i < metricNameLabel.length; i++) if (bytes[start + i] !== metricNameLabel[i]) return false;
  return true;
}

export interface RemoteWriteLimits {
  /** Most samples one request may carry. */
  maxSamples: number;
}

/** Decodes a WriteRequest. Series are numbered from 1 in messages. */
export function decodeRemoteWrite(body: Uint8Array, limits: RemoteWriteLimits): TableRowsSet {
  const set = new TableRowsSet(prometheusTimestamp, 'ms', 'series');
  const request = new ProtoReader(body);
  const valueName = Buffer.from(greptimeValue);
  // Per series: label ranges (name start/end, value start/end) and sample offsets.
  let labels: Int32Array = new Int32Array(64);
  let samples: Int32Array = new Int32Array(64);
  let seriesNumber = 0;
  let sampleTotal = 0;
  while (request.next()) {
    if (request.field !== 1) {
      request.skip();
      continue;
    }
    request.expect(wireLengthDelimited);
    const range = request.lengthDelimited();
    seriesNumber++;
    const series = new ProtoReader(body, range.start, range.end);
    let labelCount = 0;
    let sampleCount = 0;
    let nameStart = -1;
    let nameEnd = -1;
    while (series.next()) {
      if (series.field === 1) {
        series.expect(wireLengthDelimited);
        const label = series.lengthDelimited();
        const reader = new ProtoReader(body, label.start, label.end);
        let ls = 0;
        let le = 0;
        let vs = 0;
        let ve = 0;
        while (reader.next()) {
          if (reader.field === 1 || reader.field === 2) {
            reader.expect(wireLengthDelimited);
            const text = reader.lengthDelimited();
            if (reader.field === 1) {
              ls = text.start;
              le = text.end;
            } else {
              vs = text.start;
              ve = text.end;
            }
          } else reader.skip();
        }
        if (le === ls) {
          throw new TesseraError(
            ErrorCode.InvalidArguments,
            `Remote write series ${seriesNumber}: a label has no name`,
          );
        }
        if (isMetricName(body, ls, le)) {
          nameStart = vs;
          nameEnd = ve;
          continue;
        }
        if (labelCount * 4 + 4 > labels.length) labels = grow(labels);
        labels[labelCount * 4] = ls;
        labels[labelCount * 4 + 1] = le;
        labels[labelCount * 4 + 2] = vs;
        labels[labelCount * 4 + 3] = ve;
        labelCount++;
      } else if (series.field === 2) {
        series.expect(wireLengthDelimited);
        const sample = series.lengthDelimited();
        if (sampleCount * 2 + 2 > samples.length) samples = grow(samples);
        samples[sampleCount * 2] = sample.start;
        samples[sampleCount * 2 + 1] = sample.end;
        sampleCount++;
      } else series.skip();
    }
    if (sampleCount === 0) continue;
    if (nameStart < 0 || nameEnd === nameStart) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Remote write series ${seriesNumber}: missing '__name__' label in time-series`,
      );
    }
    sampleTotal += sampleCount;
    if (sampleTotal > limits.maxSamples) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Request has more than ${limits.maxSamples} samples (the limit per request); split it`,
      );
    }
    const table = set.table(body, nameStart, nameEnd, seriesNumber);
    const tagColumns: IngestColumn[] = [];
    const tagIds: number[] = [];
    for (let l = 0; l < labelCount; l++) {
      const vs = labels[l * 4 + 2]!;
      const ve = labels[l * 4 + 3]!;
      const column = table.column(body, labels[l * 4]!, labels[l * 4 + 1]!, 'tag', seriesNumber);
      if (ve === vs) continue; // an empty label value is no label
      tagColumns.push(column);
      tagIds.push(column.dictionary!.intern(body, vs, ve));
    }
    const valueColumn = table.column(valueName, 0, valueName.length, 'float64', seriesNumber);
    let floats = valueColumn.floats!;
    let floatBytes = new Uint8Array(floats.buffer);
    for (let s = 0; s < sampleCount; s++) {
      const row = table.beginRow();
      for (let t = 0; t < tagColumns.length; t++) {
        const column = tagColumns[t]!;
        column.ids![row] = tagIds[t]!;
        column.markSet(row);
      }
      const reader = new ProtoReader(body, samples[s * 2]!, samples[s * 2 + 1]!);
      let timestamp = 0;
      let valueAt = -1;
      while (reader.next()) {
        if (reader.field === 1) {
          reader.expect(wireFixed64);
          valueAt = reader.fixed64();
        } else if (reader.field === 2) {
          reader.expect(wireVarint);
          timestamp = reader.int64();
        } else reader.skip();
      }
      if (valueColumn.floats !== floats) {
        // beginRow grew the column.
        floats = valueColumn.floats!;
        floatBytes = new Uint8Array(floats.buffer);
      }
      if (valueAt >= 0) {
        for (let b = 0; b < 8; b++) floatBytes[row * 8 + b] = body[valueAt + b]!;
      } else floats[row] = 0;
      valueColumn.markSet(row);
      setWordsFromNumber(table.timeColumn.words!, row, timestamp);
      table.commitRow();
    }
  }
  return set;
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
