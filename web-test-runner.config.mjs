/**
 * Browser tests of the elements (`npm run test:elements`): Debian's Chromium, TypeScript compiled by
 * esbuild, and a real turtle API started for the run (see test/elements/support/api-server.ts).
 * Nothing here downloads a browser.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { graphiqlCommands } from './test/elements/support/graphiql-command.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

/** The path tests fetch to learn the API's URL. */
const API_URL_PATH = '/__turtle/api-url';
/** Bounds the API's start-up (it generates its manifest with the TypeScript compiler first). */
const API_START_TIMEOUT_MS = 60_000;

/** Starts the API process with the runner's server and stops it with it; serves its URL to the tests. */
function turtleApi() {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  /** `{ url, authUrl, token }` as the API process printed it. */
  let api = '';
  return {
    name: 'turtle-api',
    async serverStart() {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=turtle-source', 'test/elements/support/api-server.ts'],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: child.stdout });
      api = await new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('The turtle API did not start in time')),
          API_START_TIMEOUT_MS,
        );
        child.once('exit', (code) =>
          reject(new Error(`The turtle API exited with ${code} before listening`)),
        );
        lines.on('line', (line) => {
          const match = /^TURTLE_API_URL=(\{.*\})$/.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          } else {
            process.stdout.write(`[api] ${line}\n`);
          }
        });
      });
    },
    async serverStop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
    serve(context) {
      if (context.path === API_URL_PATH) return { body: api, type: 'application/json' };
      return undefined;
    },
  };
}

export default {
  files: [
    'test/elements/turtle-*/**/*.test.ts',
    'test/elements/graphiql/*.test.ts',
    'test/elements/event-stream/*.test.ts',
    'test/elements/contract/*.test.ts',
  ],
  nodeResolve: true,
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 20_000 } },
  // Lit's dev build is kept for its extra checks; its one-line notice is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
      // "Copy link" writes the clipboard, and its test reads it back: grant both, for every origin.
      async createPage({ context }) {
        const page = await context.newPage();
        const cdp = await page.createCDPSession();
        await cdp.send('Browser.grantPermissions', {
          permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'],
          ...(context.id ? { browserContextId: context.id } : {}),
        });
        return page;
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    turtleApi(),
    graphiqlCommands(),
  ],
};
