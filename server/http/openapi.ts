/**
 * The OpenAPI 3.1 document of the JSON API, generated from the manifest: each function gets its own
 * `POST /api/functions/<name>/executions` with its parameters as the request body schema and its
 * return type as the execution's `output`.
 *
 * Every field the server always sends is `required`, with `null` in its type (3.1 style,
 * `type: [..., 'null']`) where it may be null, so a client generated from the document (e.g. with
 * openapi-typescript) is exact; every operation has a `default` error answer.
 */
import { filterableParams, filterKindOf } from '../../manifest/filterable.js';
import type { Manifest, ManifestFunction, Schema } from '../../manifest/manifest.js';
import { ExecutionEventKind, ExecutionStatus, MAX_PAGE_SIZE, REDACTED } from '../../api/execution.js';
import { API_VERSION } from '../../api/version.js';
import { TURTLE_ERROR_TYPES } from '../../api/errors.js';
import { schedulePaths, scheduleSchemas } from './openapi-schedules.js';

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
const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** Builds the document; pure, so it can be computed once per app. */
export function createOpenApiDocument(manifest: Manifest, options: OpenApiOptions = {}): Json {
  const schemas: Record<string, Json> = { ...baseSchemas(), ...scheduleSchemas() };
  schemas.ExecutionSummary = summarySchema(schemas.Execution!);
  const paths: Record<string, Json> = { ...basePaths(), ...schedulePaths() };
  for (const fn of Object.values(manifest.functions)) {
    const key = componentKey(fn.name);
    const input = hoist(fn.params, key, schemas);
    schemas[`${key}.output`] = hoist(fn.returns, key, schemas);
    schemas[`${key}.execution`] = {
      allOf: [
        ref('Execution'),
        {
          type: 'object',
          required: ['output'],
          properties: { output: { anyOf: [ref(`${key}.output`), { type: 'null' }] } },
        },
      ],
    };
    paths[`/api/functions/${encodeURIComponent(fn.name)}/executions`] = {
      post: createOperation(fn, key, input),
    };
  }
  const list = (paths['/api/executions'] as { get: { parameters: Json[] } }).get;
  list.parameters = [...list.parameters, ...inputFilterParameters(manifest)];
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

/**
 * `input.<name>` of `GET /api/executions`, one per `@filterable` parameter name: typed like the
 * parameter (without its `null`) when every function agrees, else as text.
 */
function inputFilterParameters(manifest: Manifest): Json[] {
  const byName = new Map<string, { functions: string[]; schemas: string[] }>();
  for (const fn of Object.values(manifest.functions)) {
    for (const name of filterableParams(fn)) {
      const entry = byName.get(name) ?? { functions: [], schemas: [] };
      entry.functions.push(fn.name);
      entry.schemas.push(JSON.stringify(scalarSchema(fn.params.properties[name]!)));
      byName.set(name, entry);
    }
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, { functions, schemas }]) => ({
      name: `input.${name}`,
      in: 'query',
      required: false,
      description: `Only executions whose input \`${name}\` is exactly this (needs \`function\`); a @filterable parameter of ${functions.join(', ')}`,
      schema: new Set(schemas).size === 1 ? (JSON.parse(schemas[0]!) as Json) : { type: 'string' },
    }));
}

/** The scalar a filter value is: the parameter's type or enum, without `null`. */
function scalarSchema(schema: Schema): Json {
  const kind = filterKindOf(schema);
  if (kind === 'enum') return { enum: (schema.enum ?? []).filter((v) => v !== null) };
  return { type: typeof kind === 'string' ? kind : 'string' };
}

