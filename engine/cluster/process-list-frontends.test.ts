// process_list and KILL across a cluster's two frontends: a query running on one is listed by
// the other (with its frontend's address in the id), and a KILL sent to the other stops it
// with GreptimeDB's cancelled error (the frontends reach each other with the cluster token).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import type { Frontend } from '../frontend/index.ts';
import type { LocalCluster } from './local-cluster.ts';
import { startTwoFrontends } from './testing/two-frontends.ts';
import type { TwoFrontends } from './testing/two-frontends.ts';
import { postSql, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });

let cluster: LocalCluster;
let second: Frontend;
let frontends: TwoFrontends | undefined;

before(async () => {
  frontends = await startTwoFrontends('process-list', 1, quiet);
  ({ cluster, second } = frontends);
});

after(async () => {
  await frontends?.stop();
});

test("a frontend lists and kills another frontend's query", async () => {
  const slow = 'SELECT sum(number) FROM (SELECT * FROM numbers LIMIT 1000000000) on_second_frontend';
  const running = postSql(second.httpUrl, slow);
  const listing = 'SELECT id, frontend, query FROM information_schema.process_list';
  const row = await waitFor(
    'the second frontend registered with metasrv and its query listed by the first',
    async () => {
      const rows = await sqlRows(cluster.httpUrl, listing);
      return rows.find((candidate) => candidate[2] === slow);
    },
  );
  const secondHost = new URL(second.httpUrl).host;
  assert.equal(row[1], secondHost);
  assert.match(String(row[0]), new RegExp(`^${secondHost.replace(/\./g, '\\.')}/\\d+$`));

  const kill = await postSql(cluster.httpUrl, `KILL '${String(row[0])}'`);
  assert.deepEqual(kill.body.output, [{ affectedrows: 1 }]);
  const reply = await running;
  assert.equal(reply.body.code, 1005);
  assert.equal(reply.body.error, 'Query has been cancelled');
  const after = await sqlRows(cluster.httpUrl, listing);
  assert.equal(
    after.find((candidate) => candidate[2] === slow),
    undefined,
  );
  // The other frontend's endpoint wants the cluster token.
  const denied = await fetch(`${second.httpUrl}/internal/processes`);
  assert.equal(denied.status, 401);
});
