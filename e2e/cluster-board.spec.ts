/**
 * The cluster board in a real Chromium against a real `tessera serve --datanodes 3`: the
 * columns, the tiles of a partitioned table created by SQL, the region and datanode panels,
 * "Query this table", moves by drag and by keyboard (`ADMIN migrate_region`), a move the
 * server refuses, and the desktop-only actions (through a stand-in `window.tessera`).
 * The drag's assertion follows what the server answered (the test reads the same HTTP reply
 * the app got): the tile lands on the target, or the toast shows the server's error.
 * Screenshots, light and dark, in e2e/screenshots/ (git-ignored).
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import type { Browser, Locator, Page, Response } from '@playwright/test';
import { startTessera } from './tessera-process.ts';
import type { TesseraServer } from './tessera-process.ts';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

test.describe.configure({ mode: 'serial' });

let cluster: TesseraServer;
let page: Page;

async function sql(statement: string): Promise<unknown> {
  const response = await fetch(new URL('/v1/sql', cluster.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: statement, db: 'public' }),
  });
  const reply = (await response.json()) as { error?: string };
  if (reply.error) throw new Error(`${statement}: ${reply.error}`);
  return reply;
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  cluster = await startTessera('board', ['--datanodes', '3']);
  await sql(
    `CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, PRIMARY KEY (host))
     PARTITION ON COLUMNS (host) (host < 'h', host >= 'h' AND host < 'p', host >= 'p')`,
  );
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) {
    for (const host of ['db-1', 'db-2', 'kv-1', 'web-1', 'web-2'])
      rows.push(`('${host}', ${1_700_000_000_000 + i * 60_000}, ${i % 9})`);
  }
  await sql(`INSERT INTO cpu VALUES ${rows.join(', ')}`);
  await sql(`CREATE TABLE mem (host STRING, ts TIMESTAMP TIME INDEX, used BIGINT, PRIMARY KEY (host))`);
  await sql(`INSERT INTO mem VALUES ('db-1', 1700000000000, 1024), ('web-1', 1700000000000, 2048)`);
  page = await browser.newPage();
  // The app's timers run on a clock the drag test can stop, to look at a region mid-move.
  await page.clock.install();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

test.afterAll(async () => {
  await page?.close();
  await cluster?.stop();
});

async function shot(name: string): Promise<void> {
  // Animations end at once, so a shot shows where things settle rather than a frame in between.
  await page.screenshot({ path: `${screenshots}${name}.png`, animations: 'disabled' });
}

const columns = () => page.getByRole('region', { name: /^Datanode \d+$/ });
const cpuTiles = () => page.getByRole('button', { name: /^public\.cpu region \d+/ });

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` });
  if (await toggle.isVisible()) await toggle.click();
}

test('shows a column per datanode and the tiles of a partitioned table', async () => {
  await page.goto(cluster.url);
  await page.getByRole('tab', { name: 'Cluster' }).click();
  await expect(columns()).toHaveCount(3);
  await expect(cpuTiles()).toHaveCount(3);
  // CREATE TABLE spread the three regions over the three datanodes: one cpu tile per column.
  for (const column of await columns().all()) {
    await expect(column.getByRole('button', { name: /^public\.cpu region/ })).toHaveCount(1);
    await expect(column.locator('.pill')).toHaveText('alive');
  }
  await expect(page.getByRole('button', { name: /^public\.mem region 0/ })).toHaveCount(1);
  await expect(page.getByLabel('Metasrv and frontends')).toContainText('Metasrv');
  await expect(page.getByLabel('Metasrv and frontends')).toContainText('Frontend');
  await expect(page.getByRole('button', { name: 'public.cpu region 0' })).toContainText("host < 'h'");
  await setTheme('light');
  await shot('30-cluster-board-light');
  await setTheme('dark');
  await shot('31-cluster-board-dark');
  await setTheme('light');
});

test('filters by table and groups by table', async () => {
  await page.getByLabel('Filter tables').fill('mem');
  await expect(cpuTiles()).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^public\.mem region/ })).toHaveCount(1);
  await page.getByLabel('Filter tables').fill('');
  await expect(cpuTiles()).toHaveCount(3);
  await expect(page.locator('.tile-group-head').filter({ hasText: 'cpu' })).toHaveCount(3);
  await page.getByLabel('Group by table').uncheck();
  await expect(page.locator('.tile-group-head')).toHaveCount(0);
  await page.getByLabel('Group by table').check();
});

test('a region opens its panel; the keyboard menu offers the other datanodes', async () => {
  const tile = page.getByRole('button', { name: 'public.cpu region 1' });
  await tile.click();
  const panel = page.getByRole('complementary', { name: 'Region details' });
  await expect(panel).toContainText('public.cpu');
  await expect(panel).toContainText("host >= 'h' AND host < 'p'");
  await expect(panel.getByText('Rows')).toBeVisible();
  await setTheme('dark');
  await shot('32-cluster-region-panel-dark');
  await setTheme('light');

  await tile.focus();
  await page.keyboard.press('m');
  const menu = page.getByRole('menu', { name: /Move cpu region 1 to/ });
  await expect(menu.getByRole('menuitem')).toHaveCount(2);
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(tile).toBeFocused();

  // A datanode's header opens its stats; process controls exist only in the desktop app.
  await page.getByRole('button', { name: 'Datanode 2 details' }).click();
  const node = page.getByRole('complementary', { name: 'Datanode details' });
  await expect(node).toContainText('Datanode 2');
  await expect(node).toContainText('Uptime');
  await expect(node).toContainText('Memory');
  await expect(node.getByRole('button', { name: 'Restart' })).toHaveCount(0);
  await shot('36-cluster-node-panel-light');
  await tile.click();
});

/** A pointer drag of `tile` onto `target`, checking the column lights up as a drop target. */
async function dragTile(on: Page, tile: Locator, target: Locator): Promise<void> {
  const from = (await tile.boundingBox())!;
  const to = (await target.boundingBox())!;
  await on.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await on.mouse.down();
  await on.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await expect(target).toHaveClass(/drop-target/);
  await on.mouse.up();
}