function createOperation(fn: ManifestFunction, key: string, input: Json): Json {
  const result = { content: { 'application/json': { schema: ref(`${key}.execution`) } } };
  return {
    operationId: `run_${key.replace(/[^A-Za-z0-9_]/g, '_')}`,
    summary: fn.title ?? fn.description ?? `Run ${fn.name}`,
    ...(fn.description !== undefined && { description: fn.description }),
    tags: ['functions'],
    parameters: [
      { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
    ],
    // Inline, not a component: generators (openapi-typescript) keep a field with a default optional
    // only in a request body; as a component it would become required.
    requestBody: { required: true, content: { 'application/json': { schema: input } } },
    responses:
      fn.mode === 'sync'
        ? { 201: { description: 'The finished execution (done or errored)', ...result }, ...commonErrors() }
        : {
            202: { description: 'The created execution; it runs in the background', ...result },
            ...commonErrors(),
          },
  };
}

function commonErrors(): Json {
  return {
    default: errorResponse('Any other error'),
    400: errorResponse('Invalid JSON or inputs (every problem with its path)'),
    401: errorResponse('Missing or invalid token'),
    403: errorResponse('Not allowed'),
    404: errorResponse('Unknown function'),
    413: errorResponse('Body too large (also once decoded)'),
    415: errorResponse('Not JSON, or a Content-Encoding other than gzip, deflate or br'),
    422: errorResponse('The Idempotency-Key was already used for another function or input'),
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
  const { definitions, ...rest } = schema;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        out[k] =
          `#/components/schemas/${key}.${componentKey(decodeURIComponent(v.slice('#/definitions/'.length)))}`;
      } else if (k === '$schema') {
        continue;
      } else {
        out[k] = rewrite(v);
      }
    }
    return out;
  };
  for (const [name, def] of Object.entries(definitions ?? {}))
    schemas[`${key}.${componentKey(name)}`] = rewrite(def) as Json;
  return rewrite(rest) as Json;
}

