/**
 * `npm run screenshots`: pictures of the demo for the README, made in Debian's Chromium (nothing
 * downloaded). Starts the demo as `npm run demo` does — its functions and manifest, `demo/` served at
 * `/`, an in-process worker — on a free port with a temporary SQLite file, uses the demo page as a
 * person would, and writes to docs/screenshots/:
 *
 *   form.png          the de-identify form, filled in
 *   progress.png      a de-identify run's live progress
 *   waiting.png       a basecall run waiting on its (simulated) cluster
 *   table-output.png  the sequencing run report: nested records rendered by their declared type
 *   history.png       the run history
 *   detail.png        the detail of a finished run (opened by its link, `#run=<id>`)
 *
 * Every picture is taken once the page shows the state it is of (read from the elements' shadow
 * DOM), after one paint. The elements bundle must be built (the npm script builds it first).
 *
 *   node --import tsx --conditions=turtle-source scripts/screenshots.ts [--out docs/screenshots]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Page } from 'puppeteer-core';
import type { ExecutionPage } from '../api/index.js';
import { loadConfig } from '../server/config.js';
import { startServer } from '../server/main.js';
import { launchChromium } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** How long any one state may take to show before the script gives up. */
const STATE_TIMEOUT_MS = 30_000;

const { values: args } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = path.resolve(args.out ?? path.join(ROOT, 'docs/screenshots'));

/** The demo form for function `fn`. */
const form = (fn: string): string => `turtle-form[fn="${fn}"]`;

/**
 * Page-side: how many elements match `selector` and have a text containing `text`, searched through
 * every shadow root below the element matching `host`. Plain JavaScript added to the page as it is,
 * since tsx's transform of a function passed to puppeteer refers to helpers the page lacks.
 */
const DEEP_COUNT = `window.deepCount = (host, selector, text) => {
  const deep = (root) => [
    ...root.querySelectorAll(selector),
    ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? deep(el.shadowRoot) : [])),
  ];
  const root = document.querySelector(host)?.shadowRoot;
  return root ? deep(root).filter((el) => (el.textContent ?? '').includes(text)).length : 0;
};`;

/**
 * Waits until at least `count` elements matching `selector` — searched through every shadow root
 * below the element matching `host` — have a text containing `text` (any text when omitted).
 * Checked every frame: a MutationObserver on the document does not see into shadow roots.
 */
async function waitForDeep(page: Page, host: string, selector: string, text = '', count = 1): Promise<void> {
  const call = `window.deepCount(${[host, selector, text].map((a) => JSON.stringify(a)).join(', ')}) >= ${count}`;
  try {
    await page.waitForFunction(call, { timeout: STATE_TIMEOUT_MS, polling: 'raf' });
  } catch (error) {
    const what = `${count > 1 ? `${count} × ` : ''}${selector}${text ? ` with "${text}"` : ''}`;
    throw new Error(`${host} never showed ${what}: ${String(error)}`);
  }
}

/** Fills the form through its `values` property and presses its run button. */
async function run(page: Page, fn: string, values: Record<string, unknown>): Promise<void> {
  await page.$eval(
    form(fn),
    (el, v) => {
      (el as HTMLElement & { values: unknown }).values = v;
    },
    values,
  );
  await page.locator(`${form(fn)} >>> [part~="submit"]`).click();
}

