/**
 * Conformance of the parser against GreptimeDB's own SQL regression cases (the sqlness kit in
 * ../shared/conformance/sqlness, see its README). Every statement of every `*.sql` case is
 * parsed and judged by its expected output in the `.result` file:
 *
 * - if GreptimeDB answered with an error its SQL parser raises (see `parserErrorCode`), the
 *   statement must be rejected; otherwise it must parse (a planning or execution error comes
 *   later, from other modules, so the statement itself is well formed);
 * - whatever happens, only TesseraErrors may be thrown: anything else is a crash.
 *
 * The score is printed; floors just below the current score guard it (scores only go up).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { parseSql } from './parse-statement.ts';

const CASES_DIR = fileURLToPath(new URL('../../../shared/conformance/sqlness/cases', import.meta.url));

/** Floors: raise them when the parser gets better, never lower them. */
const MIN_PARSED_SHARE = 0.999;
const MIN_REJECTED_SHARE = 0.95;

interface CaseStatement {
  file: string;
  sql: string;
  expected: string;
}

/** `BufRead::lines()` as sqlness reads files: split on \n, drop one \r, no final empty line. */
function lines(text: string): string[] {
  const result = text.split('\n');
  if (result.length > 0 && result[result.length - 1] === '') result.pop();
  return result.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * Splits a case file as sqlness does: `--` lines are comments (interceptors such as
 * `-- SQLNESS REPLACE` included; they only change how outputs are compared), empty lines are
 * dropped, and a statement ends at a line ending in `;`. Each query's header in the .result
 * file is its comment lines, its lines, and a blank line.
 */
function splitCase(text: string): { sql: string; header: string; display: string }[] {
  const queries: { sql: string; header: string; display: string }[] = [];
  let comments: string[] = [];
  let body: string[] = [];
  for (const line of lines(text)) {
    if (line.startsWith('--')) {
      comments.push(line);
      continue;
    }
    if (line === '') continue;
    body.push(line);
    if (line.endsWith(';')) {
      const display = body.join('\n');
      let sql = display.trimStart();
      if (!sql.endsWith(';')) sql += ';';
      const header = comments.map((comment) => `${comment}\n`).join('') + `${display}\n\n`;
      queries.push({ sql, header, display });
      comments = [];
      body = [];
    }
  }
  return queries;
}

/** Cuts a .result file into each query's expected output (the runner's `splitExpected`). */
function splitExpected(file: string, queries: { header: string; display: string }[], resultText: string): string[] {
  const text = resultText.replace(/\r\n/g, '\n');
  const outputs: string[] = [];
  let position = 0;
  for (let i = 0; i < queries.length; i++) {
    assert.ok(text.startsWith(queries[i].header, position), `${file}: query ${i + 1} not found in its .result file`);
    const start = position + queries[i].header.length;
    let end: number;
    if (i + 1 < queries.length) {
      end = text.indexOf(`\n\n${queries[i + 1].header}`, start);
      assert.ok(end >= 0, `${file}: query ${i + 2} not found in its .result file`);
      position = end + 2;
    } else {
      end = text.length;
      if (text.endsWith('\n\n', end) && end - 2 >= start) end -= 2;
      else while (end > start && text[end - 1] === '\n') end--;
    }
    outputs.push(text.slice(start, end));
  }
  return outputs;
}

function caseFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...caseFiles(path));
    else if (name.endsWith('.sql')) files.push(path);
  }
  return files;
}

function loadStatements(): CaseStatement[] {
  assert.ok(
    existsSync(CASES_DIR),
    `The sqlness cases are missing: expected them at ${CASES_DIR} (../shared/conformance/sqlness/cases from the repository root)`,
  );
  const statements: CaseStatement[] = [];
  for (const path of caseFiles(CASES_DIR)) {
    const file = path.slice(CASES_DIR.length + 1);
    const queries = splitCase(readFileSync(path, 'utf8'));
    const resultPath = path.replace(/\.sql$/, '.result');
    assert.ok(existsSync(resultPath), `${file} has no .result file`);
    const outputs = splitExpected(file, queries, readFileSync(resultPath, 'utf8'));
    queries.forEach((query, i) => statements.push({ file, sql: query.sql, expected: outputs[i] }));
  }
  return statements;
}

