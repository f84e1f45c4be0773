/**
 * The checker behind the elements' contract test (test/elements/contract/answers.test.ts): it must
 * fail every way an answer can leave the document, or that test could not fail.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAnswers, templateMatches, type RecordedAnswer } from '../support/openapi-answers.js';

const thing = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, note: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
};
const event = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
/** A resolved document: two operations on things, one stream, and a literal path beside a template. */
const document = {
  openapi: '3.1.0',
  paths: {
    '/api/things/{id}': { get: { responses: { 200: json(thing), 404: json({ type: 'object' }) } } },
    '/api/things/special': { get: { responses: { 200: json({ type: 'string' }) } } },
    '/api/things/{id}/events': {
      get: {
        responses: { 200: { content: { 'text/event-stream': { schema: { type: 'string' } } } }, 204: {} },
      },
    },
  },
  components: { schemas: { ExecutionEvent: event } },
};
const answer = (url: string, body: unknown, rest: Partial<RecordedAnswer> = {}): RecordedAnswer => ({
  method: 'GET',
  url,
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...rest,
});

describe('checkAnswers', () => {
  test('accepts answers that match, and names the operations and statuses they cover', () => {
    const result = checkAnswers(document, [
      answer('/api/things/a?x=1', { id: 'a', note: null }),
      answer('/api/things/special', '"plain"'),
      answer('/api/things/b', {}, { status: 404 }),
      answer('/api/things/a/events', 'retry: 2000\n: open\n\nid: 1\ndata: {"id":1}\n\nid: 2\ndata: {"id"', {
        contentType: 'text/event-stream',
      }),
      answer('/api/things/a/events', '', { status: 204, contentType: '' }),
      answer('/api/things/a', '', { method: 'OPTIONS', status: 204 }),
    ]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.covered, [
      'GET /api/things/special 200',
      'GET /api/things/{id} 200',
      'GET /api/things/{id} 404',
      'GET /api/things/{id}/events 200',
      'GET /api/things/{id}/events 204',
    ]);
  });

  test('refuses an undocumented operation, status or media type', () => {
    const { problems, covered } = checkAnswers(document, [
      answer('/api/other', {}),
      answer('/api/things/a', {}, { method: 'DELETE' }),
      answer('/api/things/a', {}, { status: 500 }),
      answer('/api/things/a', 'x', { contentType: 'text/plain' }),
    ]);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0]!, /GET \/api\/other 200: no documented operation/);
    assert.match(problems[1]!, /no documented operation/);
    assert.match(problems[2]!, /status not documented/);
    assert.match(problems[3]!, /text\/plain not documented/);
    assert.deepEqual(covered, ['GET /api/things/{id} 200']);
  });

  test('refuses a body that does not validate, has undeclared fields, or is not JSON', () => {
    const { problems } = checkAnswers(document, [
      answer('/api/things/a', { note: 'no id' }),
      answer('/api/things/a', { id: 'a', extra: 1 }),
      answer('/api/things/a', '{"id":'),
      answer('/api/things/a/events', 'data: {"id":"one"}\n\n', { contentType: 'text/event-stream' }),
      answer('/api/things/a/events', 'body', { status: 204, contentType: '' }),
    ]);
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.match(problems[0]!, /must have required property 'id'/);
    assert.match(problems[1]!, /does not declare: \/extra/);
    assert.match(problems[2]!, /not JSON/);
    assert.match(problems[3]!, /events 200: data\/id must be integer/);
    assert.match(problems[4]!, /a body where the document declares none/);
  });

  test('matches path templates segment by segment', () => {
    assert.equal(templateMatches('/api/things/{id}', '/api/things/a%2Fb'), true);
    assert.equal(templateMatches('/api/things/{id}', '/api/things/'), false);
    assert.equal(templateMatches('/api/things/{id}', '/api/things/a/events'), false);
  });
});