/** Resolves after the next frame was painted. */
async function painted(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/** The demo page's table cell holding the form for `fn`: the section with its heading. */
const section = (fn: string): string => `td:has(> .box > ${form(fn)})`;

/** Writes `<name>.png` of the element matching `selector` (`>>>` pierces shadow roots), after a paint. */
async function shoot(page: Page, name: string, selector: string): Promise<void> {
  const target = await page.waitForSelector(selector);
  if (!target) throw new Error(`${selector} is not on the page`);
  await painted(page);
  const file = path.join(outDir, `${name}.png`);
  await target.screenshot({ path: file });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Starts the demo, takes the pictures, and stops it all again. */
async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-screenshots-'));
  const server = await startServer(
    loadConfig(
      {
        port: '0',
        functions: path.join(ROOT, 'demo/functions.ts'),
        manifest: path.join(ROOT, 'demo/turtle.schema.json'),
        static: path.join(ROOT, 'demo'),
      },
      { ...process.env, DATABASE_URL: `sqlite:${path.join(dataDir, 'demo.sqlite')}` },
    ),
    { logger: pino({ level: 'warn' }) },
  );
  const browser = await launchChromium({
    defaultViewport: { width: 1000, height: 700, deviceScaleFactor: 1 },
  });
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(DEEP_COUNT);
    page.on('pageerror', (error) => console.error(`page error: ${String(error)}`));
    await page.goto(`${server.url}/index.html`);
    for (const fn of ['deidentify', 'reidentify', 'runReport', 'basecall'])
      await waitForDeep(page, form(fn), '[part~="submit"]');

    await page.$eval(form('deidentify'), (el) => {
      (el as HTMLElement & { values: unknown }).values = {
        sample_ids_list: 'CL-1001, CL-1002, CL-1003, CL-1004, CL-1005, CL-1006, CL-1007, CL-1008',
        deidentification_suffix: '-S',
        flowcell_type: 'novaseq_s4',
      };
    });
    await page.$eval(
      form('deidentify'),
      (el) => (el as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete,
    );
    await shoot(page, 'form', section('deidentify'));

    await page.locator(`${form('deidentify')} >>> [part~="submit"]`).click();
    await waitForDeep(page, form('deidentify'), '[part~="progress"]', 'issued 2 of');
    await shoot(page, 'progress', section('deidentify'));

    await run(page, 'basecall', { flowcell_barcode: 'HXYZ7DSX7', cluster_seconds: 120 });
    // Waiting again after the first look at the cluster, which reports how far it got.
    await waitForDeep(page, form('basecall'), '[part~="progress"]', 's left');
    await waitForDeep(page, form('basecall'), '[part~="status"][data-status="waiting"]');
    await shoot(page, 'waiting', section('basecall'));

    await run(page, 'runReport', { run_id: '240611_A01234_0042_BHXYZ', samples: 8 });
    await waitForDeep(page, form('runReport'), '[part~="output"]', 'CL-HXYZ-08');
    await shoot(page, 'table-output', section('runReport'));

    await run(page, 'reidentify', { research_sample_ids: 'R1A2B3C4D, R5E6F7A8B' });
    await waitForDeep(page, form('reidentify'), '[part~="status"][data-status="done"]');
    await waitForDeep(page, form('deidentify'), '[part~="status"][data-status="done"]');
    // The list updates live: the three finished runs and the waiting one (a status badge each).
    await waitForDeep(page, 'turtle-executions', '[part~="status"][data-status="done"]', '', 3);
    await waitForDeep(page, 'turtle-executions', '[part~="status"][data-status="waiting"]');
    await shoot(page, 'history', '.box:has(> turtle-executions)');

    const response = await fetch(`${server.url}/api/executions?limit=10`);
    const { items } = (await response.json()) as ExecutionPage;
    const finished = items.find((e) => e.functionName === 'deidentify' && e.status === 'done');
    if (!finished) throw new Error('the de-identify run is not listed as done');
    await page.goto(`${server.url}/index.html#run=${finished.id}`);
    await waitForDeep(page, 'turtle-executions', 'turtle-execution');
    await page.waitForFunction(
      () => {
        const detail = document
          .querySelector('turtle-executions')
          ?.shadowRoot?.querySelector('turtle-execution');
        return !!detail?.shadowRoot?.querySelector('[part~="status"][data-status="done"]');
      },
      { timeout: STATE_TIMEOUT_MS, polling: 'raf' },
    );
    await shoot(page, 'detail', 'turtle-executions >>> turtle-execution');
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// As `turtle serve` does after its orderly stop: the scheduler's Agenda keeps a liveness timer alive
// for a while after it stopped, which would hold the process open for no work.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
