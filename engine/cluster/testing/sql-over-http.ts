/**
 * `/v1/sql` for integration tests: post a statement to a frontend and read the reply, with
 * assertions that say which statement failed and why.
 */
import assert from 'node:assert/strict';

export interface SqlRecords {
  schema: { column_schemas: { name: string; data_type: string }[] };
  rows: unknown[][];
}

export interface SqlReply {
  status: number;
  body: {
    output?: ({ records: SqlRecords } | { affectedrows: number })[];
    code?: number;
    error?: string;
  };
}

export async function postSql(
  httpUrl: string,
  text: string,
  options: { db?: string; signal?: AbortSignal } = {},
): Promise<SqlReply> {
  const response = await fetch(`${httpUrl}/v1/sql${options.db ? `?db=${options.db}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: text }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: response.status, body: (await response.json()) as SqlReply['body'] };
}

/** The records of a statement that must succeed with records. */
export async function sqlRecords(httpUrl: string, text: string, db?: string): Promise<SqlRecords> {
  const reply = await postSql(httpUrl, text, db ? { db } : {});
  assert.equal(reply.status, 200, `${text}: ${reply.body.error}`);
  const output = reply.body.output![0]!;
  assert.ok('records' in output, `${text} returns records`);
  return output.records;
}

export async function sqlRows(httpUrl: string, text: string, db?: string): Promise<unknown[][]> {
  return (await sqlRecords(httpUrl, text, db)).rows;
}

/** The affected rows of a statement that must succeed without records. */
export async function sqlAffected(httpUrl: string, text: string, db?: string): Promise<number> {
  const reply = await postSql(httpUrl, text, db ? { db } : {});
  assert.equal(reply.status, 200, `${text}: ${reply.body.error}`);
  const output = reply.body.output![0]!;
  assert.ok('affectedrows' in output, `${text} returns affected rows`);
  return output.affectedrows;
}
