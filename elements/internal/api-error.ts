import type { FieldError } from '../../api/errors.js';

/**
 * A failed API call. `type` is the server's stable error type (`ValidationError`, `NotFound`, …),
 * or `NetworkError` when no answer came and `HttpError` when the answer was not a turtle error.
 */
export class TurtleApiError extends Error {
  override readonly name = 'TurtleApiError';

  /**
   * @param type the stable error type
   * @param message a sentence a person can read
   * @param status the HTTP status; `0` when no answer came
   * @param details the server's `details` object (`{}` when it sent none)
   */
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /**
   * `error` as a `TurtleApiError`: itself when it is one, else an `InternalError` (status `0`)
   * carrying its message, so that an element reports every failure the same way.
   */
  static from(error: unknown): TurtleApiError {
    if (error instanceof TurtleApiError) return error;
    return new TurtleApiError('InternalError', error instanceof Error ? error.message : String(error), 0);
  }

  /** The per-field problems of a `ValidationError` (`details.errors`); `[]` for any other error. */
  get fieldErrors(): FieldError[] {
    const errors = this.details['errors'];
    if (!Array.isArray(errors)) return [];
    return errors.flatMap((e: unknown) => {
      if (typeof e !== 'object' || e === null) return [];
      const { path, message } = e as { path?: unknown; message?: unknown };
      return [
        { path: typeof path === 'string' ? path : '', message: typeof message === 'string' ? message : '' },
      ];
    });
  }
}