const migrateReply = (on: Page) =>
  on.waitForResponse((r) => r.url().includes('/v1/sql') && (r.request().postData() ?? '').includes('migrate_region'));

const isArrow = (reply: Response): boolean => (reply.headers()['content-type'] ?? '').startsWith('application/arrow');

test('dragging a tile to another datanode runs migrate_region and shows its outcome', async () => {
  const source = columns().first();
  const target = columns().nth(1);
  const sourceName = (await source.getAttribute('aria-label'))!;
  const targetName = (await target.getAttribute('aria-label'))!;
  const tile = source.getByRole('button', { name: /^public\.cpu region/ });
  const label = (await tile.getAttribute('aria-label'))!;
  const regionId = (await tile.getAttribute('data-region-id'))!;

  // The app's clock stands still from here, so the "moving" state can be looked at before it polls.
  await page.clock.pauseAt(new Date(Date.now() + 500));
  const replied = migrateReply(page);
  await dragTile(page, tile, target);
  const reply = await replied;
  const toast = page.locator('.toast.error');
  if (!isArrow(reply)) {
    // No migration started: the toast carries the server's error and names the region and both nodes.
    const { error } = (await reply.json()) as { error: string };
    test.info().annotations.push({ type: 'branch', description: `refused: ${error}` });
    console.log(`cluster-board e2e: migrate_region was refused: ${error}`);
    await expect(toast).toContainText(error);
    await expect(toast).toContainText(label);
    await expect(toast).toContainText(sourceName.toLowerCase());
    await expect(toast).toContainText(targetName.toLowerCase());
    await shot('33-cluster-migrate-refused-light');
    await page.clock.resume();
    // The tile snaps back and stays on its source.
    await expect(source.locator(`[data-region-id="${regionId}"]`)).toHaveAttribute('data-role', 'home');
    await expect(target.locator(`[data-region-id="${regionId}"]`)).toHaveCount(0);
  } else {
    const procedureId = String(
      tableFromIPC(new Uint8Array(await reply.body()))
        .getChildAt(0)
        ?.get(0),
    );
    test.info().annotations.push({ type: 'branch', description: `accepted: procedure ${procedureId}` });
    console.log(`cluster-board e2e: migrate_region accepted, procedure ${procedureId}`);
    // Moving: dimmed on the source, a ghost on the target, until procedure_state says how it ended.
    await expect(source.locator(`[data-region-id="${regionId}"]`)).toHaveAttribute('data-role', 'leaving');
    await expect(target.locator(`[data-region-id="${regionId}"]`)).toHaveAttribute('data-role', 'ghost');
    await shot('33-cluster-migrate-moving-light');
    await page.clock.resume();
    const landed = target.locator(`[data-region-id="${regionId}"]:not([data-role="ghost"])`);
    await expect(landed.or(toast)).toBeVisible({ timeout: 45_000 });
    if (await toast.isVisible()) {
      // The procedure failed: the toast must carry procedure_state's error, as the server gave it.
      const state = (await sql(`ADMIN procedure_state('${procedureId}')`)) as {
        output: { records: { rows: string[][] } }[];
      };
      const { error } = JSON.parse(state.output[0]!.records.rows[0]![0]!) as { error: string };
      console.log(`cluster-board e2e: the migration failed: ${error}`);
      await expect(toast).toContainText(error);
    } else {
      await expect(page.locator('.toast.success')).toContainText(`moved to ${targetName.toLowerCase()}`);
      await shot('34-cluster-migrate-landed-light');
      await expect(source.locator(`[data-region-id="${regionId}"]`)).toHaveCount(0);
      const peers = (await sql(
        `SELECT peer_id FROM information_schema.region_peers WHERE region_id = ${regionId}`,
      )) as { output: { records: { rows: number[][] } }[] };
      expect(`datanode ${peers.output[0]!.records.rows[0]![0]}`).toBe(targetName.toLowerCase());
    }
  }
});

