// The line-protocol parser over bytes: the whole syntax, exact 64-bit values, precisions,
// errors that name the line, and a fuzz run of random and mutated bodies (every body either
// parses or is refused with InvalidArguments; nothing else escapes).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { bigIntOfWords } from './int64-words.ts';
import { parseLineProtocol, parseLineProtocolYielding } from './line-protocol.ts';
import type { Precision } from './line-protocol.ts';
import type { TableRows } from './table-rows.ts';

const limits = { maxLines: 10_000 };

function parse(text: string, precision: Precision = 'ns', nowMs = 1_700_000_000_123) {
  return parseLineProtocol(Buffer.from(text), precision, limits, nowMs);
}

/** Row `row` of a table as { column: value } (bigint for 64-bit columns and the time). */
function rowOf(table: TableRows, row: number): Record<string, unknown> {
  const out: Record<string, unknown> = { time: bigIntOfWords(table.timeColumn.words!, row) };
  for (const column of table.columns) {
    if (!column.isSet(row)) continue;
    switch (column.kind) {
      case 'tag':
        out[column.name] = column.dictionary!.stringOf(column.ids![row]!);
        break;
      case 'float64':
        out[column.name] = column.floats![row];
        break;
      case 'int64':
        out[column.name] = bigIntOfWords(column.words!, row);
        break;
      case 'uint64':
        out[column.name] = BigInt.asUintN(64, bigIntOfWords(column.words!, row));
        break;
      case 'boolean':
        out[column.name] = column.bytes![row] === 1;
        break;
      case 'string':
        column.finishStrings(table.rows);
        out[column.name] = Buffer.from(
          column.stringArena!.subarray(column.ids![row]!, column.ids![row + 1]!),
        ).toString();
        break;
    }
  }
  return out;
}