/**
 * The code of the error GreptimeDB's SQL parser gave for `sql`, or null when the expected
 * output is not a parser error. Parser errors are: InvalidSyntax (2000), except those of the
 * PromQL parser (inside TQL, whose PromQL text is engine/promql's to parse) and of value
 * conversion while planning an INSERT ("Failed to parse value"); Unsupported (1001) for a
 * statement GreptimeDB has no parser for ("SQL statement is not supported"); and the column
 * option checks GreptimeDB makes while parsing CREATE TABLE (1004 "Invalid column option ...").
 * Over the MySQL and PostgreSQL protocols an error shows its status name, `(InvalidSyntax)`.
 */
function parserErrorCode(sql: string, expected: string): number | null {
  const http = /^Error: (\d+)\(\w+\), ([^]*)$/.exec(expected);
  if (http !== null) {
    const code = Number(http[1]);
    const message = http[2];
    if (code === ErrorCode.InvalidSyntax) {
      if (/^(EXPLAIN\s+)?TQL\b/i.test(sql)) return null;
      if (message.startsWith('Failed to parse value')) return null;
      return code;
    }
    if (code === ErrorCode.Unsupported && message.startsWith('SQL statement is not supported')) return code;
    if (
      code === ErrorCode.InvalidArguments &&
      /^Invalid column option, column name: .*, error: (time index column|expect INDEX after|duplicated)/.test(message)
    ) {
      return code;
    }
    return null;
  }
  if (/(MySqlError|DbError)[^]*\(InvalidSyntax\)/.test(expected)) return ErrorCode.InvalidSyntax;
  return null;
}

test('sqlness: every GreptimeDB case statement parses or is rejected as GreptimeDB does', () => {
  const statements = loadStatements();
  assert.ok(statements.length > 1000, `only ${statements.length} statements found in ${CASES_DIR}`);

  let shouldParse = 0;
  let parsed = 0;
  let shouldReject = 0;
  let rejected = 0;
  let sameCode = 0;
  const failures: string[] = [];
  for (const statement of statements) {
    const expectedCode = parserErrorCode(statement.sql, statement.expected);
    let error: unknown = null;
    try {
      parseSql(statement.sql);
    } catch (caught) {
      error = caught;
    }
    assert.ok(
      error === null || error instanceof TesseraError,
      `${statement.file}: parsing crashed instead of failing cleanly: ${String(error)}\n${statement.sql}`,
    );
    const firstLine = statement.expected.split('\n')[0];
    if (expectedCode === null) {
      shouldParse++;
      if (error === null) parsed++;
      else
        failures.push(
          `should parse: ${statement.file}\n  ${statement.sql}\n  ${(error as Error).message}\n  GreptimeDB: ${firstLine}`,
        );
    } else {
      shouldReject++;
      if (error instanceof TesseraError) {
        rejected++;
        if (error.code === expectedCode) sameCode++;
      } else {
        failures.push(`should be rejected: ${statement.file}\n  ${statement.sql}\n  GreptimeDB: ${firstLine}`);
      }
    }
  }

  const percent = (n: number, d: number) => `${((100 * n) / d).toFixed(2)}%`;
  console.log(
    `sqlness parse: ${parsed}/${shouldParse} should-parse statements parsed (${percent(parsed, shouldParse)}), ` +
      `${rejected}/${shouldReject} should-reject statements rejected (${percent(rejected, shouldReject)}; ` +
      `${sameCode} with GreptimeDB's status code), ${statements.length} statements in all`,
  );
  if (failures.length > 0) console.log(failures.slice(0, 30).join('\n'));

  assert.ok(
    parsed / shouldParse >= MIN_PARSED_SHARE,
    `parsed ${parsed}/${shouldParse}, below the floor of ${MIN_PARSED_SHARE * 100}%`,
  );
  assert.ok(
    rejected / shouldReject >= MIN_REJECTED_SHARE,
    `rejected ${rejected}/${shouldReject}, below the floor of ${MIN_REJECTED_SHARE * 100}%`,
  );
});