test('the keyboard moves a region too: M, pick a datanode, Enter', async () => {
  const tile = page.getByRole('button', { name: 'public.mem region 0' });
  const source = columns().filter({ has: tile });
  const from = await source.getAttribute('data-peer-id');
  const regionId = (await tile.getAttribute('data-region-id'))!;
  await tile.focus();
  await page.keyboard.press('m');
  const item = page.getByRole('menuitem').first();
  await expect(item).toBeFocused();
  const to = (await item.getAttribute('data-target'))!;
  expect(to).not.toBe(from);
  const replied = migrateReply(page);
  await page.keyboard.press('Enter');
  const reply = await replied;
  if (isArrow(reply)) {
    await expect(page.locator(`[data-peer-id="${to}"] [data-region-id="${regionId}"]`)).toHaveAttribute(
      'data-role',
      /landed|home/,
      { timeout: 45_000 },
    );
  } else {
    const { error } = (await reply.json()) as { error: string };
    await expect(page.locator('.toast.error')).toContainText(error);
  }
});

test('a move the server refuses snaps back and shows its error', async ({ browser }: { browser: Browser }) => {
  // A second window whose clock stands still shows a stale board: the region moves away behind
  // its back (by SQL), then the window drags it from where it no longer is, which the server
  // must refuse at once ("not on from_peer_id", docs/region-migration.md).
  const stale = await browser.newPage();
  try {
    await stale.clock.install();
    await stale.goto(cluster.url);
    await stale.getByRole('tab', { name: 'Cluster' }).click();
    const tile = stale.getByRole('button', { name: 'public.cpu region 2' });
    await expect(tile).toBeVisible();
    await stale.clock.pauseAt(new Date(Date.now() + 500));
    const boardColumns = stale.getByRole('region', { name: /^Datanode \d+$/ });
    const source = boardColumns.filter({ has: tile });
    const from = Number(await source.getAttribute('data-peer-id'));
    const ids = await boardColumns.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-peer-id'))));
    const [elsewhere, target] = ids.filter((id) => id !== from) as [number, number];
    const regionId = (await tile.getAttribute('data-region-id'))!;

    const moved = (await sql(`ADMIN migrate_region(${regionId}, ${from}, ${elsewhere})`)) as {
      output: { records: { rows: string[][] } }[];
    };
    const procedureId = moved.output[0]!.records.rows[0]![0]!;
    await expect
      .poll(async () => {
        const state = (await sql(`ADMIN procedure_state('${procedureId}')`)) as {
          output: { records: { rows: string[][] } }[];
        };
        return JSON.parse(state.output[0]!.records.rows[0]![0]!).status as string;
      })
      .toBe('Done');

    const replied = migrateReply(stale);
    await dragTile(stale, tile, stale.locator(`[data-peer-id="${target}"]`));
    const reply = await replied;
    expect(isArrow(reply), 'the server accepted a move from a node the region had left').toBe(false);
    const { error } = (await reply.json()) as { error: string };
    console.log(`cluster-board e2e: refused as expected: ${error}`);
    const toast = stale.locator('.toast.error');
    await expect(toast).toContainText(error);
    await expect(toast).toContainText(`public.cpu region 2 could not move from datanode ${from} to datanode ${target}`);
    await expect(source.locator(`[data-region-id="${regionId}"]`)).toHaveAttribute('data-role', 'snapback');
    await stale.screenshot({ path: `${screenshots}35-cluster-migrate-refused-light.png`, animations: 'disabled' });
    // Time runs again: the board refreshes and shows the region where it really is.
    await stale.clock.resume();
    await expect(stale.locator(`[data-peer-id="${elsewhere}"] [data-region-id="${regionId}"]`)).toHaveAttribute(
      'data-role',
      'home',
    );
  } finally {
    await stale.close();
  }
});

