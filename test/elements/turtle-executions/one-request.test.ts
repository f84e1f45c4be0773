import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadowWait, type } from '../support/api.js';

/** A live stream the page opened: its URL, and whether the server answered it with the stream. */
interface Stream {
  url: string;
  open: boolean;
}

/** Records the list requests and live streams (both are `fetch`es) the page makes while `body` runs. */
async function watching(
  body: (seen: { lists: string[]; streams: Stream[] }) => Promise<void>,
): Promise<void> {
  const seen = { lists: [] as string[], streams: [] as Stream[] };
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const { pathname } = new URL(url);
    if (pathname === '/api/executions') seen.lists.push(url);
    if (pathname !== '/api/events') return realFetch(input, init);
    const stream: Stream = { url, open: false };
    seen.streams.push(stream);
    const response = await realFetch(input, init);
    stream.open = response.ok;
    return response;
  };
  try {
    await body(seen);
  } finally {
    window.fetch = realFetch;
  }
}

const streamOpen = (streams: Stream[]) => streams.length > 0 && streams.at(-1)!.open;

describe('<turtle-executions> requests', () => {
  it('loads its list once per view: once at first, once per filter change', async () => {
    const run = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Once', count: 1 });
    await watching(async ({ lists, streams }) => {
      const el = await fixture<TurtleExecutions>(
        html`<turtle-executions api-base=${await apiUrl()} limit="7"></turtle-executions>`,
      );
      await shadowWait(el, `tr[data-id="${run.id}"]`, 'list not shown');
      // Once the live stream is open, nothing more is to come for this view.
      await waitUntil(() => streamOpen(streams), 'live stream never opened');
      await el.updateComplete;
      expect(lists).to.have.length(1);
      expect(new URL(lists[0]!).searchParams.get('limit')).to.equal('7');

      // A new function filter: a new stream, and one load once it is open.
      await waitUntil(() => el.shadowRoot!.querySelector('option[value="echo"]'), 'functions not loaded');
      type(el.shadowRoot!.querySelector<HTMLSelectElement>('[part~="filters"] select')!, 'echo');
      await waitUntil(() => streams.length === 2 && streamOpen(streams), 'new stream never opened');
      await waitUntil(() => lists.length === 2, 'filtered list never loaded');
      await el.updateComplete;
      expect(new URL(lists[1]!).searchParams.get('function')).to.equal('echo');
      expect(lists).to.have.length(2);
    });
  });
});
