/**
 * The OpenAPI 3.1 document of the JSON API, generated from the manifest: each function gets its own
 * `POST /api/functions/<name>/executions` with its parameters as the request body schema and its
 * return type as the execution's `output`.
 */
import type { Manifest, ManifestFunction, Schema } from '../../manifest/manifest.js';
import { ExecutionStatus } from '../../api/execution.js';
import { API_VERSION } from '../../api/version.js';
import { MAX_PAGE_SIZE } from './routes/executions.js';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiOptions {
  /** `info.title`; default `turtle-shell API`. */
  title?: string;
  /** `info.version`; default `1`. */
  version?: string;
  /** Whether the API asks for bearer tokens; default false. */
  bearerAuth?: boolean;
}

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('Error') } } });

/** Builds the document; pure, so it can be computed once per app. */
export function createOpenApiDocument(manifest: Manifest, options: OpenApiOptions = {}): Json {
  const schemas: Record<string, Json> = { ...baseSchemas() };
  const paths: Record<string, Json> = { ...basePaths() };
  for (const fn of Object.values(manifest.functions)) {
    const key = componentKey(fn.name);
    schemas[`${key}.input`] = hoist(fn.params, key, schemas);
    schemas[`${key}.output`] = hoist(fn.returns, key, schemas);
    schemas[`${key}.execution`] = {
      allOf: [ref('Execution'), { type: 'object', properties: { output: { anyOf: [ref(`${key}.output`), { type: 'null' }] } } }],
    };
    paths[`/api/functions/${encodeURIComponent(fn.name)}/executions`] = { post: createOperation(fn, key) };
  }
  const doc: Json = {
    openapi: '3.1.0',
    info: { title: options.title ?? 'turtle-shell API', version: options.version ?? API_VERSION },
    paths,
    components: {
      schemas,
      ...(options.bearerAuth && { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }),
    },
  };
  if (options.bearerAuth) doc.security = [{ bearer: [] }];
  return doc;
}

function createOperation(fn: ManifestFunction, key: string): Json {
  const result = { content: { 'application/json': { schema: ref(`${key}.execution`) } } };
  return {
    operationId: `run_${key.replace(/[^A-Za-z0-9_]/g, '_')}`,
    summary: fn.title ?? fn.description ?? `Run ${fn.name}`,
    ...(fn.description !== undefined && { description: fn.description }),
    tags: ['functions'],
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
    requestBody: { required: true, content: { 'application/json': { schema: ref(`${key}.input`) } } },
    responses: fn.mode === 'sync'
      ? { 201: { description: 'The finished execution (done or errored)', ...result }, ...commonErrors() }
      : { 202: { description: 'The created execution; it runs in the background', ...result }, ...commonErrors() },
  };
}

function commonErrors(): Json {
  return {
    400: errorResponse('Invalid JSON or inputs (every problem with its path)'),
    401: errorResponse('Missing or invalid token'),
    403: errorResponse('Not allowed'),
    404: errorResponse('Unknown function'),
    413: errorResponse('Body too large'),
    415: errorResponse('Not JSON'),
  };
}

/** A component name safe in a JSON pointer: `~` and `/` would need escaping. */
function componentKey(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Copies a manifest schema, moving its `definitions` to components and rewriting `#/definitions/X`
 * references (which would otherwise resolve against the OpenAPI document's root).
 */
function hoist(schema: Schema, key: string, schemas: Record<string, Json>): Json {
  const { definitions, ...rest } = schema as Schema & { definitions?: Record<string, Schema> };
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        out[k] = `#/components/schemas/${key}.${componentKey(decodeURIComponent(v.slice('#/definitions/'.length)))}`;
      } else if (k === '$schema') {
        continue;
      } else {
        out[k] = rewrite(v);
      }
    }
    return out;
  };
  for (const [name, def] of Object.entries(definitions ?? {})) schemas[`${key}.${componentKey(name)}`] = rewrite(def) as Json;
  return rewrite(rest) as Json;
}

