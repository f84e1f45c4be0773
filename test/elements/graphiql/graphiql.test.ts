import { expect } from '@open-wc/testing';
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
    expect(run.outside, 'requests beyond the server').to.deep.equal([]);
    expect(run.errors, 'page errors').to.deep.equal([]);
    expect(run.response.includes('"functionName": "echo"'), run.response).to.equal(true);
    expect(run.response.includes('"status": "done"'), run.response).to.equal(true);
  });
});
