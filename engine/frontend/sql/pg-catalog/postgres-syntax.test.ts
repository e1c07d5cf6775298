import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldEmptySubqueries } from './empty-subqueries.ts';
import { normalizePostgresSyntax, resolvePostgresNames } from './postgres-syntax.ts';

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

test('OPERATOR(...), COLLATE and pg_catalog qualifiers of functions and types are removed', () => {
  assert.equal(
    squash(
      normalizePostgresSyntax(
        "SELECT pg_catalog.format_type(a, b), x::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(cpu)$' COLLATE pg_catalog.default",
      ),
    ),
    "SELECT format_type(a, b), x::text FROM pg_catalog.pg_class c WHERE c.relname ~ '^(cpu)$'",
  );
  assert.equal(
    normalizePostgresSyntax('SELECT db.oid,db.* FROM pg_catalog.pg_database db'),
    'SELECT db.* FROM pg_catalog.pg_database db',
  );
  // Literals are left alone.
  const literal = "SELECT 'OPERATOR(pg_catalog.~) COLLATE x'";
  assert.equal(normalizePostgresSyntax(literal), literal);
});

test("'name'::regclass becomes the relation's OID, other OID casts INT, session_user a call", async () => {
  const asked: string[] = [];
  const resolve = async (name: string) => {
    asked.push(name);
    return 1024;
  };
  assert.equal(
    await resolvePostgresNames(
      "SELECT 'cpu'::regclass::oid, c.oid::regclass, '16384'::regclass, session_user",
      resolve,
    ),
    'SELECT 1024::INT, c.oid::INT, 16384, session_user()',
  );
  assert.deepEqual(asked, ['cpu']);
  assert.equal(
    await resolvePostgresNames("SELECT 'timestamp'::regtype, 'public'::regnamespace", resolve),
    'SELECT 1114, 2200',
  );
  await assert.rejects(
    resolvePostgresNames("SELECT 'missing'::regclass", async () => {
      throw new Error('Table not found: missing');
    }),
    /Table not found: missing/,
  );
});

test('subqueries over always-empty tables fold to their value', () => {
  const empty = (name: string) => name === 'pg_attrdef' || name === 'pg_policy' || name === 'pg_inherits';
  assert.equal(
    squash(
      foldEmptySubqueries(
        'SELECT a.attname, (SELECT d.adbin FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid), EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = a.attrelid) FROM pg_attribute a',
        empty,
      ),
    ),
    'SELECT a.attname, NULL, false FROM pg_attribute a',
  );
  // A SELECT that reads an empty table first has no rows: its select list is not computed.
  assert.equal(
    squash(
      foldEmptySubqueries(
        "SELECT pol.polname, array(select rolname from pg_roles where oid = any (pol.polroles)), 'd' = any(x) AS k FROM pg_policy pol WHERE pol.polrelid = 1",
        empty,
      ),
    ),
    'SELECT NULL AS polname, NULL AS "?column2?", NULL AS k FROM pg_policy pol WHERE pol.polrelid = 1',
  );
  assert.equal(
    squash(
      foldEmptySubqueries(
        'SELECT c.relname FROM pg_inherits i JOIN pg_class c ON true ORDER BY c.relname LIMIT 1',
        empty,
      ),
    ),
    'SELECT NULL AS relname FROM pg_inherits i JOIN pg_class c ON true LIMIT 1',
  );
  // Subqueries over tables with rows, derived tables, and RIGHT joins are left alone.
  for (const sql of [
    'SELECT (SELECT max(x) FROM pg_class) FROM t',
    'SELECT * FROM (SELECT * FROM pg_attrdef) d',
    'SELECT (SELECT 1 FROM pg_attrdef d RIGHT JOIN pg_class c ON true) FROM t',
  ]) {
    assert.equal(foldEmptySubqueries(sql, empty), sql);
  }
});
