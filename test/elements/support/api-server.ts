/**
 * A real turtle API for the browser tests, run as its own process by the web-test-runner plugin
 * (`web-test-runner.config.mjs`): SQLite in a temp dir, the fixture functions, and a manifest
 * generated from them at start; a second app on the same store has bearer tokens on. Each is also
 * reachable through a gate the tests can cut (api-gate.ts). Background
 * executions are advanced in this process as soon as the API enqueues them. Prints
 * `TURTLE_API_URL={"url","authUrl","token","gateUrl","authGateUrl","contractUrl"}` once listening; stops on SIGTERM or when stdin closes.
 * Both serve `/graphql` and GraphiQL, from `dist/graphiql/` (built here, into a temp dir, when
 * `npm run build` has not made it).
 *
 * Run alone: `node --import tsx --conditions=turtle-source test/elements/support/api-server.ts`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { generateManifest } from '../../../schema-gen/generate-manifest.js';
import { createExecutions, migrate, openDatabase, registry, type Executions } from '../../../server/index.js';
import { createApp } from '../../../server/http/create-app.js';
import { createAgenda, createScheduler, createSchedules } from '../../../server/scheduler/index.js';
import { defaultGraphiqlDir } from '../../../server/graphql/graphiql-page.js';
import { buildGraphiql } from '../../../scripts/build-graphiql.mjs';
import '../fixtures/functions.js';
import { seedOldSchemaRun } from './old-schema-run.js';
import { deliverAtOnce, startReceiver } from './webhook-stand-in.js';
import { startGate } from './api-gate.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { checkAnswers } from '../../support/openapi-answers.js';

/** The bearer token of the user `tester` on the API with auth on. */
const TEST_TOKEN = 'browser-test-token';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-elements-'));
const knex = openDatabase(`sqlite:${path.join(dir, 'turtle.sqlite')}`);
await migrate(knex);

const manifest = generateManifest({ entry: path.join(fixtures, 'functions.ts'), baseDir: fixtures });
const functions = registry.bind(manifest, { manifestDir: fixtures });
await seedOldSchemaRun(knex, manifest, registry, fixtures);
const logger = pino({ level: process.env.TURTLE_LOG_LEVEL ?? 'warn' });
const shutdown = new AbortController();
const receiver = await startReceiver();
const executions: Executions = createExecutions({
  knex,
  functions,
  logger,
  progressThrottleMs: 50,
  webhookUrls: [receiver.url],
  // Stands in for the Agenda scheduler: the tests are about the elements, not about workers.
  scheduler: {
    enqueue: (execution: { id: string }) => {
      executions
        .advance(execution.id, { workerId: 'browser-tests', signal: shutdown.signal })
        .catch((err: unknown) => logger.error({ err }, 'advance failed'));
    },
  },
});

// Schedules are stored (and paused, resumed) for `<turtle-schedules>`; nothing here fires them.
await createScheduler.migrate(knex);
const schedules = createSchedules({ agenda: createAgenda(knex, false).agenda, functions });
// One execution as the firing of schedule `seeded-schedule` stores it, for `<turtle-executions schedule>`.
await executions.submit(
  'checkCode',
  { code: 'OK' },
  { user: 'schedule:seeded-schedule', scheduleId: 'seeded-schedule' },
);
deliverAtOnce(knex, executions, functions);
let graphiqlDir = defaultGraphiqlDir();
if (!fs.existsSync(path.join(graphiqlDir, 'graphiql.json'))) {
  graphiqlDir = path.join(dir, 'graphiql');
  await buildGraphiql({ outDir: graphiqlDir });
}

const options = {
  executions,
  schedules,
  functions,
  knex,
  logger,
  // The test pages come from the test runner's origin; a legacy page on another origin is the real case too.
  corsOrigins: ['*'],
  eventsPollMs: 100,
  signal: shutdown.signal,
  graphql: { graphiqlDir },
};
const app = createApp(options);
// The same API with bearer tokens on, for the tests of the `token` attribute.
const authApp = createApp({ ...options, tokens: { tester: TEST_TOKEN } });

const server = app.listen(0, '127.0.0.1');
const authServer = authApp.listen(0, '127.0.0.1');
await Promise.all([once(server, 'listening'), once(authServer, 'listening')]);
const url = (s: typeof server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
// Each API behind a gate the tests can cut (see api-gate.ts).
const gate = await startGate(url(server));
const authGate = await startGate(url(authServer));
// The API as the contract test's elements reach it: every answer recorded, and checked on request
// against the OpenAPI document the API serves.
const contractGate = await startGate(url(server), {
  report: async (answers) => {
    const document: unknown = await (await fetch(`${url(server)}/api/openapi.json`)).json();
    const validator = new Validator();
    const { valid, errors } = await validator.validate(document as Record<string, unknown>);
    if (!valid)
      return { covered: [], problems: [`the served document is invalid: ${JSON.stringify(errors)}`] };
    return checkAnswers(validator.resolveRefs(), answers);
  },
});
process.stdout.write(
  `TURTLE_API_URL=${JSON.stringify({
    url: url(server),
    authUrl: url(authServer),
    token: TEST_TOKEN,
    gateUrl: gate.url,
    authGateUrl: authGate.url,
    contractUrl: contractGate.url,
  })}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  shutdown.abort();
  receiver.close();
  gate.close();
  authGate.close();
  contractGate.close();
  for (const s of [server, authServer]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The runner holds our stdin: when it goes away (even killed), so do we.
process.stdin.on('end', () => void stop());
process.stdin.resume();
