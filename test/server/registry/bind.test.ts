import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../../server/registry/registry.js';
import { loadManifest } from '../../../server/registry/load-manifest.js';
import { ManifestMismatch, UnknownFunction, ValidationError } from '../../../server/errors.js';
import { manifestOf } from '../../support/manifests.js';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function mismatch(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ManifestMismatch, String(err));
    assert.equal(err.type, 'ManifestMismatch');
    assert.match(err.message, pattern);
    assert.match(err.message, /turtle schema/);
    return true;
  };
}

describe('Registry#bind', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bind-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops start-up when a registered function has no manifest entry', () => {
    const r = createRegistry();
    r.add(function resend() {});
    assert.throws(
      () => r.bind(manifestOf({}), { manifestDir: dir }),
      mismatch(/"resend" is registered but not in the manifest/),
    );
  });

  it('stops start-up when the modes disagree', () => {
    const r = createRegistry();
    r.addSync(function resend() {});
    assert.throws(
      () => r.bind(manifestOf({ resend: { mode: 'async' } }), { manifestDir: dir }),
      mismatch(/registered as sync but the manifest says async/),
    );
  });

  it('stops start-up when a source changed or vanished since the manifest was written', () => {
    const file = path.join(dir, 'functions.ts');
    fs.writeFileSync(file, 'export function resend() {}\n');
    const r = createRegistry();
    r.add(function resend() {});
    const fresh = manifestOf({ resend: {} }, { 'functions.ts': sha256('export function resend() {}\n') });
    assert.doesNotThrow(() => r.bind(fresh, { manifestDir: dir }));
    fs.appendFileSync(file, '// edited\n');
    assert.throws(
      () => r.bind(fresh, { manifestDir: dir }),
      mismatch(/functions\.ts changed since the manifest was generated/),
    );
    assert.doesNotThrow(() => r.bind(fresh, { manifestDir: dir, checkSources: false }));
    fs.rmSync(file);
    assert.throws(() => r.bind(fresh, { manifestDir: dir }), mismatch(/no longer exists/));
  });

  it('finds bound functions by name and raises UnknownFunction otherwise', () => {
    const r = createRegistry();
    r.add(function resend() {});
    const bound = r.bind(manifestOf({ resend: {}, notRegistered: {} }), { manifestDir: dir });
    assert.equal(bound.require('resend').name, 'resend');
    assert.equal(bound.get('notRegistered'), undefined);
    assert.throws(() => bound.require('notRegistered'), UnknownFunction);
  });

  it('applies the title and widget overrides to the bound manifest entry', () => {
    const r = createRegistry();
    r.add(function send() {}, { title: 'Send it', widgets: { body: 'textarea', apiKey: 'password' } });
    const bound = r.bind(
      manifestOf({ send: { properties: { body: { type: 'string' }, apiKey: { type: 'string' } } } }),
      { manifestDir: dir },
    );
    const entry = bound.require('send').manifest;
    assert.equal(entry.title, 'Send it');
    assert.equal(entry.params.properties.body?.['x-turtle-widget'], 'textarea');
    assert.equal(entry.params.properties.apiKey?.['x-turtle-widget'], 'password');
    assert.equal(entry.params.properties.apiKey?.writeOnly, true);
    r.add(function other() {}, { widgets: { nope: 'textarea' } });
    assert.throws(() => r.bind(manifestOf({ send: {}, other: {} }), { manifestDir: dir }), ManifestMismatch);
  });

  it('applies widget overrides with texts, and refuses one that does not fit its type', () => {
    const r = createRegistry();
    r.add(function tune() {}, {
      widgets: {
        level: { widget: 'range', help: 'How loud' },
        mail: { widget: 'email', placeholder: 'a@b.c' },
      },
    });
    const entry = r
      .bind(
        manifestOf({
          tune: {
            properties: { level: { type: 'integer', minimum: 0, maximum: 9 }, mail: { type: 'string' } },
          },
        }),
        { manifestDir: dir },
      )
      .require('tune').manifest.params.properties;
    assert.deepEqual(entry.level, {
      type: 'integer',
      minimum: 0,
      maximum: 9,
      'x-turtle-widget': 'range',
      description: 'How loud',
    });
    assert.deepEqual(entry.mail, {
      type: 'string',
      format: 'email',
      'x-turtle-widget': 'email',
      'x-turtle-placeholder': 'a@b.c',
    });
    const misfit = createRegistry();
    misfit.add(function tune() {}, { widgets: { level: 'range' } });
    assert.throws(
      () =>
        misfit.bind(manifestOf({ tune: { properties: { level: { type: 'integer' } } } }), {
          manifestDir: dir,
        }),
      mismatch(/range needs a minimum and a maximum/),
    );
  });
});

