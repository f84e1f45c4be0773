/**
 * The GraphiQL page's script, bundled by `scripts/build-graphiql.mjs` into `/turtle/graphiql.js`
 * (with its stylesheet, `/turtle/graphiql.css`). The page (`server/graphql/graphiql-page.ts`) has a
 * `#graphiql` element whose `data-endpoint` is the GraphQL URL; everything else comes from npm
 * packages at build time, so the page needs no network beyond its own server.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

/* global document, location */
const root = document.getElementById('graphiql');
const endpoint = root.dataset.endpoint || '/graphql';

/** Posts one operation, with the headers typed in GraphiQL's headers editor (e.g. Authorization). */
async function fetcher(params, options) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      'content-type': 'application/json',
      ...options?.headers,
    },
    body: JSON.stringify(params),
  });
  return response.json();
}

// `/graphql?query=…` opens with that operation in the editor (a link to share, or a test to drive).
const query = new URLSearchParams(location.search).get('query') ?? undefined;

createRoot(root).render(createElement(GraphiQL, { fetcher, query, shouldPersistHeaders: false }));
