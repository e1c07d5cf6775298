/**
 * Encodes Prometheus remote write and read requests, for tests and benchmarks (the server
 * only decodes them): `WriteRequest` from series of labels and samples, `ReadRequest` from
 * queries, both snappy-compressed as on the wire, and a `ReadResponse` decoder.
 */
import type { RemoteReadQuery, RemoteReadSeries } from './ingest-handlers.ts';
import { ProtoReader, ProtoWriter } from './protobuf.ts';
import { snappyCompress } from './snappy.ts';

export interface SeriesToWrite {
  labels: Record<string, string>;
  samples: { value: number; timestamp: number }[];
}

/** A WriteRequest, not compressed. */
export function encodeWriteRequest(series: SeriesToWrite[]): Uint8Array {
  const writer = new ProtoWriter();
  for (const one of series) {
    writer.message(1, (timeseries) => {
      for (const [name, value] of Object.entries(one.labels)) {
        timeseries.message(1, (label) => {
          label.string(1, name);
          label.string(2, value);
        });
      }
      for (const sample of one.samples) {
        timeseries.message(2, (encoded) => {
          encoded.double(1, sample.value);
          encoded.int64(2, sample.timestamp);
        });
      }
    });
  }
  return writer.finish();
}

/** A WriteRequest as Prometheus sends it: snappy block format. */
export function remoteWriteBody(series: SeriesToWrite[]): Uint8Array {
  return snappyCompress(encodeWriteRequest(series));
}

const matcherCodes = { EQ: 0, NEQ: 1, RE: 2, NRE: 3 } as const;

export function remoteReadBody(queries: RemoteReadQuery[]): Uint8Array {
  const writer = new ProtoWriter();
  for (const query of queries) {
    writer.message(1, (encoded) => {
      encoded.int64(1, query.startMs);
      encoded.int64(2, query.endMs);
      for (const matcher of query.matchers) {
        encoded.message(3, (m) => {
          m.int64(1, matcherCodes[matcher.type]);
          m.string(2, matcher.name);
          m.string(3, matcher.value);
        });
      }
    });
  }
  return snappyCompress(writer.finish());
}

/** Decodes a (decompressed) ReadResponse. */
export function decodeReadResponse(bytes: Uint8Array): RemoteReadSeries[][] {
  const text = (range: { start: number; end: number }) =>
    Buffer.from(bytes.subarray(range.start, range.end)).toString();
  const results: RemoteReadSeries[][] = [];
  const response = new ProtoReader(bytes);
  while (response.next()) {
    const result = new ProtoReader(bytes, ...span(response.lengthDelimited()));
    const series: RemoteReadSeries[] = [];
    while (result.next()) {
      const timeseries = new ProtoReader(bytes, ...span(result.lengthDelimited()));
      const one: RemoteReadSeries = { labels: [], timestamps: [], values: [] };
      while (timeseries.next()) {
        const inner = new ProtoReader(bytes, ...span(timeseries.lengthDelimited()));
        if (timeseries.field === 1) {
          const label = { name: '', value: '' };
          while (inner.next()) {
            if (inner.field === 1) label.name = text(inner.lengthDelimited());
            else label.value = text(inner.lengthDelimited());
          }
          one.labels.push(label);
        } else {
          let value = 0;
          let timestamp = 0;
          while (inner.next()) {
            if (inner.field === 1) value = inner.view.getFloat64(inner.fixed64(), true);
            else timestamp = inner.int64();
          }
          one.values.push(value);
          one.timestamps.push(timestamp);
        }
      }
      series.push(one);
    }
    results.push(series);
  }
  return results;
}

function span(range: { start: number; end: number }): [number, number] {
  return [range.start, range.end];
}