function baseSchemas(): Record<string, Json> {
  const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
  const time = { type: 'string', format: 'date-time' };
  return {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['type', 'message', 'details'],
          properties: { type: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
        },
      },
    },
    Function: {
      type: 'object',
      required: ['name', 'mode', 'params', 'returns'],
      properties: {
        name: { type: 'string' }, mode: { enum: ['async', 'sync'] }, title: { type: 'string' },
        description: { type: 'string' }, params: { type: 'object' }, returns: { type: 'object' },
      },
    },
    Execution: {
      type: 'object',
      required: ['id', 'functionName', 'mode', 'status', 'input', 'createdAt'],
      properties: {
        id: { type: 'string' }, functionName: { type: 'string' }, mode: { enum: ['async', 'sync'] },
        status: { enum: Object.values(ExecutionStatus) }, input: { type: 'object' }, output: {},
        error: nullable({ type: 'object', properties: { type: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } }),
        traceback: nullable({ type: 'string' }), state: {},
        progress: nullable({ type: 'object', properties: { fraction: { type: 'number' }, message: { type: 'string' } } }),
        user: nullable({ type: 'string' }), attempts: { type: 'integer' },
        createdAt: time, updatedAt: time, startedAt: nullable(time), finishedAt: nullable(time),
        rerunOf: nullable({ type: 'string' }), nextRunAt: nullable(time),
      },
    },
    ExecutionEvent: {
      type: 'object',
      required: ['id', 'executionId', 'functionName', 'at', 'kind'],
      properties: {
        id: { type: 'integer' }, executionId: { type: 'string' }, functionName: { type: 'string' }, at: time,
        kind: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, data: {},
      },
    },
  };
}

function basePaths(): Record<string, Json> {
  const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const sse = { description: 'Server-Sent Events; each `data:` is an ExecutionEvent', content: { 'text/event-stream': { schema: { type: 'string' } } } };
  const query = (name: string, schema: Json): Json => ({ name, in: 'query', required: false, schema });
  return {
    '/api/functions': {
      get: { operationId: 'listFunctions', tags: ['functions'], responses: { 200: { description: 'Every function', ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Function') } } }) } } },
    },
    '/api/functions/{name}': {
      get: {
        operationId: 'getFunction', tags: ['functions'],
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'One function', ...json(ref('Function')) }, 404: errorResponse('Unknown function') },
      },
    },
    '/api/executions': {
      get: {
        operationId: 'listExecutions', tags: ['executions'],
        parameters: [
          query('function', { type: 'string' }), query('status', { enum: Object.values(ExecutionStatus) }),
          query('user', { type: 'string' }), query('createdAfter', { type: 'string', format: 'date-time' }),
          query('createdBefore', { type: 'string', format: 'date-time' }),
          query('limit', { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE }), query('cursor', { type: 'string' }),
        ],
        responses: {
          200: { description: 'Newest first; `next` is the cursor of the following page', ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Execution') }, next: { type: ['string', 'null'] } } }) },
          400: errorResponse('Bad query'),
        },
      },
    },
    '/api/executions/{id}': {
      get: {
        operationId: 'getExecution', tags: ['executions'], parameters: [idParam],
        responses: { 200: { description: 'The execution with its events', ...json({ allOf: [ref('Execution'), { type: 'object', properties: { events: { type: 'array', items: ref('ExecutionEvent') } } }] }) }, 404: errorResponse('Unknown execution') },
      },
    },
    '/api/executions/{id}/cancel': {
      post: { operationId: 'cancelExecution', tags: ['executions'], parameters: [idParam], responses: { 200: { description: 'Cancelled', ...json(ref('Execution')) }, 404: errorResponse('Unknown execution'), 409: errorResponse('Already ended') } },
    },
    '/api/executions/{id}/rerun': {
      post: { operationId: 'rerunExecution', tags: ['executions'], parameters: [idParam], responses: { 202: { description: 'The new execution', ...json(ref('Execution')) }, 404: errorResponse('Unknown execution') } },
    },
    '/api/executions/{id}/events': {
      get: { operationId: 'executionEvents', tags: ['events'], parameters: [idParam], responses: { 200: sse, 204: { description: 'The execution has ended and nothing is left after `Last-Event-ID`: stop reconnecting' }, 404: errorResponse('Unknown execution') } },
    },
    '/api/events': {
      get: { operationId: 'events', tags: ['events'], parameters: [query('function', { type: 'string' })], responses: { 200: sse } },
    },
    '/healthz': {
      get: { operationId: 'health', tags: ['health'], security: [], responses: { 200: { description: 'The database answers', ...json({ type: 'object' }) }, 503: errorResponse('The database does not answer') } },
    },
  };
}
