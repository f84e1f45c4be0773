/** The `/api/schedules` part of the OpenAPI document (see `openapi.ts`). */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const error = (description: string): Json => ({ description, ...json(ref('Error')) });

/** The schemas of schedules. */
export function scheduleSchemas(): Record<string, Json> {
  const nullableTime = { type: ['string', 'null'], format: 'date-time' };
  const anyObject = { type: 'object', additionalProperties: true };
  return {
    Schedule: {
      type: 'object',
      required: [
        'id',
        'functionName',
        'cron',
        'timezone',
        'input',
        'redactedInputs',
        'source',
        'paused',
        'nextRunAt',
        'lastRunAt',
      ],
      properties: {
        id: { type: 'string', description: '`<function>.<n>` when defined in code, else a UUID' },
        functionName: { type: 'string' },
        cron: { type: 'string', description: '5 fields, or 6 with seconds first' },
        timezone: { type: 'string', description: 'An IANA time zone' },
        input: { ...anyObject, description: 'The inputs of every firing; secrets masked' },
        redactedInputs: { type: 'array', items: { type: 'string' } },
        source: { type: 'string', enum: ['code', 'api'] },
        paused: { type: 'boolean' },
        nextRunAt: { ...nullableTime, description: 'null while paused' },
        lastRunAt: nullableTime,
      },
    },
    NewSchedule: {
      type: 'object',
      required: ['function', 'cron'],
      additionalProperties: false,
      properties: {
        function: { type: 'string' },
        cron: { type: 'string', description: 'e.g. `0 3 * * *`: 5 fields, or 6 with seconds first' },
        timezone: { type: 'string', default: 'UTC', description: 'An IANA time zone, e.g. Europe/Berlin' },
        input: {
          ...anyObject,
          default: {},
          description: "The function's inputs, validated now (not when it fires)",
        },
      },
    },
    ScheduleList: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: ref('Schedule') } },
    },
  };
}

/** The paths of `/api/schedules`. */
export function schedulePaths(): Record<string, Json> {
  const otherwise = { default: error('Any other error') };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const change = (operationId: string, description: string): Json => ({
    post: {
      operationId,
      tags: ['schedules'],
      parameters: [idParam],
      responses: {
        200: { description, ...json(ref('Schedule')) },
        403: error('Not allowed'),
        404: error('Unknown schedule'),
        409: error('Paused already (pause) or not paused (resume)'),
        ...otherwise,
      },
    },
  });
  return {
    '/api/schedules': {
      get: {
        operationId: 'listSchedules',
        tags: ['schedules'],
        responses: {
          200: {
            description: 'Every schedule the caller may see, by function',
            ...json(ref('ScheduleList')),
          },
          ...otherwise,
        },
      },
      post: {
        operationId: 'createSchedule',
        tags: ['schedules'],
        requestBody: { required: true, ...json(ref('NewSchedule')) },
        responses: {
          201: { description: 'The new schedule', ...json(ref('Schedule')) },
          400: error('A bad cron, time zone or inputs (each problem with its path)'),
          403: error('Not allowed'),
          404: error('Unknown function'),
          ...otherwise,
        },
      },
    },
    '/api/schedules/{id}': {
      get: {
        operationId: 'getSchedule',
        tags: ['schedules'],
        parameters: [idParam],
        responses: {
          200: { description: 'The schedule', ...json(ref('Schedule')) },
          403: error('Not allowed'),
          404: error('Unknown schedule'),
          ...otherwise,
        },
      },
      delete: {
        operationId: 'deleteSchedule',
        tags: ['schedules'],
        parameters: [idParam],
        responses: {
          200: { description: 'Deleted (as it was); the executions it fired stay', ...json(ref('Schedule')) },
          403: error('Not allowed'),
          404: error('Unknown schedule'),
          409: error('Defined in code: pause it instead'),
          ...otherwise,
        },
      },
    },
    '/api/schedules/{id}/pause': change('pauseSchedule', 'Paused'),
    '/api/schedules/{id}/resume': change(
      'resumeSchedule',
      'Resumed; it fires next at its first time after now',
    ),
  };
}
