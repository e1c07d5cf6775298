/**
 * The partition designer in a real Chromium against a real `tessera serve`: a 3-region rule
 * drawn on a number column, the sampled rows of a real table routed per region, an
 * overlapping hand-written rule with its counterexample, the DDL run from the workbench and
 * the new table's regions read back from information_schema.partitions. Screenshots of the
 * designer, light and dark, in e2e/screenshots/ (git-ignored).
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { startTessera } from './tessera-process.ts';
import type { TesseraServer } from './tessera-process.ts';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

test.describe.configure({ mode: 'serial' });

let cluster: TesseraServer;
let page: Page;

async function sql(text: string): Promise<unknown[][]> {
  const reply = await fetch(`${cluster.url}/v1/sql`, { method: 'POST', body: new URLSearchParams({ sql: text }) });
  const body = (await reply.json()) as { output?: { records?: { rows: unknown[][] } }[]; error?: string };
  if (body.error) throw new Error(body.error);
  return body.output?.at(-1)?.records?.rows ?? [];
}

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  cluster = await startTessera('designer');
  await sql(
    'CREATE TABLE sensors (device_id INT, host STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (device_id, host))',
  );
  // 300 devices, ids 0..299: a rule splitting at 100 and 200 puts 100 rows in each region.
  const rows = Array.from(
    { length: 300 },
    (_, i) => `(${i}, 'host-${i % 7}', ${1_700_000_000_000 + i * 1000}, ${i / 3})`,
  );
  await sql(`INSERT INTO sensors VALUES ${rows.join(', ')}`);
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

const ruleStatus = () => page.getByTestId('rule-status');
const ruleText = () => page.getByRole('textbox', { name: 'Rule expressions' });

test('opens the designer from the main navigation and loads a table with its rows', async () => {
  await page.goto(cluster.url);
  await page.getByRole('tab', { name: 'Partitions' }).click();
  await expect(page.getByRole('heading', { name: 'Split of the key space' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Existing table' }).selectOption('sensors');
  await page.getByRole('button', { name: 'Load table' }).click();
  await expect(page.getByTestId('sample-source')).toHaveText('300 rows of sensors');
  await page.getByRole('combobox', { name: 'First partition column' }).selectOption('device_id');
  await expect(page.getByTestId('sample-source')).toHaveText('300 rows of sensors');
  await expect(ruleStatus()).toHaveText(/One region/);
});

test('draws a 3-region rule by adding splits and routes the sampled rows', async () => {
  const newSplit = page.getByRole('textbox', { name: 'New split on device_id' });
  await newSplit.fill('200');
  await newSplit.press('Enter');
  await newSplit.fill('100');
  await page.getByRole('button', { name: 'Add split' }).click();
  await expect(ruleStatus()).toHaveText('Valid: 3 regions, no overlap, no gap.');
  await expect(ruleText()).toHaveValue('device_id < 100,\ndevice_id >= 100 AND device_id < 200,\ndevice_id >= 200');
  for (const region of [1, 2, 3]) {
    await expect(page.getByRole('listitem', { name: `Region ${region}: 100 rows` })).toBeVisible();
  }
  await expect(page.getByTestId('skew')).toHaveText('1.00');
  // Move the first split by typing its exact value: the counts follow without a new query.
  const first = page.getByRole('textbox', { name: 'Split 1 of device_id' });
  await first.fill('50');
  await first.press('Enter');
  await expect(page.getByRole('listitem', { name: 'Region 1: 50 rows' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Region 2: 150 rows' })).toBeVisible();
  await expect(page.getByTestId('skew')).toHaveText('1.50');
  // And with the keyboard on the drawn handle.
  await page.getByRole('button', { name: /^Split 1 of device_id at 50/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: /^Split 1 of device_id at (5[1-9]|[6-9]\d)/ })).toBeVisible();
  await first.fill('100');
  await first.press('Enter');
  await expect(page.getByTestId('skew')).toHaveText('1.00');
  await shot('20-designer-light');
});

test('an overlapping hand-written rule shows the counterexample on the drawing', async () => {
  await ruleText().fill('device_id < 150,\ndevice_id >= 100 AND device_id < 200,\ndevice_id >= 200');
  await expect(ruleStatus()).toHaveText(/device_id = 100 is covered by both 'device_id < 150' and/);
  await expect(page.getByTestId('counterexample-marker')).toHaveText('device_id = 100');
  await shot('21-designer-overlap-light');
  await ruleText().fill('device_id < 100,\ndevice_id >= 100 AND device_id < 200,\ndevice_id >= 200');
  await expect(ruleStatus()).toHaveText('Valid: 3 regions, no overlap, no gap.');
});

test('two columns: a grid whose merged cells become one region', async () => {
  await page.getByRole('combobox', { name: 'Second partition column' }).selectOption('host');
  await page.getByRole('textbox', { name: 'New split on device_id' }).fill('150');
  await page.getByRole('textbox', { name: 'New split on device_id' }).press('Enter');
  await page.getByRole('textbox', { name: 'New split on host' }).fill('host-3');
  await page.getByRole('textbox', { name: 'New split on host' }).press('Enter');
  const grid = page.getByRole('grid', { name: 'Regions by device_id and host' });
  await expect(grid.getByRole('gridcell')).toHaveCount(4);
  await grid.getByRole('gridcell').nth(0).click();
  await grid
    .getByRole('gridcell')
    .nth(2)
    .click({ modifiers: ['Control'] });
  await page.getByRole('button', { name: 'Merge selected cells' }).click();
  await expect(ruleText()).toHaveValue(
    "device_id < 150,\ndevice_id >= 150 AND host < 'host-3',\ndevice_id >= 150 AND host >= 'host-3'",
  );
  await expect(ruleStatus()).toHaveText('Valid: 3 regions, no overlap, no gap.');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot('22-designer-grid-dark');
  await page.getByRole('combobox', { name: 'Second partition column' }).selectOption('');
  await page.getByRole('textbox', { name: 'New split on device_id' }).fill('100');
  await page.getByRole('textbox', { name: 'New split on device_id' }).press('Enter');
  await page.getByRole('textbox', { name: 'New split on device_id' }).fill('200');
  await page.getByRole('textbox', { name: 'New split on device_id' }).press('Enter');
  await expect(ruleStatus()).toHaveText('Valid: 3 regions, no overlap, no gap.');
  await expect(page.getByRole('listitem', { name: 'Region 3: 100 rows' })).toBeVisible();
  await shot('23-designer-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
});

test('copies the DDL, opens it in the workbench, runs it: the new table has 3 regions', async () => {
  const name = page.getByRole('textbox', { name: 'DDL table name' });
  await name.fill('sensors_by_device');
  await expect(page.getByTestId('ddl')).toContainText('CREATE TABLE IF NOT EXISTS sensors_by_device (');
  await page.getByRole('button', { name: 'Copy DDL' }).click();
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toContain(
    'PARTITION ON COLUMNS (device_id) (\n  device_id < 100,\n  device_id >= 100 AND device_id < 200,\n  device_id >= 200\n)',
  );
  await page.getByRole('button', { name: 'Open in workbench' }).click();
  const editor = page.getByTestId('editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await expect(editor.locator('.view-lines')).toContainText('sensors_by_device');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Shift+ControlOrMeta+Enter');
  await expect
    .poll(
      async () =>
        (
          await sql("SELECT count(*) FROM information_schema.partitions WHERE table_name = 'sensors_by_device'")
        )[0]?.[0],
    )
    .toBe(3);
});

test('a new table: generated rows, uniform and skewed, routed through the drawn rule', async () => {
  await page.getByRole('tab', { name: 'Partitions' }).click();
  await page.getByRole('radio', { name: 'New table' }).check();
  await expect(page.getByRole('textbox', { name: 'New table name' })).toHaveValue('metrics');
  await page.getByRole('combobox', { name: 'First partition column' }).selectOption('device_id');
  for (const split of ['250', '500', '750']) {
    await page.getByRole('textbox', { name: 'New split on device_id' }).fill(split);
    await page.getByRole('textbox', { name: 'New split on device_id' }).press('Enter');
  }
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('sample-source')).toHaveText('10000 generated rows (uniform)');
  await expect(page.getByRole('listitem', { name: /^Region 4: 2\d\d\d rows$/ })).toBeVisible();
  const uniformSkew = Number(await page.getByTestId('skew').textContent());
  expect(uniformSkew).toBeLessThan(1.1);
  await page.getByRole('combobox', { name: 'Spread' }).selectOption('skewed');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('sample-source')).toHaveText('10000 generated rows (skewed)');
  expect(Number(await page.getByTestId('skew').textContent())).toBeGreaterThan(2);
  await expect(page.getByTestId('ddl')).toContainText('CREATE TABLE metrics (');
  await shot('24-designer-new-table-light');
});