describe('BoundFunction input validation and calling', () => {
  const r = createRegistry();
  r.add(function deidentify() {});
  r.add(function schedule() {});
  r.add(function configure() {});
  const bound = r.bind(
    manifestOf({
      deidentify: {
        properties: {
          sample_ids: { type: 'string' },
          flowcell_type: {
            type: 'string',
            enum: ['ips', 'ngs'],
            default: 'ips',
            'x-turtle-enum-labels': ['IPS', 'NGS'],
          },
          count: { type: 'integer' },
          dry_run: { type: 'boolean', default: false },
        },
        required: ['sample_ids'],
      },
      schedule: {
        properties: { label: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
        required: ['at'],
      },
      configure: {
        call: 'object',
        properties: { name: { type: 'string' }, since: { type: 'string', format: 'date-time' } },
      },
    }),
    { manifestDir: process.cwd() },
  );

  it('applies defaults to a copy and leaves the caller object alone', () => {
    const input = { sample_ids: 'a,b' };
    assert.deepEqual(bound.require('deidentify').validateInput(input), {
      sample_ids: 'a,b',
      flowcell_type: 'ips',
      dry_run: false,
    });
    assert.deepEqual(input, { sample_ids: 'a,b' });
  });

  it('reports every problem with a JSON pointer, and never coerces types', () => {
    assert.throws(
      () => bound.require('deidentify').validateInput({ flowcell_type: 'xyz', count: '3', extra: 1 }),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        const byPath = Object.fromEntries(err.details.errors.map((e) => [`${e.path}:${e.keyword}`, e]));
        assert.ok(byPath['/sample_ids:required'], 'a missing property points at itself');
        assert.ok(byPath['/flowcell_type:enum']);
        assert.ok(byPath['/count:type'], 'the string "3" is not coerced to an integer');
        assert.match(
          byPath['/extra:additionalProperties']?.message ?? '',
          /no such parameter/,
          'an unknown input points at its own name',
        );
        assert.deepEqual(err.toJSON().type, 'ValidationError');
        return true;
      },
    );
    assert.throws(() => bound.require('deidentify').validateInput(null), ValidationError);
    assert.throws(() => bound.require('deidentify').validateInput([1]), ValidationError);
  });

  it('refuses unknown inputs even under a manifest written before parameter schemas were closed', () => {
    const old = createRegistry();
    old.add(function schedule() {});
    const manifest = manifestOf({ schedule: { properties: { at: { type: 'string' } }, required: ['at'] } });
    delete manifest.functions.schedule!.params.additionalProperties;
    const fn = old.bind(manifest, { manifestDir: process.cwd() }).require('schedule');
    assert.throws(
      () => fn.validateInput({ at: 'soon', lable: 'typo' }),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.details.errors.length === 1 &&
        err.details.errors[0]?.path === '/lable',
    );
  });

  it('checks date-time formats and hands Dates to the function, positionally or as an object', () => {
    assert.throws(
      () => bound.require('schedule').validateInput({ at: 'next tuesday' }),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.details.errors[0]?.path === '/at' &&
        err.details.errors[0]?.keyword === 'format',
    );
    const input = bound.require('schedule').validateInput({ at: '2026-01-02T03:04:05.678Z' });
    const args = bound.require('schedule').toArguments(input);
    assert.equal(args.length, 2);
    assert.equal(
      args[0],
      undefined,
      'an omitted optional parameter is passed as undefined so its default applies',
    );
    assert.ok(args[1] instanceof Date);
    assert.equal(args[1].toISOString(), '2026-01-02T03:04:05.678Z');
    const [object] = bound
      .require('configure')
      .toArguments({ name: 'x', since: '2026-01-02T00:00:00.000Z' }) as [Record<string, unknown>];
    assert.equal(object.name, 'x');
    assert.ok(object.since instanceof Date);
  });
});

describe('BoundFunction validation of string formats and open records', () => {
  const r = createRegistry();
  r.add(function contact() {});
  const fn = r
    .bind(
      manifestOf({
        contact: {
          properties: {
            mail: { type: 'string', format: 'email' },
            site: { type: 'string', format: 'uri' },
            day: { type: 'string', format: 'date' },
            at: { type: 'string', format: 'time' },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
            extra: { type: 'object', additionalProperties: {} },
          },
        },
      }),
      { manifestDir: process.cwd() },
    )
    .require('contact');

  it('accepts what the form inputs produce', () => {
    const input = {
      mail: 'ada@example.org',
      site: 'https://example.org/a?b=1',
      day: '2026-02-28',
      at: '09:30:00+01:00',
      labels: { 'any key': 'text' },
      extra: { nested: [1, { x: null }] },
    };
    assert.deepEqual(fn.validateInput(input), input);
  });

  it('refuses malformed values at their path, and values of the wrong type in a record', () => {
    assert.throws(
      () =>
        fn.validateInput({
          mail: 'not an address',
          site: 'example',
          day: '2026-02-30',
          at: '25:00:00Z',
          labels: { a: 1 },
        }),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(err.details.errors.map((e) => `${e.path}:${e.keyword}`).sort(), [
          '/at:format',
          '/day:format',
          '/labels/a:type',
          '/mail:format',
          '/site:format',
        ]);
        return true;
      },
    );
  });
});

describe('loadManifest', () => {
  it('reads a manifest and its folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-manifest-'));
    try {
      const file = path.join(dir, 'turtle.schema.json');
      fs.writeFileSync(file, JSON.stringify(manifestOf({ resend: {} })));
      const loaded = await loadManifest(file);
      assert.equal(loaded.manifestDir, dir);
      assert.deepEqual(Object.keys(loaded.manifest.functions), ['resend']);
      fs.writeFileSync(file, '{ nope');
      await assert.rejects(loadManifest(file), mismatch(/is not JSON/));
      fs.writeFileSync(file, JSON.stringify({ version: 99, functions: {}, sources: {} }));
      await assert.rejects(loadManifest(file), mismatch(/not a version 1 turtle-shell manifest/));
      await assert.rejects(
        loadManifest(path.join(dir, 'missing.json')),
        mismatch(/Cannot read the manifest/),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
