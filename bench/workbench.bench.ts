/**
 * The workbench with a 10⁶-row result, in Debian's Chromium through Playwright, against a
 * real `tessera serve`: time from Ctrl+Enter to the first rows in the grid, time to sort by a
 * column, and frame times while scrolling the grid. Needs `npm run build` (dist/renderer).
 * Everything is measured inside the page (performance.now(), requestAnimationFrame), so
 * Playwright's polling does not add to the figures.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startTessera } from '../e2e/tessera-process.ts';
import type { BenchResult } from './bench-result.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const rowCount = 1_000_000;
/** 100 × 100 × 100 rows from GreptimeDB's `numbers` table: an id, a timestamp, a value and a tag. */
const query =
  "SELECT a.number * 10000 + b.number * 100 + c.number AS id, (a.number * 10000 + b.number * 100 + c.number) * 1000 AS ts_ms, c.number * 1.5 AS value, 'host-' || b.number AS host FROM numbers a, numbers b, numbers c";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(root, 'dist/renderer/index.html'))) throw new Error('run `npm run build` first');
  const server = await startTessera('bench-workbench');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(query);
    await page.keyboard.press('Escape');

    const firstRows: number[] = [];
    /** From the last byte of the reply to the first rows on screen: Arrow decode and first render. */
    const clientSide: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // In the page: note the Ctrl+Enter keydown, then the first frame that shows the rows.
      await page.evaluate(`(() => {
        window.__bench = {};
        window.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) window.__bench.start ??= performance.now(); }, { capture: true });
        let running = false;
        const observer = new MutationObserver(() => {
          const status = document.querySelector('[data-testid="run-status"]').textContent;
          if (status.includes('Running')) running = true;
          else if (running && status.startsWith('1,000,000 rows in') && document.querySelector('[role="gridcell"]')) {
            observer.disconnect();
            requestAnimationFrame(() => { window.__bench.firstRows = performance.now(); });
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      await page.getByTestId('editor').locator('.view-lines').click();
      await page.keyboard.press('ControlOrMeta+Enter');
      await page.evaluate(`new Promise((resolve) => {
        const wait = () => (window.__bench.firstRows !== undefined ? resolve() : setTimeout(wait, 20));
        wait();
      })`);
      const timing = (await page.evaluate(`(() => {
        const request = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/sql')).at(-1);
        return { total: window.__bench.firstRows - window.__bench.start, client: window.__bench.firstRows - request.responseEnd };
      })()`)) as { total: number; client: number };
      firstRows.push(timing.total);
      clientSide.push(timing.client);
    }

    // Sort by the value column (1M keys), measured from the click to the frame showing the sorted order.
    const sortMs = Number(
      await page.evaluate(`new Promise((resolve) => {
        const header = [...document.querySelectorAll('[role="columnheader"]')].find((h) => h.textContent.startsWith('value'));
        const start = performance.now();
        header.querySelector('button').click();
        const check = () => {
          if (header.getAttribute('aria-sort') === 'ascending') requestAnimationFrame(() => resolve(performance.now() - start));
          else requestAnimationFrame(check);
        };
        check();
      })`),
    );

    // Scroll: jump a long way every frame (worst case for a virtualized grid), 240 frames.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const grid = document.querySelector('[data-testid="result-grid"]');
      const max = grid.scrollHeight - grid.clientHeight;
      const times = [];
      let last = performance.now();
      let frame = 0;
      const step = () => {
        const now = performance.now();
        // The first 20 frames warm up (JIT, first layout of far rows); the next 240 are measured.
        if (frame > 20) times.push(now - last);
        last = now;
        frame++;
        if (frame > 260) return resolve(times);
        grid.scrollTop = frame % 2 ? (frame * 7919 * 28) % max : grid.scrollTop + 600;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`)) as number[];
    const sorted = [...frames].sort((a, b) => a - b);
    const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
    const best = Math.min(...firstRows);
    const note = `${rowCount.toLocaleString('en-US')} rows × 4 columns, Arrow over HTTP, headless Chromium (no GPU), load average ${loadavg()[0]!.toFixed(1)}`;
    return [
      {
        name: 'time to first rows (best of 3)',
        value: best,
        unit: 'ms',
        note: `${note}; runs ${firstRows.map((t) => t.toFixed(0)).join(', ')} ms`,
      },
      {
        name: 'of which in the browser (decode + render)',
        value: clientSide[firstRows.indexOf(best)]!,
        unit: 'ms',
        note: "from the reply's last byte to the first rows painted; the rest is the server and the transfer",
      },
      { name: 'sort by a column', value: sortMs, unit: 'ms', note },
      {
        name: 'scroll frame time, mean',
        value: mean,
        unit: 'ms',
        note: '240 frames, each a jump to a far row or a 600 px scroll',
      },
      {
        name: 'scroll frame time, p95',
        value: percentile(sorted, 0.95),
        unit: 'ms',
        note: '60 Hz display: 16.7 ms is a full-rate frame',
      },
      { name: 'scroll frame time, max', value: sorted.at(-1)!, unit: 'ms' },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
