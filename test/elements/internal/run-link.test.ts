import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHref, runIdOf, withoutRun } from '../../../elements/internal/run-link.js';

const page = 'https://lab.example.org/tools/turtle?tab=history';

test('a run link by each template form, and the id read back from it', () => {
  for (const [template, expected] of [
    ['#run={id}', 'https://lab.example.org/tools/turtle?tab=history#run=a%2Fb%20c'],
    ['?run={id}', 'https://lab.example.org/tools/turtle?run=a%2Fb%20c'],
    ['/runs/{id}', 'https://lab.example.org/runs/a%2Fb%20c'],
  ] as const) {
    const href = runHref(template, 'a/b c', page);
    assert.equal(href, expected, template);
    assert.equal(runIdOf(template, href), 'a/b c', template);
  }
});

test('a URL of another form names no run', () => {
  assert.equal(runIdOf('#run={id}', page), '');
  assert.equal(runIdOf('#run={id}', `${page}#other=1`), '');
  assert.equal(runIdOf('/runs/{id}', 'https://lab.example.org/runs/'), '');
  assert.equal(runIdOf('/runs/{id}', 'https://lab.example.org/runs/7/log'), '');
  // A path template ignores the page's fragment.
  assert.equal(runIdOf('/runs/{id}', 'https://lab.example.org/runs/7#top'), '7');
});

test('the page without its run', () => {
  assert.equal(withoutRun('#run={id}', `${page}#run=7`), page);
  assert.equal(withoutRun('?run={id}', 'https://lab.example.org/t?run=7'), 'https://lab.example.org/t');
  assert.equal(withoutRun('#run={id}', page), page);
});
