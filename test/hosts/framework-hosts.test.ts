/**
 * The elements in a React 19 page and a Vue 3 page, each built by Vite from test/hosts/<host>/ and
 * served by a real turtle API with bearer tokens on (SQLite), in Debian's Chromium: the host sets
 * `values` and `token` as properties (and sets them again when its state changes), hears the
 * `turtle-*` events, and renders their typed `detail` into its own DOM, which is what these tests read.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startApi, type ApiHarness } from '../server/http/support/api-harness.js';
import { buildHosts, type HostName } from './support/host-builds.js';
import type { LoggedEvent } from './shared/turtle-events.js';

const TOKEN = 'host-page-token';
const HOSTS: HostName[] = ['react', 'vue'];
/** Bounds each wait for the page; a state that never comes fails the test instead of hanging it. */
const WAIT = { timeout: 15_000 };

/** The host page's own event log (`<ol id="events">`), as it rendered it. */
function loggedEvents(page: Page): Promise<LoggedEvent[]> {
  return page.$$eval('#events li', (items) =>
    items.map((li) => ({
      type: li.getAttribute('data-event') as LoggedEvent['type'],
      source: li.getAttribute('data-source') ?? '',
      text: li.textContent?.trim() ?? '',
    })),
  );
}

/** Waits until the form's two number fields read `expected` (the form has loaded and been filled). */
async function waitForFields(page: Page, expected: [string, string]): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const controls = document
        .querySelector('turtle-form')
        ?.shadowRoot?.querySelectorAll<HTMLInputElement>('[part~="control"]');
      return JSON.stringify([...(controls ?? [])].map((c) => c.value)) === JSON.stringify(expected);
    },
    WAIT,
    expected,
  );
}

/** Runs the form and answers the new execution's id, once the host has logged its end. */
async function run(page: Page): Promise<string> {
  const before = (await loggedEvents(page)).length;
  await page.locator('turtle-form >>> [part~="submit"]').click();
  await page.waitForFunction(
    (before) =>
      document.querySelectorAll('#events li[data-event="turtle-finish"]').length > 0 &&
      document.querySelectorAll('#events li').length >= before + 2,
    WAIT,
    before,
  );
  const created = (await loggedEvents(page)).slice(before).find((e) => e.type === 'turtle-created');
  assert.ok(created);
  const [fn, id] = created.text.split(' ');
  assert.equal(fn, 'add');
  return id!;
}

describe('framework hosts', () => {
  let dir: string;
  let api: ApiHarness;
  let browser: Browser;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-hosts-'));
    const site = path.join(dir, 'site');
    [, api, browser] = await Promise.all([
      buildHosts(site),
      startApi('sqlite', { staticDir: site, tokens: { tester: TOKEN } }),
      launchChromium(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const host of HOSTS) {
    describe(host, () => {
      let page: Page;
      /** Uncaught exceptions in the page: a host page that works throws none. */
      const thrown: Error[] = [];
      before(async () => {
        page = await browser.newPage();
        page.on('pageerror', (error) => thrown.push(error as Error));
      });
      after(async () => {
        await page.close();
        assert.deepEqual(thrown, []);
      });

      test('fills the form from `values`, runs it with `token`, and hears its events and the history’s', async () => {
        await page.goto(`${api.url}/${host}/?token=${TOKEN}`);
        // `values` is an object: only a property carries it, and setting it again refills the form.
        await waitForFields(page, ['2', '3']);
        await page.locator('#preset').click();
        await waitForFields(page, ['10', '20']);

        const id = await run(page);
        assert.deepEqual(
          (await loggedEvents(page)).map((e) => [e.type, e.source, e.text]),
          [
            ['turtle-created', 'turtle-form', `add ${id}`],
            ['turtle-finish', 'turtle-form', 'done 30'],
          ],
        );
        // The token went with the request: the run is the token's user's.
        const stored = await api.request(`/api/executions/${id}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        assert.equal(stored.body.user, 'tester');
        assert.deepEqual(stored.body.input, { a: 10, b: 20 });

        // `<turtle-executions>` (with the same token) lists the run live; choosing it tells the host.
        const row = `turtle-executions >>> tr[part~="row"][data-id="${id}"]`;
        await page.waitForSelector(`${row}[data-status="done"]`, WAIT);
        await page.locator(`${row} button`).click();
        await page.waitForSelector('#events li[data-event="turtle-select"]', WAIT);
        assert.deepEqual(
          (await loggedEvents(page)).filter((e) => e.type !== 'turtle-created' && e.type !== 'turtle-finish'),
          [{ type: 'turtle-select', source: 'turtle-executions', text: id }],
        );
      });

      test('with a wrong token both elements say so and the host hears it; signing in recovers both', async () => {
        await page.goto(`${api.url}/${host}/?token=wrong`);
        await page.waitForFunction(
          () =>
            ['turtle-form', 'turtle-executions'].every((tag) =>
              document.querySelector(`#events li[data-event="turtle-error"][data-source="${tag}"]`),
            ),
          WAIT,
        );
        const errors = await loggedEvents(page);
        assert.ok(
          errors.every((e) => e.type === 'turtle-error' && e.text === 'Unauthorized 401'),
          JSON.stringify(errors),
        );
        const message = await page.waitForSelector('turtle-form >>> [part~="form-errors"]', WAIT);
        assert.match((await message!.evaluate((p) => p.textContent)) ?? '', /valid token/);

        // The host's state gets the right token: both elements load again with it, no reload.
        await page.locator('#sign-in input').fill(TOKEN);
        await page.locator('#sign-in button').click();
        await waitForFields(page, ['2', '3']);
        const id = await run(page);
        await page.waitForSelector(`turtle-executions >>> tr[part~="row"][data-id="${id}"]`, WAIT);
        assert.equal(
          (await page.$$('turtle-executions >>> [role="alert"]')).length,
          0,
          'the list still shows the refusal',
        );
      });
    });
  }
});