function baseSchemas(): Record<string, Json> {
  // Any object: said explicitly, since generators read a bare `type: object` as an empty one.
  const anyObject = { type: 'object', additionalProperties: true };
  const time = { type: 'string', format: 'date-time' };
  const nullableTime = { type: ['string', 'null'], format: 'date-time' };
  const errorFields = {
    type: 'object',
    required: ['type', 'message', 'details'],
    properties: { type: { type: 'string' }, message: { type: 'string' }, details: anyObject },
  };
  return {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          ...errorFields,
          properties: { ...errorFields.properties, type: { type: 'string', enum: [...TURTLE_ERROR_TYPES] } },
        },
      },
    },
    Function: {
      type: 'object',
      required: ['name', 'mode', 'params', 'returns'],
      properties: {
        name: { type: 'string' },
        mode: { type: 'string', enum: ['async', 'sync'] },
        title: { type: 'string' },
        description: { type: 'string' },
        params: { ...anyObject, description: 'The JSON Schema of the inputs' },
        returns: { ...anyObject, description: 'The JSON Schema of the result' },
      },
    },
    FunctionVersion: {
      allOf: [
        ref('Function'),
        {
          type: 'object',
          required: ['version', 'firstSeenAt', 'current'],
          properties: {
            version: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            firstSeenAt: { ...time, description: 'When a server first bound this version' },
            current: { type: 'boolean', description: 'Whether the server runs this version now' },
          },
        },
      ],
    },
    SchemaChangedError: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          ...errorFields,
          properties: {
            type: { type: 'string', const: 'SchemaChanged' },
            message: { type: 'string' },
            details: {
              type: 'object',
              required: [
                'executionId',
                'functionName',
                'fromVersion',
                'toVersion',
                'changes',
                'errors',
                'fitting',
                'values',
              ],
              properties: {
                executionId: { type: 'string' },
                functionName: { type: 'string' },
                fromVersion: { type: ['string', 'null'] },
                toVersion: { type: 'string' },
                changes: {
                  type: 'array',
                  description:
                    'What changed in the parameters since fromVersion: kind added (parameter, required), removed (parameter), renamed (from, to: same schema under a new name), type-changed (parameter, from, to), constraints-changed (parameter, keywords) or now-required (parameter)',
                  items: {
                    type: 'object',
                    required: ['kind'],
                    properties: {
                      kind: {
                        type: 'string',
                        enum: [
                          'added',
                          'removed',
                          'renamed',
                          'type-changed',
                          'constraints-changed',
                          'now-required',
                        ],
                      },
                      parameter: { type: 'string' },
                      required: { type: 'boolean' },
                      from: { type: 'string' },
                      to: { type: 'string' },
                      keywords: { type: 'array', items: { type: 'string' } },
                    },
                  },
                },
                errors: {
                  type: 'array',
                  description: 'Why the stored inputs do not fit, as a ValidationError lists it',
                  items: {
                    type: 'object',
                    required: ['path', 'message', 'keyword', 'params'],
                    properties: {
                      path: { type: 'string' },
                      message: { type: 'string' },
                      keyword: { type: 'string' },
                      params: anyObject,
                    },
                  },
                },
                fitting: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'The stored inputs that still fit',
                },
                values: {
                  ...anyObject,
                  description: 'Their values, to start an edited run from; secrets left out',
                },
              },
            },
          },
        },
      },
    },
    FunctionList: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: ref('Function') } },
    },
    Execution: {
      type: 'object',
      required: [
        'id',
        'functionName',
        'mode',
        'status',
        'input',
        'redactedInputs',
        'output',
        'error',
        'traceback',
        'state',
        'progress',
        'user',
        'attempts',
        'createdAt',
        'updatedAt',
        'startedAt',
        'finishedAt',
        'rerunOf',
        'scheduleId',
        'nextRunAt',
        'functionVersion',
      ],
      properties: {
        id: { type: 'string' },
        functionName: { type: 'string' },
        mode: { type: 'string', enum: ['async', 'sync'] },
        status: { type: 'string', enum: Object.values(ExecutionStatus) },
        input: {
          ...anyObject,
          description: `The validated inputs with defaults applied; each given secret (writeOnly) is "${REDACTED}", listed in redactedInputs`,
        },
        redactedInputs: {
          type: 'array',
          items: { type: 'string' },
          description: 'JSON pointers into input of the given secrets, which are never returned',
        },
        output: { description: "The function's result once done, else null" },
        error: { ...errorFields, type: ['object', 'null'] },
        traceback: {
          type: ['string', 'null'],
          description:
            "Paths relative to the server's working directory; null when the server hides tracebacks",
        },
        state: { description: 'The last checkpoint, or null' },
        progress: {
          type: ['object', 'null'],
          required: ['fraction'],
          properties: { fraction: { type: 'number', minimum: 0, maximum: 1 }, message: { type: 'string' } },
        },
        user: { type: ['string', 'null'] },
        attempts: { type: 'integer', minimum: 0 },
        createdAt: time,
        updatedAt: time,
        startedAt: nullableTime,
        finishedAt: nullableTime,
        rerunOf: { type: ['string', 'null'] },
        scheduleId: { type: ['string', 'null'], description: 'The schedule that fired it' },
        nextRunAt: nullableTime,
        functionVersion: {
          type: ['string', 'null'],
          pattern: '^[0-9a-f]{64}$',
          description:
            "The version of the function it was made with: the SHA-256 (hex) of the function's manifest entry (without source) as canonical JSON; GET /api/functions/{name}/versions/{version} answers that entry. null for runs stored before versions were",
        },
      },
    },
    ExecutionWithEvents: {
      allOf: [
        ref('Execution'),
        {
          type: 'object',
          required: ['events'],
          properties: {
            events: { type: 'array', items: ref('ExecutionEvent') },
            deliveries: {
              type: 'array',
              items: ref('WebhookDelivery'),
              description:
                'The completion webhooks of its end, oldest first (always sent by GET /api/executions/{id})',
            },
          },
        },
      ],
    },
    WebhookDelivery: {
      type: 'object',
      required: ['id', 'target', 'event', 'state', 'createdAt', 'nextAttemptAt', 'attempts'],
      properties: {
        id: { type: 'string', description: 'Also the webhook-id header of every attempt' },
        target: {
          type: 'string',
          description: "The receiver's origin; the rest of its URL may hold a secret and is not sent",
        },
        event: { type: 'string', enum: ['done', 'errored', 'cancelled'] },
        state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
        createdAt: time,
        nextAttemptAt: { ...nullableTime, description: 'Null once delivered or failed' },
        attempts: { type: 'array', items: ref('WebhookAttempt') },
      },
    },
    WebhookAttempt: {
      type: 'object',
      required: ['attempt', 'at', 'durationMs', 'statusCode', 'error'],
      properties: {
        attempt: { type: 'integer', minimum: 1 },
        at: time,
        durationMs: { type: 'integer', minimum: 0 },
        statusCode: { type: ['integer', 'null'], description: "The receiver's answer; null when none came" },
        error: { type: ['string', 'null'], description: 'Why no answer came (refused, timed out, …)' },
      },
    },
    ExecutionPage: {
      type: 'object',
      required: ['items', 'next'],
      properties: {
        // Summaries by default, whole executions with `fields=full`.
        items: { type: 'array', items: { anyOf: [ref('ExecutionSummary'), ref('Execution')] } },
        next: {
          type: ['string', 'null'],
          description: 'The cursor of the following page; null on the last one',
        },
      },
    },
    ExecutionEvent: {
      type: 'object',
      required: ['id', 'executionId', 'functionName', 'at', 'kind'],
      properties: {
        id: { type: 'integer' },
        executionId: { type: 'string' },
        functionName: { type: 'string' },
        at: time,
        kind: { type: 'string', enum: Object.values(ExecutionEventKind) },
        from: { type: 'string', enum: Object.values(ExecutionStatus), description: 'Status events only' },
        to: { type: 'string', enum: Object.values(ExecutionStatus), description: 'Status events only' },
        data: { description: 'Progress, checkpoint, retry… details; absent on status events' },
      },
    },
    RerunRequest: {
      type: 'object',
      additionalProperties: false,
      properties: {
        resume: {
          type: 'boolean',
          default: false,
          description:
            "Resume from the original's last checkpoint (only an errored execution with a `state`; else 409 NotResumable)",
        },
      },
    },
    Health: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } },
  };
}

