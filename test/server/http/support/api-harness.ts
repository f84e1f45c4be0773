/**
 * The real app on a real port over a real database (SQLite or MariaDB), for the API tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { pino } from 'pino';
import type { DatabaseKind } from '../../../../server/storage/database.js';
import { createExecutions } from '../../../../server/executions/index.js';
import type { EnqueuePort, Executions, ExecutionsOptions } from '../../../../server/executions/index.js';
import type { BoundRegistry, Registry } from '../../../../server/registry/index.js';
import type { Manifest } from '../../../../manifest/manifest.js';
import { migrate } from '../../../../server/storage/migrate.js';
import { createAgenda, createScheduler, createSchedules } from '../../../../server/scheduler/index.js';
import { answerClientErrors } from '../../../../server/http/client-errors.js';
import { createApp } from '../../../../server/http/create-app.js';
import type { CreateAppOptions } from '../../../../server/http/app-options.js';
import type { AppState } from '../../../../server/http/app-state.js';
import { createTestDatabase, type TestDatabase } from '../../../support/databases.js';
import { fixtureManifest, fixtureRegistry } from './fixture-functions.js';

/** A response read whole. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: any;
}

/** A running API. */
export interface ApiHarness {
  db: TestDatabase;
  url: string;
  executions: Executions;
  /** The Koa app under test (its routers are reachable through `app.middleware[i].router`). */
  app: Koa<AppState>;
  /** The bound fixture functions (to build a second service, as another process would). */
  functions: BoundRegistry;
  /** Lines the app logged (pino JSON, parsed). */
  logs: Array<Record<string, unknown>>;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** Functions an API test runs instead of the fixture functions, with their manifest. */
export interface ApiFunctions {
  registry: Registry;
  manifest: Manifest;
  /** Options of the executions service beyond the defaults the harness sets. */
  executions?: Partial<ExecutionsOptions>;
}

/**
 * Options of {@link startApi}: those of `createApp`, the `scheduler` port given to the executions
 * service, and `withSchedules` to answer `/api/schedules` (a schedules service on the same database,
 * whose schedules nothing fires).
 */
export type ApiOptions = Partial<CreateAppOptions> & { scheduler?: EnqueuePort; withSchedules?: boolean };

/** Starts the app on `kind` with `options` on top of the fixture functions (or `fixtures`). */
export async function startApi(
  kind: DatabaseKind,
  options: ApiOptions = {},
  fixtures: ApiFunctions = { registry: fixtureRegistry(), manifest: fixtureManifest },
): Promise<ApiHarness> {
  const db = await createTestDatabase(kind, 'http');
  await migrate(db.knex);
  const functions = fixtures.registry.bind(fixtures.manifest, { manifestDir: '.', checkSources: false });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        logs.push(JSON.parse(line));
      },
    },
  );
  const { scheduler, withSchedules, ...appOptions } = options;
  if (withSchedules) {
    await createScheduler.migrate(db.knex);
    appOptions.schedules = createSchedules({ agenda: createAgenda(db.knex, false).agenda, functions });
  }
  const executions = createExecutions({
    knex: db.knex,
    functions,
    progressThrottleMs: 0,
    logger,
    scheduler,
    ...fixtures.executions,
  });
  const app = createApp({ executions, functions, knex: db.knex, logger, eventsPollMs: 50, ...appOptions });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    url,
    executions,
    functions,
    logs,
    app,
    async request(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const response = await fetch(url + path, {
        ...rest,
        headers,
        ...(json !== undefined && { body: JSON.stringify(json) }),
      });
      const text = await response.text();
      let body: unknown = text;
      if ((response.headers.get('content-type') ?? '').includes('json') && text !== '')
        body = JSON.parse(text);
      return { status: response.status, headers: response.headers, body };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}
