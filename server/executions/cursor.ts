/** The opaque keyset cursor of `list`: the (createdAt, id) of the last item of a page. */
import { ValidationError } from '../errors.js';

/** Position after which the next page starts (newest first). */
export interface CursorPosition {
  createdAt: number;
  id: string;
}

/** Encodes a position as an opaque URL-safe string. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** Decodes a cursor; throws `ValidationError` (path `/cursor`) for anything it did not make. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new ValidationError([
    { path: '/cursor', message: 'is not a cursor returned by list()', keyword: 'cursor', params: {} },
  ]);
}
