import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { SqlHandler } from './handle-sql.ts';
import { startHttpServer } from './http-server.ts';
import type { HttpServer } from './http-server.ts';

// The SQL engine is not part of this layer: an echoing handler shows what reaches it.
const echo: SqlHandler = {
  async execute(sql, database) {
    if (sql === 'fail') throw new TesseraError(ErrorCode.TableNotFound, 'Table not found: public.nope');
    return [
      {
        records: {
          schema: {
            column_schemas: [
              { name: 'sql', data_type: 'String' },
              { name: 'db', data_type: 'String' },
            ],
          },
          rows: [[sql, database]],
          total_rows: 1,
        },
      },
    ];
  },
};

describe('frontend HTTP server', () => {
  let outer: string;
  let root: string;
  let server: HttpServer;

  before(async () => {
    // The served root sits inside a temp dir that also holds a file outside the root.
    outer = await mkdtemp(join(tmpdir(), 'tessera-static-'));
    root = join(outer, 'root');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    await writeFile(join(outer, 'tessera-secret.txt'), 'secret');
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      handlers: { sql: echo, status: async () => ({ ok: true }), staticRoot: root },
      logger: createLogger({ role: 'test', level: 'error' }),
    });
  });

  after(async () => {
    await server.close();
    await rm(outer, { recursive: true, force: true });
  });

  test('sql and db arrive from the query string or a form body', async () => {
    const viaQuery = await fetch(`${server.url}/v1/sql?sql=${encodeURIComponent('select 1')}&db=metrics`);
    assert.equal(viaQuery.status, 200);
    const body = (await viaQuery.json()) as { output: { records: { rows: unknown[][] } }[]; execution_time_ms: number };
    assert.deepEqual(body.output[0]!.records.rows, [['select 1', 'metrics']]);
    assert.equal(typeof body.execution_time_ms, 'number');

    const viaForm = await fetch(`${server.url}/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sql: 'show tables' }),
    });
    const formBody = (await viaForm.json()) as { output: { records: { rows: unknown[][] } }[] };
    assert.deepEqual(formBody.output[0]!.records.rows, [['show tables', 'public']]);
  });

  test('errors carry the code, the message and an HTTP status from the code', async () => {
    const response = await fetch(`${server.url}/v1/sql?sql=fail`);
    assert.equal(response.status, 404);
    const body = (await response.json()) as { code: number; error: string };
    assert.equal(body.code, ErrorCode.TableNotFound);
    assert.equal(body.error, 'Table not found: public.nope');

    const unknown = await fetch(`${server.url}/v1/nothing-here`);
    assert.equal(((await unknown.json()) as { code: number }).code, ErrorCode.Unsupported);
  });

  test('an oversized body is refused with a clear error', async () => {
    const response = await fetch(`${server.url}/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'sql=' + 'x'.repeat(17 * 1024 * 1024),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { code: number; error: string };
    assert.equal(body.code, ErrorCode.InvalidArguments);
    assert.match(body.error, /exceeds the limit of 16777216 bytes/);
  });

  test('serves the app with a strict CSP, falls back to index.html, and stays inside its root', async () => {
    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);

    const route = await fetch(`${server.url}/workbench/tab-1`);
    assert.equal(await route.text(), '<!doctype html><title>app</title>');
    assert.match(route.headers.get('content-security-policy') ?? '', /script-src 'self'/);

    const escape = await fetch(`${server.url}/..%2Ftessera-secret.txt`);
    assert.doesNotMatch(await escape.text(), /secret/);
  });
});
