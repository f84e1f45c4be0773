import { TurtleApiError } from './api-error.js';
import type {
  Execution,
  ExecutionPage,
  ExecutionQuery,
  ExecutionSummary,
  FunctionInfo,
  FunctionVersionInfo,
  Schedule,
  ScheduleList,
} from '../../api/index.js';

/** Where and how the elements reach the JSON API. */
export interface ApiClientOptions {
  /** The server's origin (or a path prefix under it); the API lives at `<base>/api/…`. */
  base: string;
  /** Sent as `Authorization: Bearer <token>` when given. Default: none. */
  token?: string | undefined;
}

/**
 * The small JSON API client the elements share. Every call takes an optional `AbortSignal`, so a
 * `Task` can drop a request the element no longer needs; failures throw {@link TurtleApiError}.
 *
 * @example
 * const api = new ApiClient({ base: 'https://turtle.example.org' });
 * const { functions } = await api.listFunctions(signal);
 */
export class ApiClient {
  readonly base: string;
  readonly token: string | undefined;

  constructor({ base, token }: ApiClientOptions) {
    this.base = base.replace(/\/+$/, '');
    this.token = token || undefined;
  }

  /** The absolute URL of an API path such as `/api/functions`. */
  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`${this.base}${path}`, globalThis.location?.href);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url.href;
  }

  /** `GET /api/functions`. */
  async listFunctions(signal?: AbortSignal): Promise<FunctionInfo[]> {
    return (await this.request<{ items: FunctionInfo[] }>('GET', '/api/functions', undefined, signal)).items;
  }

  /** `GET /api/functions/:name`. */
  async getFunction(name: string, signal?: AbortSignal): Promise<FunctionInfo> {
    return this.request<FunctionInfo>('GET', `/api/functions/${encodeURIComponent(name)}`, undefined, signal);
  }

  /** `GET /api/functions/:name/versions/:version`: the function as an execution's `functionVersion` names it. */
  async getFunctionVersion(
    name: string,
    version: string,
    signal?: AbortSignal,
  ): Promise<FunctionVersionInfo> {
    return this.request<FunctionVersionInfo>(
      'GET',
      `/api/functions/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
      undefined,
      signal,
    );
  }

  /** `POST /api/functions/:name/executions`: runs a function (sync) or queues it (async). */
  async createExecution(
    name: string,
    inputs: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Execution> {
    return this.request<Execution>(
      'POST',
      `/api/functions/${encodeURIComponent(name)}/executions`,
      inputs,
      signal,
    );
  }

  /** `GET /api/executions?…`: one page of summaries (whole executions with `fields: 'full'`), newest first. */
  async listExecutions(
    query: ExecutionQuery & { fields: 'full' },
    signal?: AbortSignal,
  ): Promise<ExecutionPage<Execution>>;
  async listExecutions(query?: ExecutionQuery, signal?: AbortSignal): Promise<ExecutionPage>;
  async listExecutions(
    query: ExecutionQuery = {},
    signal?: AbortSignal,
  ): Promise<ExecutionPage<ExecutionSummary>> {
    const { function: fn, status, user, schedule, limit, cursor, fields, input = {} } = query;
    return this.request<ExecutionPage>('GET', '/api/executions', undefined, signal, {
      function: fn,
      status,
      user,
      schedule,
      limit,
      cursor,
      fields,
      ...Object.fromEntries(Object.entries(input).map(([name, value]) => [`input.${name}`, value])),
    });
  }

  /** `GET /api/executions/:id`, with its `events` timeline. */
  async getExecution(id: string, signal?: AbortSignal): Promise<Execution> {
    return this.request<Execution>('GET', `/api/executions/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** `POST /api/executions/:id/cancel`. */
  async cancelExecution(id: string, signal?: AbortSignal): Promise<Execution> {
    return this.request<Execution>('POST', `/api/executions/${encodeURIComponent(id)}/cancel`, {}, signal);
  }

  /**
   * `POST /api/executions/:id/rerun`: a new execution with the same inputs; with `resume: true`
   * (default false), one that starts from the errored original's last checkpoint.
   */
  async rerunExecution(
    id: string,
    { resume = false }: { resume?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<Execution> {
    return this.request<Execution>(
      'POST',
      `/api/executions/${encodeURIComponent(id)}/rerun`,
      resume ? { resume: true } : {},
      signal,
    );
  }

  /** `GET /api/schedules`: every schedule the caller may see, by function. */
  async listSchedules(signal?: AbortSignal): Promise<Schedule[]> {
    return (await this.request<ScheduleList>('GET', '/api/schedules', undefined, signal)).items;
  }

  /** `POST /api/schedules/:id/pause` or `…/resume`: the schedule as it is now. */
  async changeSchedule(id: string, change: 'pause' | 'resume', signal?: AbortSignal): Promise<Schedule> {
    return this.request<Schedule>('POST', `/api/schedules/${encodeURIComponent(id)}/${change}`, {}, signal);
  }

  /** The `Authorization` header for the token, or nothing when there is no token. */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Headers every request carries. */
  headers(): Record<string, string> {
    return { accept: 'application/json', ...this.authHeaders() };
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const headers = this.headers();
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path, query), {
        method,
        headers,
        signal: signal ?? null,
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (error) {
      // An abort is the caller's decision, not a failure to report.
      if (signal?.aborted) throw signal.reason ?? error;
      throw new TurtleApiError('NetworkError', `Could not reach the server: ${(error as Error).message}`, 0);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw toApiError(response.status, response.statusText, parsed);
    return parsed as T;
  }
}

function toApiError(status: number, statusText: string, body: unknown): TurtleApiError {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null) {
    const { type, message, details } = error as Record<string, unknown>;
    return new TurtleApiError(
      typeof type === 'string' ? type : 'HttpError',
      typeof message === 'string' ? message : `${status} ${statusText}`,
      status,
      typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {},
    );
  }
  return new TurtleApiError('HttpError', `The server answered ${status} ${statusText}`.trim(), status);
}
