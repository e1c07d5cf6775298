/**
 * Methods for the rpc benchmark, served by `rpc-peer.ts` in a child process. Declared with
 * the public `engine/rpc` surface only, as any module would.
 */
import { RecordBatch, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { arrowStream, s, stream, unary } from '../engine/rpc/index.ts';

/** A small request and response, for round-trip latency. */
export const ping = unary('bench.ping', s.object({ n: s.integer(), text: s.string() }), s.object({ n: s.integer() }));

/** Streams `rows` rows of (ts Int64, tag Utf8, value Float64) in batches of `batchRows`, built before the first pull. */
export const scan = arrowStream('bench.scan', s.object({ rows: s.integer(), batchRows: s.integer() }));

/** Streams `count` small JSON items. */
export const events = stream(
  'bench.events',
  s.object({ count: s.integer() }),
  s.object({ seq: s.integer(), node: s.string() }),
);

/** Accepts an Arrow attachment and answers with its row count (the write path). */
export const write = unary('bench.write', s.object({ table: s.string() }), s.object({ rows: s.integer() }));

/** A scan batch: ts = epoch ms, tag = one of 64 hosts, value = a float. */
export function makeScanBatch(offset: number, rows: number): RecordBatch {
  const ts = new BigInt64Array(rows);
  const tags = new Array<string>(rows);
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const n = offset + r;
    ts[r] = BigInt(1_700_000_000_000 + n * 10);
    tags[r] = `host-${n % 64}`;
    values[r] = n * 0.5;
  }
  return new RecordBatch({
    ts: makeVector(ts).data[0]!,
    tag: vectorFromArray(tags, new Utf8()).data[0]!,
    value: makeVector(values).data[0]!,
  });
}
