/**
 * The elements in a React 19 page and a Vue 3 page, each built by Vite from test/hosts/<host>/ and
 * served by a real turtle API with bearer tokens on (SQLite), in Debian's Chromium: the host sets
 * `values` and `token` as properties, hears the `turtle-*` events, and renders their typed `detail`
 * into its own DOM, which is what these tests read.
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
      text: li.textContent ?? '',
    })),
  );
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
      before(async () => {
        page = await browser.newPage();
      });
      after(async () => {
        await page.close();
      });

      test('fills the form from `values`, runs it with `token`, and hears its events and the history’s', async () => {
        await page.goto(`${api.url}/${host}/?token=${TOKEN}`);
        // `values` (an object: only a property can carry it) filled the form.
        const filled = await page.waitForFunction(() => {
          const controls = document
            .querySelector('turtle-form')
            ?.shadowRoot?.querySelectorAll<HTMLInputElement>('[part~="control"]');
          const values = [...(controls ?? [])].map((c) => c.value);
          return values.length === 2 && values.every(Boolean) && values;
        }, WAIT);
        assert.deepEqual(await filled.jsonValue(), ['2', '3']);

        await page.locator('turtle-form >>> [part~="submit"]').click();
        await page.waitForSelector('#events li[data-event="turtle-finish"]', WAIT);
        const events = await loggedEvents(page);
        const created = events.find((e) => e.type === 'turtle-created');
        assert.ok(created, JSON.stringify(events));
        const [fn, id] = created.text.split(' ');
        assert.equal(fn, 'add');
        assert.deepEqual(
          events.map((e) => [e.type, e.source]),
          [
            ['turtle-created', 'turtle-form'],
            ['turtle-finish', 'turtle-form'],
          ],
        );
        assert.equal(events[1]!.text, 'done 5');

        // The token went with the request: the run is the token's user's.
        const stored = await api.request(`/api/executions/${id}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        assert.equal(stored.body.user, 'tester');
        assert.deepEqual(stored.body.input, { a: 2, b: 3 });

        // `<turtle-executions>` (with the same token) lists the run live; choosing it tells the host.
        const row = `turtle-executions >>> tr[part~="row"][data-id="${id}"]`;
        await page.waitForSelector(`${row}[data-status="done"]`, WAIT);
        await page.locator(`${row} button`).click();
        await page.waitForSelector('#events li[data-event="turtle-select"]', WAIT);
        const selected = (await loggedEvents(page)).filter((e) => e.type === 'turtle-select');
        assert.deepEqual(selected, [{ type: 'turtle-select', source: 'turtle-executions', text: id }]);
        assert.ok(!(await loggedEvents(page)).some((e) => e.type === 'turtle-error'));
      });

      test('with a wrong token, both elements say so and the host hears the refusal', async () => {
        await page.goto(`${api.url}/${host}/?token=wrong`);
        await page.waitForFunction(
          () =>
            ['turtle-form', 'turtle-executions'].every((tag) =>
              document.querySelector(`#events li[data-event="turtle-error"][data-source="${tag}"]`),
            ),
          WAIT,
        );
        const errors = (await loggedEvents(page)).filter((e) => e.type === 'turtle-error');
        assert.ok(errors.length >= 2, JSON.stringify(errors));
        for (const error of errors) assert.equal(error.text, 'Unauthorized 401');
        const message = await page.waitForSelector('turtle-form >>> [part~="form-errors"]', WAIT);
        assert.match((await message!.evaluate((p) => p.textContent)) ?? '', /valid token/);
      });
    });
  }
});
