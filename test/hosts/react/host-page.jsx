import { useMemo, useState } from 'react';
import { HOST_VALUES, PRESET_VALUES, hostToken, logLine, signedInToken } from '../shared/turtle-events.ts';

/**
 * A page of a React app with a form and the history of its runs. React 19 sets `values` and
 * `token` as properties (the elements define them), again whenever the state behind them changes,
 * and `onturtle-…` props listen to the events.
 */
export function HostPage() {
  const [events, setEvents] = useState([]);
  const [token, setToken] = useState(hostToken);
  const [values, setValues] = useState(HOST_VALUES);
  // One handler per event for the page's life, so React does not swap listeners on each render.
  const on = useMemo(() => {
    const log = (type) => (event) => setEvents((logged) => [...logged, logLine(type, event)]);
    return {
      created: log('turtle-created'),
      finish: log('turtle-finish'),
      error: log('turtle-error'),
      select: log('turtle-select'),
    };
  }, []);
  const signIn = (event) => {
    event.preventDefault();
    setToken(signedInToken(event.currentTarget));
  };
  return (
    <main>
      <h1>React host</h1>
      <form id="sign-in" onSubmit={signIn}>
        <input name="token" aria-label="Token" />
        <button>Sign in</button>
      </form>
      <button id="preset" type="button" onClick={() => setValues(PRESET_VALUES)}>
        Preset
      </button>
      <turtle-form
        fn="add"
        values={values}
        token={token}
        onturtle-created={on.created}
        onturtle-finish={on.finish}
        onturtle-error={on.error}
      ></turtle-form>
      <turtle-executions
        function="add"
        limit={5}
        token={token}
        onturtle-select={on.select}
        onturtle-error={on.error}
      ></turtle-executions>
      <ol id="events">
        {events.map((event, i) => (
          <li key={i} data-event={event.type} data-source={event.source}>
            {event.text}
          </li>
        ))}
      </ol>
    </main>
  );
}
