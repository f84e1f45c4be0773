/**
 * `/graphql` on SQLite, MariaDB and PostgreSQL: every mutation and query reaching the same
 * executions service as `/api` — sync and background runs, `execution(id)` with its events, the
 * `executions` connection paged with the store's keyset cursors, cancel and rerun, own executions
 * only — and an execution created through GraphQL stored exactly as one created through the JSON API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../http/support/api-harness.js';
import { graphql } from './support/graphql-client.js';

/** An execution as a test selected it. */
type Run = Record<string, unknown> & { id: string };
/** `{ <mutation or query>: Run }`. */
type One<Name extends string> = Record<Name, Run>;
interface Connection {
  executions: {
    edges: Array<{ cursor: string; node: Run }>;
    nodes: Run[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

const TOKENS = { ada: 'ada-token-0123456789', bob: 'bob-token-0123456789' };
const as = (user: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[user]}` });

/** A stored row without what differs between two runs of the same request (ids, times, the worker). */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.entries(row).filter(
    ([column]) => !/^(id|at|execution_id|rerun_of|worker_id)$|_at$/.test(column),
  );
  // JSON columns as values: MariaDB's driver may hand them over parsed, the others as text.
  return Object.fromEntries(
    kept.map(([column, value]) => [
      column,
      typeof value === 'string' && /_json$/.test(column) ? JSON.parse(value) : value,
    ]),
  );
}

for (const kind of DATABASE_KINDS) {
  describe(`GraphQL executions on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, { graphql: true, tokens: TOKENS, ownExecutionsOnly: true });
    });
    after(() => api.close());

    test('a sync function answers the finished execution, typed output and events included', async () => {
      const { status, body } = await graphql<One<'add'>>(
        api,
        'mutation { add(a: 1, b: 2.5) { id functionName mode status user output outputJson events { kind from to } } }',
        undefined,
        as('ada'),
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined);
      const run = body.data!.add;
      assert.deepEqual(
        { ...run, id: typeof run.id },
        {
          id: 'string',
          functionName: 'add',
          mode: 'sync',
          status: 'done',
          user: 'ada',
          output: 3.5,
          outputJson: 3.5,
          events: [
            { kind: 'status', from: null, to: 'created' },
            { kind: 'status', from: 'created', to: 'started' },
            { kind: 'status', from: 'started', to: 'validated' },
            { kind: 'status', from: 'validated', to: 'running' },
            { kind: 'status', from: 'running', to: 'done' },
          ],
        },
      );
    });

    test('a background function answers the created execution at once, inputs with defaults; secrets masked', async () => {
      const { body } = await graphql<One<'report'>>(
        api,
        'mutation { report(text: "hi", flowcell_type: sbs) { status mode input ... on ReportExecution { output { text } } } }',
        undefined,
        as('ada'),
      );
      assert.deepEqual(body.data!.report, {
        status: 'created',
        mode: 'async',
        input: { text: 'hi', tags: [], flowcell_type: 'sbs' },
        output: null,
      });
      const login = await graphql<One<'login'>>(
        api,
        'mutation { login(user: "ada", password: "s3cret!") { input redactedInputs output { user passwordLength } } }',
        undefined,
        as('ada'),
      );
      assert.deepEqual(login.body.data!.login, {
        input: { user: 'ada', password: '••••' },
        redactedInputs: ['/password'],
        output: { user: 'ada', passwordLength: 7 },
      });
      const connect = await graphql<One<'connect'>>(
        api,
        'mutation($server: ConnectServerInput!) { connect(server: $server, keys: ["k1"]) { input redactedInputs } }',
        { server: { host: 'db', password: 'pw' } },
        as('ada'),
      );
      assert.deepEqual(connect.body.data!.connect, {
        input: { server: { host: 'db', password: '••••' }, keys: ['••••'] },
        redactedInputs: ['/server/password', '/keys/0'],
      });
    });

    test('execution(id) answers one execution as its own type; another user’s is ExecutionNotFound', async () => {
      const created = await graphql<One<'add'>>(
        api,
        'mutation { add(a: 2, b: 2) { id } }',
        undefined,
        as('ada'),
      );
      const id = created.body.data!.add.id;
      const query =
        'query($id: ID!) { execution(id: $id) { __typename id status ... on AddExecution { output } events { to } } }';
      type Found = { execution: (Run & { events: Array<{ to: string }> }) | null };
      const mine = await graphql<Found>(api, query, { id }, as('ada'));
      const execution = mine.body.data!.execution!;
      assert.equal(execution.__typename, 'AddExecution');
      assert.equal(execution.output, 4);
      assert.equal(execution.events.at(-1)!.to, 'done');
      const theirs = await graphql<Found>(api, query, { id }, as('bob'));
      assert.equal(theirs.body.data!.execution, null);
      assert.deepEqual(
        theirs.body.errors?.map((e) => [e.path, e.extensions]),
        [[['execution'], { type: 'ExecutionNotFound', details: { id } }]],
      );
    });

    test('executions is a Relay connection paged by keyset cursors, filtered, own executions only', async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.unshift(
          (
            await graphql<One<'noop'>>(
              api,
              `
                mutation {
                  noop {
                    id
                  }
                }
              `,
              undefined,
              as('bob'),
            )
          ).body.data!.noop.id,
        );
      const page = (after: string | null) =>
        graphql<Connection>(
          api,
          'query($after: String) { executions(function: "noop", first: 2, after: $after) { edges { cursor node { id user functionName } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }',
          { after },
          as('bob'),
        );
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { body } = await page(after);
        const connection = body.data!.executions;
        assert.deepEqual(
          connection.nodes.map((n) => n.id),
          connection.edges.map((e) => e.node.id),
        );
        assert.equal(connection.pageInfo.endCursor, connection.edges.at(-1)?.cursor ?? null);
        assert.equal(connection.pageInfo.hasPreviousPage, false);
        for (const edge of connection.edges) {
          assert.equal(edge.node.user, 'bob');
          seen.push(edge.node.id);
        }
        pages++;
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      assert.deepEqual(seen, made);
      assert.equal(pages, 3);
      // Filters: status, and another user's executions are none of bob's business.
      const done = await graphql<Connection>(
        api,
        '{ executions(status: done, first: 500) { nodes { status user } } }',
        undefined,
        as('bob'),
      );
      assert.ok(done.body.data!.executions.nodes.every((n) => n.status === 'done' && n.user === 'bob'));
      const others = await graphql<Connection>(
        api,
        '{ executions(user: "ada") { nodes { id } } }',
        undefined,
        as('bob'),
      );
      assert.deepEqual(others.body.data!.executions.nodes, []);
    });

    test('cancelExecution and rerunExecution act on visible executions only', async () => {
      const created = await graphql<One<'report'>>(
        api,
        'mutation { report(text: "later") { id } }',
        undefined,
        as('ada'),
      );
      const id = created.body.data!.report.id;
      const cancel = 'mutation($id: ID!) { cancelExecution(id: $id) { id status } }';
      const notBob = await graphql(api, cancel, { id }, as('bob'));
      assert.equal(notBob.body.errors?.[0]?.extensions?.type, 'ExecutionNotFound');
      const cancelled = await graphql<One<'cancelExecution'>>(api, cancel, { id }, as('ada'));
      assert.deepEqual(cancelled.body.data!.cancelExecution, { id, status: 'cancelled' });
      const again = await graphql(api, cancel, { id }, as('ada'));
      assert.equal(again.body.errors?.[0]?.extensions?.type, 'IllegalTransition');
      assert.equal(again.body.errors?.[0]?.extensions?.details.current, 'cancelled');
      const rerun = await graphql<One<'rerunExecution'>>(
        api,
        'mutation($id: ID!) { rerunExecution(id: $id) { id rerunOf status input user } }',
        { id },
        as('ada'),
      );
      assert.deepEqual(
        { ...rerun.body.data!.rerunExecution, id: undefined },
        {
          id: undefined,
          rerunOf: id,
          status: 'created',
          input: { text: 'later', tags: [], flowcell_type: 'ips' },
          user: 'ada',
        },
      );
    });

    test('an execution created through GraphQL is stored as one created through the JSON API', async () => {
      const viaJson = async (fn: string, input: unknown) =>
        (
          await api.request(`/api/functions/${fn}/executions`, {
            method: 'POST',
            json: input,
            headers: as('ada'),
          })
        ).body as { id: string };
      const viaGraphQL = async (mutation: string) =>
        Object.values(
          (await graphql<Record<string, Run>>(api, `mutation { ${mutation} { id } }`, undefined, as('ada')))
            .body.data!,
        )[0]!;
      const pairs = [
        [await viaJson('add', { a: 1, b: 2 }), await viaGraphQL('add(a: 1, b: 2)')],
        [
          await viaJson('report', { text: 'same', flowcell_type: 'sbs' }),
          await viaGraphQL('report(text: "same", flowcell_type: sbs)'),
        ],
        [
          await viaJson('connect', { server: { host: 'h', password: 'p' } }),
          await viaGraphQL('connect(server: { host: "h", password: "p" })'),
        ],
        [await viaJson('explode', {}), await viaGraphQL('explode')],
      ];
      for (const [jsonId, graphqlId] of pairs) {
        const row = async (id: string) =>
          comparable((await api.db.knex(EXECUTIONS_TABLE).where({ id }).first()) as Record<string, unknown>);
        const events = async (id: string) =>
          (
            (await api.db.knex(EVENTS_TABLE).where({ execution_id: id }).orderBy('id')) as Array<
              Record<string, unknown>
            >
          ).map(comparable);
        const expected = await row(jsonId!.id);
        const actual = await row(graphqlId!.id);
        // Tracebacks name the route that called the service; everything else is the same.
        if (expected.traceback) {
          assert.match(String(actual.traceback), /^Error: boom\n/);
          delete expected.traceback;
          delete actual.traceback;
        }
        assert.deepEqual(actual, expected);
        assert.deepEqual(await events(graphqlId!.id), await events(jsonId!.id));
      }
    });

    test('an Idempotency-Key makes a retried mutation answer the first execution', async () => {
      const key = { ...as('ada'), 'Idempotency-Key': `gql-${kind}` };
      const first = await graphql<One<'report'>>(
        api,
        'mutation { report(text: "once") { id } }',
        undefined,
        key,
      );
      const again = await graphql<One<'report'>>(
        api,
        'mutation { report(text: "once") { id } }',
        undefined,
        key,
      );
      assert.equal(again.body.data!.report.id, first.body.data!.report.id);
      const reused = await graphql(api, 'mutation { report(text: "other") { id } }', undefined, key);
      assert.equal(reused.body.data, null);
      assert.deepEqual(reused.body.errors?.[0]?.extensions, {
        type: 'IdempotencyKeyReused',
        details: {
          idempotencyKey: `gql-${kind}`,
          executionId: first.body.data!.report.id,
          functionName: 'report',
        },
      });
    });
  });
}
