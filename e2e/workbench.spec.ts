/**
 * The workbench in a real Chromium against a real `tessera serve` (issue 7's "Done when"):
 * one cluster and one page for the whole file, steps in order, a screenshot of each main
 * screen in e2e/screenshots/ (git-ignored), light and dark.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import type { Browser, Page } from '@playwright/test';
import { startTessera } from './tessera-process.ts';
import type { TesseraServer } from './tessera-process.ts';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

test.describe.configure({ mode: 'serial' });

let cluster: TesseraServer;
let page: Page;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  cluster = await startTessera('a');
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

test.afterAll(async () => {
  await page?.context().close();
  await cluster?.stop();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}${name}.png` });
}

/** Replaces the editor's text (insertText: no auto-closing brackets, no completion accepts). */
async function setEditorText(text: string): Promise<void> {
  const editor = page.getByTestId('editor');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
}

const status = () => page.getByTestId('run-status');

test('opens the app from the cluster', async () => {
  await page.goto(cluster.url);
  await expect(page.getByRole('heading', { name: 'Tessera' })).toBeVisible();
  await expect(page.getByTestId('editor').locator('.monaco-editor')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Cluster health: healthy' })).toBeVisible();
  await expect(page.getByRole('treeitem').filter({ hasText: 'public' }).first()).toBeVisible();
  await shot('01-workbench-light');
});

test('creates a table and inserts rows by SQL (run all)', async () => {
  const rows: string[] = [];
  for (let i = 0; i < 30; i++) {
    for (const host of ['web-1', 'web-2']) {
      const usage = host === 'web-1' ? 20 + (i % 7) * 3.5 : 50 + Math.round(20 * Math.sin(i / 4));
      rows.push(`('${host}', 'eu', ${1_700_000_000_000 + i * 60_000}, ${usage})`);
    }
  }
  await setEditorText(
    `CREATE TABLE cpu (host STRING, region STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, PRIMARY KEY (host, region));\n` +
      `INSERT INTO cpu VALUES ${rows.join(', ')};`,
  );
  await page.keyboard.press('Shift+ControlOrMeta+Enter');
  await expect(status()).toHaveText(/60 rows affected/);
  await page.getByRole('tab', { name: 'Messages' }).click();
  await expect(page.locator('.messages li')).toHaveCount(2);
});

test('runs the statement at the cursor with Ctrl+Enter and shows the grid', async () => {
  await setEditorText('SELECT 1;\nSELECT host, ts, usage FROM cpu ORDER BY ts, host;');
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(status()).toHaveText(/60 rows in/);
  await page.getByRole('tab', { name: 'Grid' }).click();
  const grid = page.getByRole('grid', { name: 'Query result' });
  await expect(grid.getByRole('columnheader')).toHaveText([/host\s*String/, /ts\s*Timestamp\(ms\)/, /usage\s*Float64/]);
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText('web-1');
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').nth(1)).toHaveText('2023-11-14 22:13:20.000');
  await shot('02-grid-light');
});

test('sorts a column', async () => {
  const grid = page.getByRole('grid', { name: 'Query result' });
  const usageHeader = grid.getByRole('columnheader').nth(2);
  await usageHeader.getByRole('button').click();
  await expect(usageHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').nth(2)).toHaveText('20');
  await usageHeader.getByRole('button').click();
  await expect(usageHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').nth(2)).toHaveText('70');
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText('web-2');
});

test('copies a cell', async () => {
  const grid = page.getByRole('grid', { name: 'Query result' });
  await grid.getByRole('row').nth(1).getByRole('gridcell').first().click();
  await page.getByRole('button', { name: 'Copy cell' }).click();
  await expect(page.getByText('Copied cell')).toBeVisible();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('web-2');
});

test('exports CSV in the grid order, and Arrow', async () => {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('result.csv');
  const csv = readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\n');
  expect(csv[0]).toBe('host,ts,usage');
  expect(csv).toHaveLength(61);
  expect(csv[1]).toMatch(/^web-2,2023-11-1\dT\d\d:\d\d:20\.000Z,70$/);

  const arrowDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Arrow' }).click();
  const arrow = tableFromIPC(readFileSync(await (await arrowDownload).path()));
  expect(arrow.numRows).toBe(60);
  expect(arrow.schema.fields.map((f) => f.name)).toEqual(['host', 'ts', 'usage']);
});

test('draws the chart from the time column, one line per host', async () => {
  await page.getByRole('tab', { name: 'Chart' }).click();
  const chart = page.getByTestId('chart');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(page.getByText(/2 series over 30 timestamps \(ts\)/)).toBeVisible();
  await expect(chart.locator('.u-legend')).toContainText('host=web-2');
  // The plot has drawn lines: enough non-background pixels on the canvas.
  const inked = await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="chart"] canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let colored = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.abs(data[i] - data[i + 2]) > 60) colored++;
    return colored;
  })()`);
  expect(inked).toBeGreaterThan(200);
  await shot('03-chart-light');

  // Drag across the middle third of the plot, then re-run the query for just that range.
  const plot = await chart.locator('.u-over').boundingBox();
  await page.mouse.move(plot!.x + plot!.width / 3, plot!.y + plot!.height / 2);
  await page.mouse.down();
  await page.mouse.move(plot!.x + (2 * plot!.width) / 3, plot!.y + plot!.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Re-run with this range' }).click();
  await expect(status()).toHaveText(/^\d+ rows in/);
  const zoomedRows = Number(/^(\d+)/.exec((await status().textContent()) ?? '')![1]);
  expect(zoomedRows).toBeGreaterThan(10);
  expect(zoomedRows).toBeLessThan(30);
});

test('shows a bad query error with its position, marked in the editor', async () => {
  await setEditorText('SELECT host FROM cpu WHERE');
  await page.keyboard.press('ControlOrMeta+Enter');
  const error = page.getByTestId('query-error');
  await expect(error).toContainText('Error 2000');
  await expect(error).toContainText('line 1, column 27');
  await expect(error).toContainText('marked in the editor');
  await expect(page.getByTestId('editor').locator('.squiggly-error')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Messages' }).click();
  await shot('04-error-light');
});

test('history search finds an earlier query', async () => {
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('searchbox', { name: 'Search history' }).fill('order by ts');
  const entries = page.getByRole('list', { name: 'History entries' }).getByRole('listitem');
  // The query itself, and the chart's zoomed re-run that wraps it (newest first).
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('AS zoomed WHERE');
  await expect(entries.nth(1).locator('code')).toHaveText('SELECT host, ts, usage FROM cpu ORDER BY ts, host');
  await page.getByRole('searchbox', { name: 'Search history' }).fill('');
  await shot('05-history-light');

  // A named saved query from the editor's text.
  await page.getByRole('button', { name: 'Save query…' }).click();
  await page.getByRole('textbox', { name: 'Saved query name' }).fill('bad where');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('tab', { name: 'Saved' }).click();
  await expect(page.getByRole('button', { name: 'Run bad where' })).toBeVisible();
  await expect(page.getByRole('tabpanel', { name: 'Saved' })).toContainText('SELECT host FROM cpu WHERE');
});

test('formats SQL', async () => {
  await setEditorText('select host,usage from cpu where usage>30 order by usage desc limit 3');
  await page.getByRole('button', { name: 'Format' }).click();
  // One clause per line, the select list one column per line (Monaco renders a .view-line per line).
  const lines = page.getByTestId('editor').locator('.view-line');
  await expect(lines).toHaveCount(7);
  const text = (await lines.allTextContents()).map((line) => line.replace(/\u00a0/g, ' ').trimEnd());
  expect(text).toEqual([
    'SELECT',
    '  host,',
    '  usage',
    'FROM cpu',
    'WHERE usage>30',
    'ORDER BY usage DESC',
    'LIMIT 3',
  ]);
});

test('schema browser shows columns with roles and the table details', async () => {
  await page.getByRole('tab', { name: 'Schema' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('treeitem').filter({ hasText: 'public' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /cpu/ }).first().click();
  await expect(page.getByRole('treeitem', { name: 'time ts TimestampMillisecond' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: 'tag host String' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: 'field usage Float64' })).toBeVisible();
  await page.getByRole('button', { name: 'Details of cpu' }).click();
  await expect(page.getByTestId('table-row-count')).toHaveText('60');
  await expect(page.locator('.ddl')).toContainText('CREATE TABLE');
  const regions = page.getByRole('table', { name: 'Regions of cpu' });
  await expect(regions.getByRole('columnheader')).toHaveText(['Region', 'Peer', 'Role']);
  await expect(regions.getByRole('cell').nth(2)).toHaveText('leaderALIVE');
  // Every column fits the side panel: nothing to scroll sideways, the last column not clipped.
  const fits = await page
    .getByTestId('table-regions')
    .evaluate(
      (box) =>
        box.scrollWidth <= box.clientWidth &&
        box.getBoundingClientRect().right <= box.ownerDocument.documentElement.clientWidth,
    );
  expect(fits).toBe(true);
  await shot('06-schema-light');
});

test('EXPLAIN shows the plan as a tree', async () => {
  await setEditorText('EXPLAIN SELECT host, avg(usage) FROM cpu GROUP BY host');
  await page.keyboard.press('ControlOrMeta+Enter');
  const logical = page.getByRole('tree', { name: 'logical_plan' });
  await expect(logical).toBeVisible();
  // The aggregate sits under the projection, the scan under the aggregate.
  const projection = logical
    .getByRole('treeitem')
    .filter({ hasText: /^Projection/ })
    .first();
  await expect(
    projection
      .getByRole('treeitem')
      .filter({ hasText: /^Aggregate/ })
      .first(),
  ).toBeVisible();
  await expect(
    projection
      .getByRole('treeitem')
      .filter({ hasText: /^TableScan/ })
      .first(),
  ).toBeVisible();
  await shot('06b-plan-light');
});

test('cancels a running query', async () => {
  // Hold the request in the browser so the query is reliably still running when cancelled.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/v1/sql?format=arrow', async (route) => {
    await held;
    await route.continue().catch(() => undefined);
  });
  try {
    await setEditorText('SELECT count(*) FROM numbers');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(status()).toContainText('Running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('query-error')).toContainText('Cancelled');
    await expect(status()).not.toContainText('Running');
  } finally {
    release();
    await page.unroute('**/v1/sql?format=arrow');
  }
});

/** The queries the cluster lists in information_schema.process_list, read over its HTTP API. */
async function runningQueries(): Promise<string[]> {
  const sql = 'SELECT query FROM information_schema.process_list';
  const reply = await fetch(`${cluster.url}/v1/sql`, { method: 'POST', body: new URLSearchParams({ sql }) });
  const body = (await reply.json()) as { output: { records: { rows: string[][] } }[] };
  return body.output[0]!.records.rows.map((row) => row[0]!).filter((query) => query !== sql);
}

test('Cancel stops the query on the server; the Running queries view lists and kills queries', async () => {
  // A billion numbers: minutes of work, so the query is always still running when stopped.
  const slow = 'SELECT sum(number) FROM (SELECT * FROM numbers LIMIT 1000000000) cancelled_in_app';
  await setEditorText(slow);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(status()).toContainText('Running');
  await expect.poll(runningQueries, { timeout: 30_000 }).toContain(slow);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('query-error')).toContainText('Cancelled');
  // The browser dropped the request; the server noticed and stopped the query.
  await expect.poll(runningQueries, { timeout: 30_000 }).not.toContain(slow);

  const killed = slow.replace('cancelled_in_app', 'killed_in_app');
  await setEditorText(killed);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(status()).toContainText('Running');
  await page.getByRole('tab', { name: 'Running queries' }).click();
  const entry = page.getByRole('list', { name: 'Running queries' }).getByRole('listitem', { name: killed });
  await expect(entry).toBeVisible();
  await shot('12-running-queries-light');
  await entry.getByRole('button', { name: /^Kill / }).click();
  await expect(page.getByTestId('query-error')).toContainText('Query has been cancelled');
  await expect(page.getByTestId('query-error')).toContainText('1005');
  await expect(entry).toHaveCount(0);
  expect(await runningQueries()).not.toContain(killed);
  await page.getByRole('tab', { name: 'Grid' }).click();
});

test('completes SQL table and column names from the live schema', async () => {
  await setEditorText('SELECT us FROM cpu');
  await page.keyboard.press('Home');
  for (let i = 0; i < 'SELECT us'.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'usage' }).first()).toBeVisible();
  await page.keyboard.press('Escape');
});

test('PromQL completion offers a metric name; a range query draws its series', async () => {
  // A metric with recent samples (PromQL looks back from now): the table `load`, label `host`.
  const now = Date.now();
  const values = [600, 300, 60].flatMap((ago, i) => [
    `('a', ${now - ago * 1000}, ${i + 1})`,
    `('b', ${now - ago * 1000}, ${5 - i})`,
  ]);
  for (const sql of [
    'CREATE TABLE load (host STRING, ts TIMESTAMP TIME INDEX, val DOUBLE, PRIMARY KEY (host))',
    `INSERT INTO load VALUES ${values.join(', ')}`,
  ]) {
    const reply = await fetch(`${cluster.url}/v1/sql`, { method: 'POST', body: new URLSearchParams({ sql }) });
    expect(reply.status).toBe(200);
  }
  await page.getByRole('button', { name: 'New PromQL tab' }).click();
  await expect(page.getByRole('group', { name: 'PromQL time range' })).toBeVisible();
  await setEditorText('lo');
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'load' }).first()).toBeVisible();
  await shot('07-promql-completion-light');
  await page.keyboard.press('Escape');

  // Monaco closes the brace as a user would see it: `load{host=}`, the cursor before `}`.
  await setEditorText('load{host=');
  await page.keyboard.press('Control+Space');
  // The label's values, from the Prometheus API (the row shows the value and "value of host").
  await expect(page.locator('.suggest-widget .monaco-list-row .label-name')).toHaveText(['a', 'b']);
  await page.keyboard.press('Escape');

  await setEditorText('load');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(status()).toHaveText(/ rows in /);
  await page.getByRole('tab', { name: 'Chart' }).click();
  await expect(page.getByText(/^2 series over/)).toBeVisible();
  await expect(page.getByTestId('chart').locator('.u-legend')).toContainText('host=b');
  await shot('08-promql-chart-light');
});

test('dark theme', async () => {
  await page.getByRole('tab', { name: 'Query', exact: true }).click();
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await setEditorText('SELECT host, ts, usage FROM cpu ORDER BY ts, host;');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(status()).toHaveText(/60 rows in/);
  await page.getByRole('tab', { name: 'Grid' }).click();
  await shot('09-grid-dark');
  await page.getByRole('tab', { name: 'Chart' }).click();
  await expect(page.getByTestId('chart').locator('canvas')).toBeVisible();
  await shot('10-chart-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
});

test('connects to a second cluster (with basic auth) and switches between them', async () => {
  const password = 'pw-e2e-7f3a';
  const second = await startTessera('b', ['--user-provider', `static_user_provider:cmd:admin=${password}`]);
  try {
    await page.getByRole('tab', { name: 'Connections' }).click();
    await page.getByLabel('Name').fill('second');
    await page.getByLabel('URL').fill(second.url);
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Add and connect' }).click();
    await expect(page.getByRole('combobox', { name: 'Cluster' })).toHaveValue(/^c/);
    await expect(page.getByRole('list', { name: 'Clusters' }).getByRole('listitem')).toHaveCount(2);
    await expect(page.getByRole('list', { name: 'Clusters' }).getByLabel('healthy')).toHaveCount(2);
    await shot('11-connections-light');
    // Results belong to the cluster they came from: the new cluster's tab shows none yet.
    await expect(status()).toHaveText('Ready');
    await expect(page.getByRole('grid', { name: 'Query result' })).toHaveCount(0);

    await setEditorText('SHOW TABLES;');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByRole('tab', { name: 'Grid' }).click();
    const grid = page.getByRole('grid', { name: 'Query result' });
    await expect(grid.getByRole('gridcell')).toHaveText(['numbers']);

    await page.getByRole('combobox', { name: 'Cluster' }).selectOption({ label: `Local cluster — ${cluster.url}` });
    await page.keyboard.press('Escape');
    // Back on the first cluster: its own last result, not the second cluster's.
    await expect(status()).not.toHaveText(/^1 rows in/);
    await expect(grid.getByRole('gridcell').first()).not.toHaveText('numbers');
    await setEditorText('SHOW TABLES;');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(grid.getByRole('gridcell')).toHaveText(['cpu', 'load', 'numbers']);

    // Saved across a reload, the password only sealed; the second cluster answers again.
    await page.reload();
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain(password);
    await expect(page.getByRole('tab', { name: 'PromQL' })).toBeVisible(); // tabs are kept too
    await page.getByRole('combobox', { name: 'Cluster' }).selectOption({ label: `second — ${second.url}` });
    await setEditorText('SHOW TABLES;');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByRole('tab', { name: 'Grid' }).click();
    await expect(page.getByRole('grid', { name: 'Query result' }).getByRole('gridcell')).toHaveText(['numbers']);
  } finally {
    await second.stop();
  }
});
