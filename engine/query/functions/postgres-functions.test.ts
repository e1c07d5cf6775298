import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executeQuery } from '../execute-query.ts';
import type { QueryOptions } from '../execute-query.ts';
import { resultRows } from '../result-rows.ts';
import { testCatalog } from '../test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string, options: QueryOptions = {}): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog, options)).batches);
}

test('postgres functions: quoting, type names, search path', async () => {
  assert.deepEqual(
    await rows(
      "SELECT quote_ident('cpu'), quote_ident('Cpu'), quote_ident('a\"b'), quote_ident('1x'), format_type(1114, -1), format_type(42, -1)",
    ),
    [['cpu', '"Cpu"', '"a""b"', '"1x"', 'timestamp without time zone', '???']],
  );
  assert.deepEqual(await rows('SELECT current_schemas(true), current_schemas(false)'), [
    ['{public,information_schema,pg_catalog,greptime_private}', '{public}'],
  ]);
  assert.deepEqual(
    await rows("SELECT array_to_string('{a,b}', '-'), array_to_string(NULL, ','), pg_encoding_to_char(6)"),
    [['a-b', null, 'UTF-8']],
  );
});

test('postgres functions: placeholders answer as GreptimeDB', async () => {
  assert.deepEqual(
    await rows(
      "SELECT pg_get_userbyid(10), pg_table_is_visible(1), has_table_privilege('t', 'SELECT'), obj_description(1, 'pg_class'), col_description(1, 1), pg_my_temp_schema()",
    ),
    [['postgres', true, true, null, null, 0]],
  );
  await assert.rejects(rows('SELECT pg_get_userbyid()'), /No function matches the given name and argument types/);
  await assert.rejects(rows("SELECT current_schemas('x')"), /No function matches/);
});

test('session functions: version per protocol, user, catalog, read preference', async () => {
  assert.match(
    String((await rows('SELECT version()', { session: { channel: 'postgres' } }))[0]![0]),
    /^PostgreSQL 16\.3 Tessera /,
  );
  assert.match(String((await rows('SELECT version()', { session: { channel: 'mysql' } }))[0]![0]), /^8\.4\.2-Tessera-/);
  assert.deepEqual(await rows('SELECT current_database(), session_user(), read_preference()'), [
    ['greptime', 'greptime', 'LEADER'],
  ]);
  assert.deepEqual(await rows('SELECT read_preference()', { session: { readPreference: 'follower' } }), [['FOLLOWER']]);
});
