/**
 * The options of `createApp`, and the resolved form the routes receive.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Manifest } from '../../manifest/manifest.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import type { Authenticate } from './auth.js';
import type { ExecutionsPort } from './executions-port.js';
import type { ExecutionPresenter } from '../presentation/execution-presenter.js';
import type { SchedulesPort } from './schedules-port.js';
import type { GraphQLOptions } from '../graphql/mount-graphql.js';

/** Options of `createApp`. */
export interface CreateAppOptions {
  /**
   * The executions service (`createExecutions(...)`). Required. It decides whether a run is sync or
   * background and hands background ones to its own `scheduler` port; the API only answers.
   */
  executions: ExecutionsPort;
  /**
   * The schedules service (`createSchedules(...)`), answering `/api/schedules`; default none (those
   * routes then answer 404 RouteNotFound).
   */
  schedules?: SchedulesPort;
  /** The registry bound to the manifest: the functions the API lists, documents and runs. Required. */
  functions: Pick<BoundRegistry, 'manifest' | 'list'>;
  /** The database, for `GET /healthz`. Required. */
  knex: Knex;
  /** Structured logger; default a pino logger at `info` on stdout. */
  logger?: Logger;
  /** Largest JSON body in bytes; default 1 MB (`TURTLE_BODY_LIMIT`). */
  bodyLimit?: number;
  /** Bearer tokens by user name; default none. Auth is on when this or `authenticate` is given. */
  tokens?: Record<string, string>;
  /** Resolves a request's user (or nothing); tried before the tokens; default none. */
  authenticate?: Authenticate;
  /** May `user` run `functionName`? `false` answers 403 `Forbidden`; default: everyone may. */
  authorize?: (user: string | undefined, functionName: string) => boolean | Promise<boolean>;
  /** Each user sees and acts on only their own executions (others' answer 404); default false. */
  ownExecutionsOnly?: boolean;
  /** Origins allowed by CORS (`['*']` for any, without credentials); default none. */
  corsOrigins?: string[];
  /**
   * The folder `npm run build` wrote the elements bundle to (`elements.js`, its `.br` and `.gz`,
   * `elements.json`), served at `/turtle/elements.js`; default the package's `dist/elements/`.
   */
  elementsDir?: string;
  /** A folder served at `/` (e.g. a demo page); default none. */
  staticDir?: string;
  /**
   * How often the app's one event feed, shared by every open Server-Sent Events stream, reads the
   * database for changes made by other processes (only while a stream is open); default 500 ms.
   */
  eventsPollMs?: number;
  /** How often an idle event stream sends a heartbeat comment; default 15 000 ms. */
  heartbeatMs?: number;
  /** When aborted (shutdown), open event streams end (and new ones end at once) so the server can close; default none. */
  signal?: AbortSignal;
  /**
   * Send executions' tracebacks to API clients, with paths relative to the working directory;
   * `false` answers `traceback: null` (they are stored in full either way). Default true
   * (`TURTLE_EXPOSE_TRACEBACKS`).
   */
  exposeTracebacks?: boolean;
  /**
   * Mount the GraphQL endpoint, generated from the manifest, at `/graphql` (and GraphiQL for
   * browsers), with the same auth, CORS and limits as `/api`; an object sets its depth and cost
   * limits. Default false (`turtle serve --graphql`, `TURTLE_GRAPHQL=1`).
   */
  graphql?: boolean | GraphQLOptions;
}

/** The options after defaults, as routes see them. */
export interface AppContextDeps {
  executions: ExecutionsPort;
  manifest: Manifest;
  authorize?: CreateAppOptions['authorize'];
  ownExecutionsOnly: boolean;
  bodyLimit: number;
  eventsPollMs: number;
  heartbeatMs: number;
  signal?: AbortSignal;
  logger: Logger;
  /** Builds every execution the routes answer with (secrets masked, tracebacks made safe). */
  present: ExecutionPresenter;
}
