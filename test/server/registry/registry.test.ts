import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry, registry } from '../../../server/registry/registry.js';
import { RegistryError } from '../../../server/errors.js';

describe('Registry#add / #addSync', () => {
  it('registers under the function name or the name option, with its mode', () => {
    const r = createRegistry();
    function resend() {}
    r.add(resend);
    r.addSync(function lookup() {}, { name: 'find', title: 'Find a report' });
    assert.deepEqual(
      r.list().map((f) => [f.name, f.mode]),
      [
        ['resend', 'async'],
        ['find', 'sync'],
      ],
    );
    assert.equal(r.get('find')?.options.title, 'Find a report');
  });

  it('returns the function so a registration can wrap a declaration', () => {
    const r = createRegistry();
    const fn = (x: number) => x;
    assert.equal(r.add(fn, { name: 'identity' }), fn);
  });

  it('accepts the same function twice and rejects another function under a taken name', () => {
    const r = createRegistry();
    function resend() {}
    r.add(resend);
    r.add(resend);
    assert.equal(r.list().length, 1);
    assert.throws(
      () => r.add(function other() {}, { name: 'resend' }),
      (err: unknown) => {
        assert.ok(err instanceof RegistryError);
        assert.equal(err.type, 'RegistryError');
        assert.equal(err.details.name, 'resend');
        return true;
      },
    );
    assert.throws(
      () => r.addSync(resend),
      RegistryError,
      'the same function in another mode is another registration',
    );
  });

  it('needs a name for anonymous functions and rejects bad options', () => {
    const r = createRegistry();
    assert.throws(() => r.add(() => 1), /anonymous function needs the `name` option/);
    assert.throws(() => r.add(function f() {}, { retries: -1 }), /retries must be a number >= 0/);
    assert.throws(() => r.add(function g() {}, { poll: 3 as never }), /poll must be a function/);
    assert.throws(() => r.add(42 as never), RegistryError);
  });

  it('keeps one default registry per process, shared through globalThis', async () => {
    const key = Symbol.for('turtle-shell.registry');
    assert.equal((globalThis as Record<symbol, unknown>)[key], registry);
    // Loading the module again under another URL (as source and dist would) yields the same registry.
    const again = (await import(
      `../../../server/registry/registry.js?copy=${Date.now()}`
    )) as typeof import('../../../server/registry/registry.js');
    assert.equal(again.registry, registry);
    assert.notEqual(again.createRegistry(), registry);
  });
});
