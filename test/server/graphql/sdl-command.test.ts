/**
 * `turtle schema --graphql <file>` (a real process): writes the SDL of the module's functions next
 * to the manifest, the same bytes each time, and `--check` exits 1 when the file differs; and
 * `turtle serve --graphql` / `TURTLE_GRAPHQL` turn the endpoint on in the configuration.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { printSdl } from '../../../server/graphql/sdl.js';
import type { Manifest } from '../../../manifest/manifest.js';
import { ROOT, runTurtle } from '../../support/cli.js';

describe('turtle schema --graphql', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-sdl-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes the SDL of the manifest it writes, and --check finds it up to date, then stale', async () => {
    const out = path.join(dir, 'turtle.schema.json');
    const sdl = path.join(dir, 'schema.graphql');
    const args = ['schema', path.join(ROOT, 'demo/functions.ts'), '--out', out, '--graphql', sdl];
    const written = await runTurtle(args);
    assert.equal(written.code, 0, written.stderr);
    const manifest = JSON.parse(fs.readFileSync(out, 'utf8')) as Manifest;
    assert.equal(fs.readFileSync(sdl, 'utf8'), printSdl(manifest));
    assert.match(fs.readFileSync(sdl, 'utf8'), /^ {2}deidentify\($/m);
    const checked = await runTurtle([...args, '--check']);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /schema\.graphql is up to date/);
    fs.appendFileSync(sdl, '# edited by hand\n');
    const stale = await runTurtle([...args, '--check']);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /schema\.graphql is stale/);
  });
});

describe('turtle serve --graphql', () => {
  test('is off by default, on with the flag or TURTLE_GRAPHQL=1, and a typo is a ConfigError', () => {
    assert.equal(loadConfig({}, {}).graphql, false);
    assert.equal(loadConfig({ graphql: true }, {}).graphql, true);
    assert.equal(loadConfig({}, { TURTLE_GRAPHQL: '1' }).graphql, true);
    assert.equal(loadConfig({}, { TURTLE_GRAPHQL: 'off' }).graphql, false);
    assert.throws(() => loadConfig({}, { TURTLE_GRAPHQL: 'maybe' }), ConfigError);
  });
});
