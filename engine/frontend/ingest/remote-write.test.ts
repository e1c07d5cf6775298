// The remote write decoder: series → one table per metric, labels as tags, exact sample
// bytes (NaN payloads), negative and large timestamps, unknown fields skipped, and refusals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { bigIntOfWords } from './int64-words.ts';
import { ProtoWriter } from './protobuf.ts';
import { decodeRemoteWrite } from './remote-write.ts';
import { encodeWriteRequest } from './remote-write-encoder.ts';

const limits = { maxSamples: 1000 };

describe('remote write decoder', () => {
  test('series become rows of their metric table with tags, value and time', () => {
    const set = decodeRemoteWrite(
      encodeWriteRequest([
        { labels: { __name__: 'up', job: 'a', instance: 'x' }, samples: [{ value: 1, timestamp: 1700000000000 }] },
        {
          labels: { job: 'b', __name__: 'up' },
          samples: [
            { value: 0, timestamp: -5 },
            { value: 2.5, timestamp: 8 },
          ],
        },
        { labels: { __name__: 'other', empty: '' }, samples: [{ value: 3, timestamp: 9007199254740991 }] },
      ]),
      limits,
    );
    const [up, other] = set.tables;
    assert.equal(up!.name, 'up');
    assert.equal(up!.rows, 3);
    const job = up!.columns.find((column) => column.name === 'job')!;
    const instance = up!.columns.find((column) => column.name === 'instance')!;
    const value = up!.columns.find((column) => column.name === 'greptime_value')!;
    assert.deepEqual(
      [0, 1, 2].map((row) => job.dictionary!.stringOf(job.ids![row]!)),
      ['a', 'b', 'b'],
    );
    assert.deepEqual(
      [0, 1, 2].map((row) => instance.isSet(row)),
      [true, false, false],
    );
    assert.deepEqual([...value.floats!.subarray(0, 3)], [1, 0, 2.5]);
    assert.deepEqual(
      [0, 1, 2].map((row) => bigIntOfWords(up!.timeColumn.words!, row)),
      [1700000000000n, -5n, 8n],
    );
    assert.equal(bigIntOfWords(other!.timeColumn.words!, 0), 9007199254740991n);
    assert.ok(!other!.columns.find((column) => column.name === 'empty')!.isSet(0), 'an empty label value is no label');
  });

  test('sample values keep their exact bits (the stale marker NaN)', () => {
    const stale = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0]!;
    const set = decodeRemoteWrite(
      encodeWriteRequest([{ labels: { __name__: 'm' }, samples: [{ value: stale, timestamp: 1 }] }]),
      limits,
    );
    const floats = set.tables[0]!.columns.find((column) => column.name === 'greptime_value')!.floats!;
    assert.equal(new BigUint64Array(floats.buffer, 0, 1)[0], 0x7ff0000000000002n);
  });

  test('unknown fields (metadata, exemplars) are skipped', () => {
    const writer = new ProtoWriter();
    writer.message(3, (metadata) => metadata.string(2, 'help text'));
    writer.message(1, (series) => {
      series.message(1, (label) => {
        label.string(1, '__name__');
        label.string(2, 'm');
      });
      series.message(3, (exemplar) => exemplar.double(2, 1));
      series.message(2, (sample) => {
        sample.double(1, 7);
        sample.int64(2, 3);
      });
    });
    const set = decodeRemoteWrite(writer.finish(), limits);
    assert.equal(set.rows, 1);
  });

  test('refusals: no metric name, truncated bytes, too many samples', () => {
    const refused = (body: Uint8Array, pattern: RegExp, max = 1000) =>
      assert.throws(
        () => decodeRemoteWrite(body, { maxSamples: max }),
        (error: unknown) =>
          error instanceof TesseraError && error.code === ErrorCode.InvalidArguments && pattern.test(error.message),
      );
    refused(
      encodeWriteRequest([{ labels: { job: 'x' }, samples: [{ value: 1, timestamp: 1 }] }]),
      /series 1: missing '__name__'/,
    );
    const good = encodeWriteRequest([{ labels: { __name__: 'm' }, samples: [{ value: 1, timestamp: 1 }] }]);
    refused(good.subarray(0, good.length - 3), /Malformed protobuf message/);
    refused(
      encodeWriteRequest([
        { labels: { __name__: 'm' }, samples: [1, 2, 3].map((timestamp) => ({ value: 1, timestamp })) },
      ]),
      /more than 2 samples/,
      2,
    );
  });
});
