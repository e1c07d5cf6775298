import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { tokenize } from './lexer.ts';

function kinds(sql: string): string[] {
  return tokenize(sql)
    .filter((token) => token.kind !== 'eof')
    .map((token) => `${token.kind}:${token.value}`);
}

test('lexer: words, numbers, strings, quoted identifiers, operators', () => {
  assert.deepEqual(kinds(`SELECT a1, "Mixed Case", \`back\`, 'it''s', 1.5e-3, .5 FROM t;`), [
    'word:SELECT',
    'word:a1',
    'operator:,',
    'quoted-identifier:Mixed Case',
    'operator:,',
    'quoted-identifier:back',
    'operator:,',
    "string:it's",
    'operator:,',
    'number:1.5e-3',
    'operator:,',
    'number:.5',
    'word:FROM',
    'word:t',
    'operator:;',
  ]);
});

test('lexer: multi-character operators are taken whole', () => {
  assert.deepEqual(kinds('a::int <= b <> c != d || e >= f << g ->> h !~* i ~* j'), [
    'word:a',
    'operator:::',
    'word:int',
    'operator:<=',
    'word:b',
    'operator:<>',
    'word:c',
    'operator:!=',
    'word:d',
    'operator:||',
    'word:e',
    'operator:>=',
    'word:f',
    'operator:<<',
    'word:g',
    'operator:->>',
    'word:h',
    'operator:!~*',
    'word:i',
    'operator:~*',
    'word:j',
  ]);
});

test('lexer: GreptimeDB identifier characters and @@', () => {
  assert.deepEqual(kinds('@@session.time_zone, a$b, #tmp, x @@ y'), [
    'word:@@session',
    'operator:.',
    'word:time_zone',
    'operator:,',
    'word:a$b',
    'operator:,',
    'word:#tmp',
    'operator:,',
    'word:x',
    'operator:@@',
    'word:y',
  ]);
});

test('lexer: doubled quotes escape in names, backslashes only in E strings', () => {
  const [name, plain, escaped] = tokenize(`"a""b" 'c\\n' E'd\\n\\'e'`);
  assert.equal(name.value, 'a"b');
  assert.equal(plain.value, 'c\\n');
  assert.equal(escaped.value, "d\n'e");
  assert.equal(escaped.quote, 'E');
});

test('lexer: hex literals and placeholders', () => {
  assert.deepEqual(kinds("X'0aFF' 0x1f $1 $name ?"), [
    'hex-string:0aFF',
    'hex-string:1f',
    'placeholder:$1',
    'placeholder:$name',
    'placeholder:?',
  ]);
});

test('lexer: dollar-quoted strings, with and without a tag', () => {
  assert.deepEqual(kinds("$$it's$$ $fn$a $$ b$fn$ $1"), ["string:it's", 'string:a $$ b', 'placeholder:$1']);
  assert.throws(() => tokenize('SELECT $$open'), /Unterminated dollar-quoted string at line 1, column 8/);
});

test('lexer: comments produce no tokens, nested block comments close properly', () => {
  assert.deepEqual(kinds('SELECT -- one\n 1 /* two /* three */ still */ + 2'), [
    'word:SELECT',
    'number:1',
    'operator:+',
    'number:2',
  ]);
});

test('lexer: spans carry offsets, lines and code-point columns', () => {
  const tokens = tokenize("SELECT\n  '😀', x");
  const x = tokens[3];
  assert.equal(x.value, 'x');
  assert.deepEqual(x.span, { start: 15, end: 16, line: 2, column: 8 });
  const eof = tokens[tokens.length - 1];
  assert.equal(eof.kind, 'eof');
  assert.equal(eof.span.start, 16);
});

test('lexer: unicode letters are name characters', () => {
  assert.deepEqual(kinds('SELECT 名前, café'), ['word:SELECT', 'word:名前', 'operator:,', 'word:café']);
});

test('lexer: errors name the problem and the position', () => {
  const cases: [string, string][] = [
    ["SELECT 'abc", 'Unterminated string literal at line 1, column 8'],
    ['SELECT "abc', 'Unterminated quoted identifier at line 1, column 8'],
    ['SELECT 1 /* never closed', 'Unterminated block comment at line 1, column 10'],
    ['SELECT\n  1 ¤ 2', "Unexpected character '¤' at line 2, column 5"],
    ["SELECT X'zz'", "Invalid hex string literal X'zz' at line 1, column 8"],
  ];
  for (const [sql, message] of cases) {
    assert.throws(
      () => tokenize(sql),
      (error: unknown) =>
        error instanceof TesseraError && error.code === ErrorCode.InvalidSyntax && error.message === message,
      sql,
    );
  }
});