/** Fields an execution has and a summary (`GET /api/executions` without `fields=full`) leaves out. */
const DETAIL_FIELDS = ['input', 'redactedInputs', 'output', 'state', 'traceback', 'events'];

/** `ExecutionSummary`: the `Execution` schema without its detail fields. */
function summarySchema(execution: Json): Json {
  const properties = Object.fromEntries(
    Object.entries(execution.properties as Json).filter(([key]) => !DETAIL_FIELDS.includes(key)),
  );
  const required = (execution.required as string[] | undefined)?.filter(
    (key) => !DETAIL_FIELDS.includes(key),
  );
  return {
    ...execution,
    properties,
    ...(required && { required }),
    description: 'An execution without its inputs, output, state, traceback and events',
  };
}

function basePaths(): Record<string, Json> {
  const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
  const otherwise = { default: errorResponse('Any other error') };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const query = (name: string, schema: Json): Json => ({ name, in: 'query', required: false, schema });
  const sse = {
    description: 'Server-Sent Events; each `data:` is an ExecutionEvent',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  };
  const resume = [
    {
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
    },
    query('lastEventId', { type: 'string', pattern: '^[0-9]{1,15}$' }),
  ];
  return {
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['meta'],
        responses: {
          200: { description: 'This document', ...json({ type: 'object', additionalProperties: true }) },
          ...otherwise,
        },
      },
    },
    '/api/functions': {
      get: {
        operationId: 'listFunctions',
        tags: ['functions'],
        responses: { 200: { description: 'Every function', ...json(ref('FunctionList')) }, ...otherwise },
      },
    },
    '/api/functions/{name}': {
      get: {
        operationId: 'getFunction',
        tags: ['functions'],
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'One function', ...json(ref('Function')) },
          404: errorResponse('Unknown function'),
          ...otherwise,
        },
      },
    },
    '/api/functions/{name}/versions/{version}': {
      get: {
        operationId: 'getFunctionVersion',
        tags: ['functions'],
        description:
          'The function as it was under a version an execution recorded (its functionVersion), also for a function no longer registered. The entry of a version never changes (the version is its hash); current does',
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'version', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: {
          200: { description: 'That version of the function', ...json(ref('FunctionVersion')) },
          404: errorResponse('No such version of that function was recorded'),
          ...otherwise,
        },
      },
    },
    '/api/executions': {
      get: {
        operationId: 'listExecutions',
        tags: ['executions'],
        parameters: [
          query('function', { type: 'string' }),
          query('status', { type: 'string', enum: Object.values(ExecutionStatus) }),
          query('user', { type: 'string' }),
          query('schedule', { type: 'string', description: 'Only executions fired by this schedule' }),
          query('createdAfter', { type: 'string', format: 'date-time' }),
          query('createdBefore', { type: 'string', format: 'date-time' }),
          query('limit', { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE }),
          query('cursor', { type: 'string' }),
          query('fields', { enum: ['summary', 'full'], default: 'summary' }),
        ],
        responses: {
          200: {
            description:
              'Newest first; `next` is the cursor of the following page. Items are summaries; with `fields=full`, whole executions (events aside)',
            ...json(ref('ExecutionPage')),
          },
          400: errorResponse('Bad query'),
          ...otherwise,
        },
      },
    },
    '/api/executions/{id}': {
      get: {
        operationId: 'getExecution',
        tags: ['executions'],
        parameters: [idParam],
        responses: {
          200: {
            description: 'The execution with its events and webhook deliveries',
            ...json(ref('ExecutionWithEvents')),
          },
          404: errorResponse('Unknown execution'),
          ...otherwise,
        },
      },
    },
    '/api/executions/{id}/cancel': {
      post: {
        operationId: 'cancelExecution',
        tags: ['executions'],
        parameters: [idParam],
        responses: {
          200: { description: 'Cancelled', ...json(ref('Execution')) },
          404: errorResponse('Unknown execution'),
          409: errorResponse('Already ended'),
          ...otherwise,
        },
      },
    },
    '/api/executions/{id}/rerun': {
      post: {
        operationId: 'rerunExecution',
        tags: ['executions'],
        parameters: [idParam],
        requestBody: { required: false, content: { 'application/json': { schema: ref('RerunRequest') } } },
        responses: {
          202: { description: 'The new execution', ...json(ref('Execution')) },
          400: errorResponse('Invalid body'),
          404: errorResponse('Unknown execution'),
          409: {
            description:
              "NotResumable: `resume` asked of a run that did not error, or has no checkpoint; SchemaChanged: the stored inputs no longer fit the function's current schema; nothing was run",
            ...json({ anyOf: [ref('SchemaChangedError'), ref('Error')] }),
          },
          ...otherwise,
        },
      },
    },
    '/api/executions/{id}/events': {
      get: {
        operationId: 'executionEvents',
        tags: ['events'],
        parameters: [idParam, ...resume],
        responses: {
          200: sse,
          204: {
            description:
              'The execution has ended and nothing is left after `Last-Event-ID`: stop reconnecting',
          },
          404: errorResponse('Unknown execution'),
          ...otherwise,
        },
      },
    },
    '/api/events': {
      get: {
        operationId: 'events',
        tags: ['events'],
        parameters: [query('function', { type: 'string' }), ...resume],
        responses: { 200: sse, ...otherwise },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        tags: ['health'],
        security: [],
        responses: {
          200: { description: 'The database answers', ...json(ref('Health')) },
          503: errorResponse('The database does not answer'),
          ...otherwise,
        },
      },
    },
  };
}
