import { expect, waitUntil } from '@open-wc/testing';
import type { Execution, ExecutionEvent, ExecutionWithEvents } from '../../../api/index.js';
import { subscribe } from '../../../elements/internal/event-stream.js';
import { describe, it } from '../support/mocha.js';
import { api, gateRequests, setGate, testApi } from '../support/api.js';

/** Whether an execution's timeline says it ended. */
const ended = (execution: ExecutionWithEvents) => ['done', 'errored', 'cancelled'].includes(execution.status);

describe('event stream with a token', () => {
  it('reconnects after a cut with Authorization and Last-Event-ID, and delivers what it missed once', async () => {
    const { authGateUrl, token } = await testApi();
    const alreadyForwarded = (await gateRequests(authGateUrl)).length;
    const received: ExecutionEvent[] = [];
    const opens: boolean[] = [];
    const drops: boolean[] = [];
    const stop = subscribe(
      `${authGateUrl}/api/events?function=countUp`,
      (event: ExecutionEvent) => received.push(event),
      {
        headers: { authorization: `Bearer ${token}` },
        onOpen: (reconnected) => opens.push(reconnected),
        onDrop: (retrying) => drops.push(retrying),
      },
    );
    const eventsOf = (id: string) => received.filter((event) => event.executionId === id);
    try {
      await waitUntil(() => opens.length === 1, 'the stream never opened');
      const heard = await api<Execution>('POST', '/api/functions/countUp/executions', { steps: 1 });
      await waitUntil(
        () => eventsOf(heard.id).some((event) => event.to === 'done'),
        'the first execution was not streamed',
      );
      const lastHeard = received.at(-1)!.id;

      await setGate('down', authGateUrl);
      await waitUntil(() => drops.includes(true), 'the cut was not noticed');
      // Runs (progress and all) while the stream is cut.
      const missed = await api<Execution>('POST', '/api/functions/countUp/executions', { steps: 3 });
      await waitUntil(
        async () => ended(await api<ExecutionWithEvents>('GET', `/api/executions/${missed.id}`)),
        'the missed execution did not end',
      );
      expect(eventsOf(missed.id)).to.deep.equal([]);
      await setGate('up', authGateUrl);

      await waitUntil(() => opens.length === 2, 'never reconnected', { timeout: 15_000 });
      expect(opens).to.deep.equal([false, true]);
      const timeline = (await api<ExecutionWithEvents>('GET', `/api/executions/${missed.id}`)).events;
      await waitUntil(() => eventsOf(missed.id).length >= timeline.length, 'the missed events never came');
      // No gap and no duplicate: exactly the stored timeline, and every id once, in order.
      expect(eventsOf(missed.id)).to.deep.equal(timeline);
      const ids = received.map((event) => event.id);
      expect(ids).to.deep.equal([...new Set(ids)].sort((a, b) => a - b));

      const streams = (await gateRequests(authGateUrl))
        .slice(alreadyForwarded)
        .filter((request) => request.method === 'GET' && request.url.startsWith('/api/events'));
      expect(streams.map(({ authorization, lastEventId }) => ({ authorization, lastEventId }))).to.deep.equal(
        [
          { authorization: `Bearer ${token}`, lastEventId: null },
          { authorization: `Bearer ${token}`, lastEventId: String(lastHeard) },
        ],
      );
    } finally {
      stop();
      await setGate('up', authGateUrl);
    }
  });

  it('stops for good when the server refuses the token', async () => {
    const { authGateUrl } = await testApi();
    const drops: boolean[] = [];
    const stop = subscribe(`${authGateUrl}/api/events`, () => undefined, {
      headers: { authorization: 'Bearer wrong' },
      onDrop: (retrying) => drops.push(retrying),
    });
    try {
      await waitUntil(() => drops.length > 0, 'the refusal was not reported');
      expect(drops).to.deep.equal([false]);
    } finally {
      stop();
    }
  });

  it('stops for good when closed: nothing more is delivered, no drop is reported, nothing reconnects', async () => {
    const { authGateUrl, token } = await testApi();
    const alreadyForwarded = (await gateRequests(authGateUrl)).length;
    const headers = { authorization: `Bearer ${token}` };
    const url = `${authGateUrl}/api/events?function=echo`;
    const closed = { events: [] as ExecutionEvent[], opens: 0, drops: 0 };
    const open = { events: [] as ExecutionEvent[], opens: 0 };
    const stopClosed = subscribe<ExecutionEvent>(url, (event) => closed.events.push(event), {
      headers,
      onOpen: () => closed.opens++,
      onDrop: () => closed.drops++,
    });
    const stopOpen = subscribe<ExecutionEvent>(url, (event) => open.events.push(event), {
      headers,
      onOpen: () => open.opens++,
    });
    try {
      await waitUntil(() => closed.opens === 1 && open.opens === 1, 'the streams never opened');
      stopClosed();
      const run = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Ed', count: 1 });
      // The stream left open hears of the run: by then the closed one would have too.
      await waitUntil(
        () => open.events.some((event) => event.executionId === run.id && event.to === 'done'),
        'the open stream never heard of the run',
      );
      expect(closed).to.deep.equal({ events: [], opens: 1, drops: 0 });
      const streams = (await gateRequests(authGateUrl))
        .slice(alreadyForwarded)
        .filter((request) => request.method === 'GET' && request.url.startsWith('/api/events'));
      expect(streams).to.have.length(2);
    } finally {
      stopClosed();
      stopOpen();
    }
  });
});
