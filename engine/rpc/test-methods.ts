/**
 * Methods and handlers for the rpc tests: the child-process peer (`test-peer-main.ts`) serves
 * them and the tests call them. Handlers record what they observed (items pulled, iterator
 * returned, abort reason) under a caller-chosen id, which the tests read back with `probe`,
 * so server-side effects are checked across the process boundary.
 */
import { Float64, Int64, RecordBatch, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { arrowStream, stream, unary } from './method.ts';
import type { RpcServer } from './rpc-server.ts';
import * as s from './schema.ts';

/** Answers with its request, the caller's address and the deadline the handler saw. */
export const echo = unary(
  'test.echo',
  s.object({ text: s.string(), n: s.optional(s.integer()) }),
  s.object({ text: s.string(), n: s.optional(s.integer()), peer: s.string(), deadline: s.optional(s.number()) }),
);

/** Throws a TesseraError with the given fields, or (plain) a RangeError with the message. */
export const fail = unary(
  'test.fail',
  s.object({ code: s.integer(), message: s.string(), retryable: s.boolean(), plain: s.boolean() }),
  s.object({}),
);

/** Never answers; records the abort reason under `id`. */
export const hang = unary('test.hang', s.object({ id: s.string() }), s.object({}));

/** Answers with a shape its own response schema rejects. */
export const wrongShape = unary('test.wrong-shape', s.object({}), s.object({ n: s.integer() }));

/** Summarizes the request's Arrow attachment. */
export const attachment = unary(
  'test.attachment',
  s.object({}),
  s.object({
    rows: s.integer(),
    columns: s.array(s.string()),
    valueSum: s.number(),
    nullTags: s.integer(),
    lastId: s.string(),
  }),
);

/** Yields `{ i }` for i in 0..count-1 (count < 0: forever), failing at `failAt`; records pulls under `id`. */
export const count = stream(
  'test.count',
  s.object({ id: s.string(), count: s.integer(), failAt: s.optional(s.integer()) }),
  s.object({ i: s.integer() }),
);

/**
 * Yields `batches` batches of `rows` rows made by `makeTestBatch` (with `repeat`, batch 0 every
 * time, so producing one costs nothing); records pulls under `id`.
 */
export const batches = arrowStream(
  'test.batches',
  s.object({ id: s.string(), batches: s.integer(), rows: s.integer(), repeat: s.optional(s.boolean()) }),
);

/** What the handlers observed for `id`. */
export const probe = unary(
  'test.probe',
  s.object({ id: s.string() }),
  s.object({ started: s.boolean(), pulled: s.integer(), returned: s.boolean(), abortCode: s.optional(s.integer()) }),
);

interface Observation {
  /** The handler ran. */
  started: boolean;
  pulled: number;
  returned: boolean;
  abortCode?: number;
}

/**
 * A batch with an Int64 id, a millisecond Timestamp, a Utf8 tag and a Float64 value; tags are
 * null on every 7th row and values on every 5th. Row r of batch b is `expectedRow(b, r)`.
 */
export function makeTestBatch(index: number, rows: number): RecordBatch {
  const ids: bigint[] = [];
  const times: number[] = [];
  const tags: (string | null)[] = [];
  const values: (number | null)[] = [];
  for (let r = 0; r < rows; r++) {
    const row = expectedRow(index, r);
    ids.push(row.id);
    times.push(row.ts);
    tags.push(row.tag);
    values.push(row.value);
  }
  return new RecordBatch({
    id: vectorFromArray(ids, new Int64()).data[0]!,
    ts: vectorFromArray(times, new TimestampMillisecond()).data[0]!,
    tag: vectorFromArray(tags, new Utf8()).data[0]!,
    value: vectorFromArray(values, new Float64()).data[0]!,
  });
}

/** The values `makeTestBatch(index, …)` puts in row `r`. */
export function expectedRow(
  index: number,
  r: number,
): { id: bigint; ts: number; tag: string | null; value: number | null } {
  const n = index * 1_000_000 + r;
  return {
    id: BigInt(n) * 4_294_967_296n + 7n, // beyond 2^53, so BigInt is needed
    ts: 1_700_000_000_000 + n * 1000,
    tag: n % 7 === 0 ? null : `host-${n % 13}-ü`,
    value: n % 5 === 0 ? null : n * 0.25,
  };
}

/** Registers every test method on `server`. */
export function serveTestMethods(server: RpcServer): void {
  const observations = new Map<string, Observation>();
  const observe = (id: string): Observation => {
    let observation = observations.get(id);
    if (observation === undefined) {
      observation = { started: false, pulled: 0, returned: false };
      observations.set(id, observation);
    }
    return observation;
  };
  const recordAbort = (id: string, signal: AbortSignal): void => {
    const reason: unknown = signal.reason;
    observe(id).abortCode = reason instanceof TesseraError ? reason.code : ErrorCode.Unknown;
  };

  server.handle(echo, async (request, context) => ({
    ...request,
    peer: context.peer,
    ...(context.deadline === undefined ? {} : { deadline: context.deadline }),
  }));

  server.handle(fail, async function failingHandler(request) {
    if (request.plain) throw new RangeError(request.message);
    throw new TesseraError(request.code, request.message, { retryable: request.retryable });
  });

  server.handle(hang, (request, context) => {
    observe(request.id).started = true;
    return new Promise((_resolve, reject) => {
      context.signal.addEventListener('abort', () => {
        recordAbort(request.id, context.signal);
        reject(context.signal.reason);
      });
    });
  });

  server.handle(wrongShape, async () => ({ n: 'not a number' }) as unknown as { n: number });

  server.handle(attachment, async (_request, context) => {
    const data = context.data;
    if (data === undefined) throw new TesseraError(ErrorCode.InvalidArguments, 'test.attachment needs an attachment');
    let valueSum = 0;
    const value = data.getChild('value')!;
    for (let r = 0; r < data.numRows; r++) valueSum += (value.get(r) as number | null) ?? 0;
    return {
      rows: data.numRows,
      columns: data.schema.fields.map((field) => `${field.name}:${String(field.type)}`),
      valueSum,
      nullTags: data.getChild('tag')!.nullCount,
      lastId: String(data.getChild('id')!.get(data.numRows - 1)),
    };
  });

  server.handleStream(count, async function* counting(request, context) {
    const observation = observe(request.id);
    observation.started = true;
    context.signal.addEventListener('abort', () => recordAbort(request.id, context.signal));
    try {
      for (let i = 0; request.count < 0 || i < request.count; i++) {
        observation.pulled++;
        if (i === request.failAt) {
          throw new TesseraError(ErrorCode.RegionNotFound, `Region ${i} is not open on datanode 1`, {
            retryable: true,
          });
        }
        yield { i };
      }
    } finally {
      observation.returned = true;
    }
  });

  server.handleStream(batches, async function* batchSource(request, context) {
    const observation = observe(request.id);
    observation.started = true;
    context.signal.addEventListener('abort', () => recordAbort(request.id, context.signal));
    try {
      const first = makeTestBatch(0, request.rows);
      for (let b = 0; b < request.batches; b++) {
        observation.pulled++;
        yield request.repeat === true || b === 0 ? first : makeTestBatch(b, request.rows);
      }
    } finally {
      observation.returned = true;
    }
  });

  server.handle(probe, async (request) => ({ ...observe(request.id) }));
}
