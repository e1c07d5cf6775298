/**
 * Prometheus remote read 1.0 messages: `ReadRequest` in (snappy-decompressed), `ReadResponse`
 * out (sampled series; the streamed XOR-chunk response type is not offered, so clients fall
 * back to samples as the protocol allows).
 *
 *   ReadRequest  { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
 *   Query        { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
 *                  repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
 *   LabelMatcher { Type type = 1 (EQ, NEQ, RE, NRE); string name = 2; string value = 3; }
 *   ReadResponse { repeated QueryResult results = 1; }
 *   QueryResult  { repeated TimeSeries timeseries = 1; }
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RemoteReadQuery, RemoteReadSeries } from './ingest-handlers.ts';
import { ProtoReader, ProtoWriter, wireLengthDelimited, wireVarint } from './protobuf.ts';

const matcherTypes = ['EQ', 'NEQ', 'RE', 'NRE'] as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array, range: { start: number; end: number }): string {
  try {
    return utf8.decode(bytes.subarray(range.start, range.end));
  } catch {
    throw new TesseraError(ErrorCode.InvalidArguments, 'Remote read: a label name or value is not UTF-8');
  }
}

export function decodeReadRequest(body: Uint8Array): RemoteReadQuery[] {
  const queries: RemoteReadQuery[] = [];
  const request = new ProtoReader(body);
  while (request.next()) {
    if (request.field !== 1) {
      request.skip();
      continue;
    }
    request.expect(wireLengthDelimited);
    const range = request.lengthDelimited();
    const reader = new ProtoReader(body, range.start, range.end);
    const query: RemoteReadQuery = { startMs: 0, endMs: 0, matchers: [] };
    while (reader.next()) {
      if (reader.field === 1 || reader.field === 2) {
        reader.expect(wireVarint);
        const value = reader.int64();
        if (reader.field === 1) query.startMs = value;
        else query.endMs = value;
      } else if (reader.field === 3) {
        reader.expect(wireLengthDelimited);
        const matcherRange = reader.lengthDelimited();
        const matcher = new ProtoReader(body, matcherRange.start, matcherRange.end);
        let type = 0;
        let name = '';
        let value = '';
        while (matcher.next()) {
          if (matcher.field === 1) {
            matcher.expect(wireVarint);
            type = matcher.varint();
          } else if (matcher.field === 2 || matcher.field === 3) {
            matcher.expect(wireLengthDelimited);
            const content = text(body, matcher.lengthDelimited());
            if (matcher.field === 2) name = content;
            else value = content;
          } else matcher.skip();
        }
        const kind = matcherTypes[type];
        if (!kind) throw new TesseraError(ErrorCode.InvalidArguments, `Remote read: unknown matcher type ${type}`);
        query.matchers.push({ type: kind, name, value });
      } else reader.skip();
    }
    queries.push(query);
  }
  return queries;
}

export function encodeReadResponse(results: RemoteReadSeries[][]): Uint8Array {
  const response = new ProtoWriter();
  for (const series of results) {
    response.message(1, (result) => {
      for (const one of series) {
        result.message(1, (timeseries) => {
          for (const label of one.labels) {
            timeseries.message(1, (writer) => {
              writer.string(1, label.name);
              writer.string(2, label.value);
            });
          }
          for (let i = 0; i < one.timestamps.length; i++) {
            timeseries.message(2, (sample) => {
              sample.double(1, one.values[i]!);
              sample.int64(2, one.timestamps[i]!);
            });
          }
        });
      }
    });
  }
  return response.finish();
}