function refused(text: string, pattern: RegExp, precision: Precision = 'ns'): void {
  assert.throws(
    () => parse(text, precision),
    (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('line protocol parser', () => {
  test('tags, every field type, exact nanosecond timestamps', () => {
    const set = parse(
      'cpu,host=a,region=eu usage=0.5,idle=3i,big=-9223372036854775808i,u=18446744073709551615u,ok=t,no=FALSE,msg="x" 1700000000123456789\n',
    );
    const cpu = set.tables[0]!;
    assert.equal(cpu.name, 'cpu');
    assert.deepEqual(rowOf(cpu, 0), {
      time: 1700000000123456789n,
      host: 'a',
      region: 'eu',
      usage: 0.5,
      idle: 3n,
      big: -9223372036854775808n,
      u: 18446744073709551615n,
      ok: true,
      no: false,
      msg: 'x',
    });
  });

  test('float spellings: exponents, signs, long mantissas, integers without i', () => {
    const set = parse('m a=1,b=-1.5,c=1e3,d=1.5E-2,e=+2,f=.5,g=12345678901234567890,h=0.1234567890123456789 1');
    const row = rowOf(set.tables[0]!, 0);
    assert.deepEqual(
      [row.a, row.b, row.c, row.d, row.e, row.f, row.g, row.h],
      [1, -1.5, 1000, 0.015, 2, 0.5, 12345678901234567890, 0.1234567890123456789],
    );
  });

  test('escapes in measurement, tag keys and values, field keys and strings', () => {
    const set = parse(
      'my\\ table\\,x,tag\\ key=va\\,l\\=ue,t2=a\\\\b field\\=key="quote \\" and \\\\ backslash",f\\,2=1 5\n',
    );
    const table = set.tables[0]!;
    assert.equal(table.name, 'my table,x');
    assert.deepEqual(rowOf(table, 0), {
      time: 5n,
      'tag key': 'va,l=ue',
      t2: 'a\\b',
      'field=key': 'quote " and \\ backslash',
      'f,2': 1,
    });
  });

  test('comments, blank lines, CRLF, a missing timestamp is now, sparse columns are null', () => {
    const set = parse('# comment\n\n  \r\ncpu,host=a v=1\r\ncpu,host=b w=2i 10\n', 'ns', 1_700_000_000_123);
    const cpu = set.tables[0]!;
    assert.equal(cpu.rows, 2);
    assert.deepEqual(rowOf(cpu, 0), { time: 1700000000123000000n, host: 'a', v: 1 });
    assert.deepEqual(rowOf(cpu, 1), { time: 10n, host: 'b', w: 2n });
  });

  test('precisions scale to nanoseconds exactly', () => {
    const cases: [Precision, string, bigint][] = [
      ['ns', '1700000000123456789', 1700000000123456789n],
      ['us', '1700000000123456', 1700000000123456000n],
      ['ms', '1700000000123', 1700000000123000000n],
      ['s', '1700000000', 1700000000000000000n],
      ['m', '28333333', 28333333n * 60_000_000_000n],
      ['h', '472222', 472222n * 3_600_000_000_000n],
      ['ns', '-1', -1n],
      ['s', '-2', -2_000_000_000n],
    ];
    for (const [precision, text, expected] of cases) {
      const table = parse(`m v=1 ${text}`, precision).tables[0]!;
      assert.equal(bigIntOfWords(table.timeColumn.words!, 0), expected, `${text} at ${precision}`);
    }
  });

  test('many tables and rows grow their columns', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`t${i % 3},host=h${i % 7} v=${i}i,s="${i}" ${i}`);
    const set = parse(lines.join('\n'));
    assert.equal(set.tables.length, 3);
    assert.equal(set.rows, 3000);
    const t1 = set.tables[1]!;
    assert.deepEqual(rowOf(t1, 500), { time: 1501n, host: `h${1501 % 7}`, v: 1501n, s: '1501' });
  });

  test('series in a repeating order, and breaks in it, get their own tags (the next-series guess)', () => {
    // After `t=a` comes `t=ab` once, so `t=ab` is guessed after `t=a`: a prefix of the next line
    // `t=a` must not match it, and `t=a` must not be taken for `t=ab` either.
    const keys = ['a', 'ab', 'a', 'a', 'ab', 'b\\ c', 'a', 'ab', 'b\\ c', 'b'];
    const set = parse(keys.map((key, i) => `m,t=${key} v=${i}i ${i}`).join('\n'));
    const table = set.tables[0]!;
    assert.equal(table.rows, keys.length);
    for (let row = 0; row < keys.length; row++) {
      assert.deepEqual(rowOf(table, row), { time: BigInt(row), t: keys[row]!.replace('\\ ', ' '), v: BigInt(row) });
    }
  });

  test('malformed lines are refused with their line number', () => {
    refused('cpu v=1\ncpu\n', /line 2: missing fields/);
    refused('cpu v=1\n\ncpu,host v=1', /line 3: tag key without "=value"/);
    refused('cpu,host= v=1', /line 1: empty value for tag host/);
    refused('cpu v=', /line 1: missing field value/);
    refused('cpu v=abc', /line 1: invalid field value "abc"/);
    refused('cpu v=1 12x', /line 1: invalid timestamp/);
    refused('cpu v=1 1 2', /line 1: unexpected text after the timestamp/);
    refused('cpu v="open', /line 1: unterminated string/);
    refused('cpu v=9223372036854775808i', /line 1: integer .* out of range for Int64/);
    refused('cpu v=-1u', /line 1: integer .* out of range for UInt64/);
    refused('cpu v=1 99999999999999999999', /line 1: timestamp .* out of range/);
    refused('cpu v=1 9999999999999', /out of range for precision s/, 's');
    refused(',host=a v=1', /line 1: missing measurement/);
    refused('cpu v=1,', /line 1: field without "=value"/);
    refused('cpu greptime_timestamp=1', /time index/);
  });

  test('a column used with two types in one body is a conflict naming both lines and types', () => {
    refused('cpu v=1 1\ncpu v=2i 2', /line 2: column v of table cpu is Int64 here but Float64 at line 1/);
    refused('cpu,v=a x=1 1\ncpu v=2 2', /line 2: column v of table cpu is Float64 here but String \(tag\) at line 1/);
  });

  test('the yielding parser gives the same rows as the one-shot parser', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 45_000; i++) lines.push(`y,host=h${i % 13} v=${i}i ${i}`);
    const body = Buffer.from(lines.join('\n'));
    const whole = parseLineProtocol(body, 'ns', { maxLines: 100_000 });
    const sliced = await parseLineProtocolYielding(body, 'ns', { maxLines: 100_000 });
    assert.equal(sliced.rows, 45_000);
    for (const row of [0, 19_999, 20_000, 44_999]) {
      assert.deepEqual(rowOf(sliced.tables[0]!, row), rowOf(whole.tables[0]!, row));
    }
  });

  test('the line limit is enforced', () => {
    assert.throws(
      () => parseLineProtocol(Buffer.from('a v=1\na v=2\na v=3'), 'ns', { maxLines: 2 }),
      /more than 2 lines/,
    );
  });

  test('fuzz: random and mutated bodies parse or are refused with InvalidArguments', () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = Buffer.from('abc,= \\"\n\r\t0123456789.-+eEiutTfF#\u00e9xyz');
    const valid = Buffer.from(
      'cpu,host=a,region=eu\\ west usage=0.5,idle=3i,u=7u,ok=true,msg="q\\"s" 1700000000000000000\nmem free=1 2\n',
    );
    let accepted = 0;
    let refusedCount = 0;
    for (let round = 0; round < 3000; round++) {
      let body: Buffer;
      if (round % 2 === 0) {
        body = Buffer.alloc(Math.floor(random() * 80));
        for (let i = 0; i < body.length; i++) body[i] = alphabet[Math.floor(random() * alphabet.length)]!;
      } else {
        body = Buffer.from(valid);
        const edits = 1 + Math.floor(random() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(random() * body.length);
          const what = random();
          if (what < 0.4) body[at] = Math.floor(random() * 256);
          else if (what < 0.7) body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
          else
            body = Buffer.concat([
              body.subarray(0, at),
              Buffer.from([alphabet[at % alphabet.length]!]),
              body.subarray(at),
            ]);
        }
      }
      try {
        const set = parseLineProtocol(body, 'ns', limits, 0);
        for (const table of set.tables) assert.ok(table.rows >= 0);
        accepted++;
      } catch (error) {
        assert.ok(
          error instanceof TesseraError,
          `round ${round}: ${String(error)} for ${JSON.stringify(body.toString('latin1'))}`,
        );
        assert.equal(error.code, ErrorCode.InvalidArguments);
        assert.match(error.message, /line \d+|lines/);
        refusedCount++;
      }
    }
    assert.ok(accepted > 100 && refusedCount > 100, `accepted ${accepted}, refused ${refusedCount}`);
  });
});
