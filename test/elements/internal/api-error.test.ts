import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TurtleApiError } from '../../../elements/internal/api-error.js';

describe('TurtleApiError.from', () => {
  it('keeps an API error as it is, type, status and details included', () => {
    const error = new TurtleApiError('ValidationError', 'bad input', 422, {
      errors: [{ path: '/n', message: 'too small' }],
    });
    assert.equal(TurtleApiError.from(error), error);
  });

  it('turns any other error into an InternalError carrying its message', () => {
    const error = TurtleApiError.from(new RangeError('out of range'));
    assert.ok(error instanceof TurtleApiError);
    assert.deepEqual(
      [error.type, error.message, error.status, error.details],
      ['InternalError', 'out of range', 0, {}],
    );
  });

  it('turns a thrown non-error into an InternalError with its text', () => {
    const error = TurtleApiError.from('offline');
    assert.deepEqual([error.type, error.message], ['InternalError', 'offline']);
  });
});
