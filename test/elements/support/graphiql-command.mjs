/**
 * A web-test-runner server command for the GraphiQL browser test (test/elements/graphiql/): opens
 * `${url}/graphql?query=…` in a new tab of the test's own Chromium (puppeteer, through the Chrome
 * launcher), refuses every request to another origin (and lists it), presses GraphiQL's run button
 * and answers what the result pane shows. A page of the test runner cannot read another origin's
 * DOM, so the driving happens here.
 *
 *   executeServerCommand('run-graphiql', { url, query }) → { outside, errors, response }
 */

/* global document -- in the callbacks puppeteer runs in the page */

/** How long GraphiQL may take to load and answer. */
const TIMEOUT_MS = 20_000;

/** The plugin. */
export function graphiqlCommands() {
  return {
    name: 'graphiql-commands',
    /** @param {{ command: string, payload: any, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command !== 'run-graphiql') return undefined;
      const { url, query } = /** @type {{ url: string, query: string }} */ (payload);
      const tab = await session.browser.getPage(session.id).browser().newPage();
      const origin = new URL(url).origin;
      /** @type {string[]} */
      const outside = [];
      /** @type {string[]} */
      const errors = [];
      try {
        await tab.setRequestInterception(true);
        tab.on('request', (request) => {
          const target = request.url();
          if (target.startsWith('data:') || new URL(target).origin === origin) void request.continue();
          else {
            outside.push(target);
            void request.abort();
          }
        });
        tab.on('pageerror', (error) => errors.push(String(error)));
        tab.on('response', (response) => {
          if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
        });
        tab.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        await tab.goto(`${url}/graphql?query=${encodeURIComponent(query)}`, {
          waitUntil: 'load',
          timeout: TIMEOUT_MS,
        });
        await tab.waitForSelector('.graphiql-execute-button', { timeout: TIMEOUT_MS });
        await tab.click('.graphiql-execute-button');
        await tab.waitForFunction(
          () => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('"data"'),
          { timeout: TIMEOUT_MS },
        );
        const response = await tab.$eval('.graphiql-response', (el) => el.textContent);
        return { outside, errors, response };
      } finally {
        await tab.close();
      }
    },
  };
}
