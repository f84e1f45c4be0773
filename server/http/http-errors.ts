/**
 * Errors raised by the HTTP layer itself (as opposed to the domain's `TurtleError`s). Each has a
 * stable `type` the API returns and a `details` object; the status code lives in `status-codes.ts`.
 */

import { TurtleError, type TurtleErrorType } from '../errors.js';

/** Base class of the HTTP layer's errors: a `TurtleError` whose type is given at construction. */
export class HttpError extends TurtleError {
  override readonly type: TurtleErrorType;
  /** Response headers the answer carries besides the JSON body (e.g. `Accept-Encoding` on a 415); default none. */
  readonly headers: Readonly<Record<string, string>> = {};
  constructor(type: TurtleErrorType, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
    this.type = type;
  }
}

/** The request body is not valid JSON (400). */
export class InvalidJson extends HttpError {
  constructor(message = 'The request body is not valid JSON', details: Record<string, unknown> = {}) {
    super('InvalidJson', message, details);
  }
}

/** The request body is nested deeper than allowed (400). */
export class BodyTooDeep extends HttpError {
  constructor(maxDepth: number) {
    super('BodyTooDeep', `The request body is nested more than ${maxDepth} levels deep`, { maxDepth });
  }
}

/** A JSON route got a body of another content type (415). */
export class UnsupportedMediaType extends HttpError {
  constructor(contentType: string) {
    super('UnsupportedMediaType', 'Send the request body as application/json', {
      contentType,
      expected: 'application/json',
    });
  }
}

/**
 * The body has a `Content-Encoding` the API does not decode (415); the answer's `Accept-Encoding`
 * header lists those it does (RFC 7694).
 */
export class UnsupportedContentEncoding extends HttpError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(coding: string, accepted: readonly string[]) {
    super(
      'UnsupportedContentEncoding',
      `A request body in the ${JSON.stringify(coding)} coding cannot be read; send it as ${accepted.join(', ')} or uncompressed`,
      { contentEncoding: coding, accepted: [...accepted] },
    );
    this.headers = { 'Accept-Encoding': accepted.join(', ') };
  }
}

/** The body does not decode as its `Content-Encoding` says, e.g. `gzip` on bytes that are not gzip (400). */
export class InvalidContentEncoding extends HttpError {
  constructor(coding: string, reason: string) {
    super('InvalidContentEncoding', `The request body is not valid ${coding}: ${reason}`, {
      contentEncoding: coding,
      reason,
    });
  }
}

/** The body is larger than the configured limit (413). */
export class PayloadTooLarge extends HttpError {
  constructor(limit: number) {
    super('PayloadTooLarge', `The request body is larger than ${limit} bytes`, { limit });
  }
}

/** A query parameter or header has a value the route cannot use (400). */
export class InvalidRequest extends HttpError {
  constructor(message: string, details: Record<string, unknown>) {
    super('InvalidRequest', message, details);
  }
}

/** No or an unknown bearer token (401). */
export class Unauthorized extends HttpError {
  constructor(message = 'Send a valid token as "Authorization: Bearer <token>"') {
    super('Unauthorized', message);
  }
}

/** The user is known but may not do this (403). */
export class Forbidden extends HttpError {
  constructor(message = 'You may not do this', details: Record<string, unknown> = {}) {
    super('Forbidden', message, details);
  }
}

/** No route matches the path (404). */
export class RouteNotFound extends HttpError {
  constructor(method: string, path: string) {
    super('RouteNotFound', `No route for ${method} ${path}`, { method, path });
  }
}

/** The route exists but not for this method (405). */
export class MethodNotAllowed extends HttpError {
  constructor(method: string, allowed: string[]) {
    super('MethodNotAllowed', `${method} is not allowed here`, { method, allowed });
  }
}

/** No route of the server knows the method, e.g. `TRACE` or `PROPFIND` (501). */
export class NotImplemented extends HttpError {
  constructor(method: string) {
    super('NotImplemented', `${method} is not a method this server answers`, { method });
  }
}