test('in the desktop app the board offers its datanode actions through window.tessera', async ({
  browser,
}: {
  browser: Browser;
}) => {
  // Electron cannot run here, so this window gets a stand-in for the preload's API (the shape
  // of renderer/shared/desktop-api.ts) that records what the board asks of it.
  const desktop = await browser.newPage();
  try {
    await desktop.addInitScript(() => {
      // Runs in the page; this file is typed without the DOM, hence globalThis.
      const win = globalThis as unknown as { location: { origin: string }; __desktopCalls: string[] };
      const calls: string[] = [];
      const status = (state: string) => ({
        state: 'running',
        httpUrl: win.location.origin,
        dataHome: '/tmp/x',
        launcher: 'node',
        error: null,
        datanodes: [1, 2, 3].map((n) => ({ index: n + 10, nodeId: n, pid: 100 + n, state, restarts: 0 })),
      });
      const record = (name: string) => async (slot?: number) => {
        calls.push(slot === undefined ? name : `${name}(${slot})`);
        return status('running');
      };
      Object.assign(win, {
        __desktopCalls: calls,
        tessera: {
          clusterStatus: async () => status('running'),
          onClusterEvent: () => () => undefined,
          startDatanode: record('start'),
          stopDatanode: record('stop'),
          restartDatanode: record('restart'),
          addDatanode: record('add'),
          openDataFolder: async () => undefined,
          appVersion: async () => ({ app: '0', electron: '0', chrome: '0', node: '0' }),
        },
      });
    });
    await desktop.goto(cluster.url);
    await desktop.getByRole('tab', { name: 'Cluster' }).click();
    await desktop.getByRole('button', { name: 'Datanode 3 details' }).click();
    const node = desktop.getByRole('complementary', { name: 'Datanode details' });
    await expect(node).toContainText('Slot 13');
    await node.getByRole('button', { name: 'Restart' }).click();
    await node.getByRole('button', { name: 'Stop' }).click();
    await desktop.getByRole('button', { name: '+ Datanode' }).click();
    await expect
      .poll(() => desktop.evaluate(() => (globalThis as unknown as { __desktopCalls: string[] }).__desktopCalls))
      .toEqual(['restart(13)', 'stop(13)', 'add']);
  } finally {
    await desktop.close();
  }
  // A browser tab (no window.tessera) shows none of it.
  await page.getByRole('button', { name: 'Datanode 3 details' }).click();
  await expect(page.getByRole('complementary', { name: 'Datanode details' })).not.toContainText('Slot');
  await expect(page.getByRole('button', { name: '+ Datanode' })).toHaveCount(0);
  await page.getByRole('button', { name: 'public.cpu region 1' }).click();
});

test('"Query this table" opens a workbench tab with a SELECT and runs it', async () => {
  await page
    .getByRole('complementary', { name: 'Region details' })
    .getByRole('button', { name: 'Query this table' })
    .click();
  await expect(page.getByRole('tab', { name: 'cpu', exact: true })).toBeVisible();
  await expect(page.getByTestId('editor')).toContainText('SELECT * FROM cpu LIMIT 100;');
  // The workbench shows what the server answers to that SELECT as Arrow: the rows, or its error.
  const direct = await fetch(new URL('/v1/sql?format=arrow', cluster.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: 'SELECT * FROM cpu LIMIT 100;', db: 'public' }),
  });
  if ((direct.headers.get('content-type') ?? '').startsWith('application/arrow')) {
    await expect(page.getByTestId('run-status')).toHaveText(/100 rows in/);
  } else {
    const { error } = (await direct.json()) as { error: string };
    console.log(`cluster-board e2e: the server fails SELECT * FROM cpu LIMIT 100 as Arrow: ${error}`);
    test.info().annotations.push({ type: 'server error', description: error });
    await expect(page.getByTestId('run-status')).toHaveText(/Failed/);
    await expect(page.locator('.error-box')).toContainText(error);
  }
  await page.getByRole('tab', { name: 'Cluster' }).click();
  await expect(cpuTiles()).toHaveCount(3);
});
