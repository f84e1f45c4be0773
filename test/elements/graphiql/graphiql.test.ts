import { assert } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { describe, it } from '../support/mocha.js';
import { apiUrl } from '../support/api.js';

interface GraphiqlRun {
  /** Requests the page made to another origin (refused). */
  outside: string[];
  /** Errors the page logged or threw. */
  errors: string[];
  /** What GraphiQL's result pane showed. */
  response: string;
}

describe('GraphiQL at /graphql', () => {
  it('loads from the server alone, runs a mutation and shows its result', async () => {
    const run = await executeServerCommand<GraphiqlRun, { url: string; query: string }>('run-graphiql', {
      url: await apiUrl(),
      query:
        'mutation { echo(name: "Graph", count: 2) { functionName status ... on EchoExecution { output } } }',
    });
    assert.deepEqual(run.outside, [], 'requests beyond the server');
    assert.deepEqual(run.errors, [], 'page errors');
    assert.include(run.response, '"functionName": "echo"');
    assert.include(run.response, '"status": "done"');
  });
});
