/**
 * Generated files are committed and reviewed in diffs, so they must be what their generator writes
 * from the sources today: the Custom Elements Manifest (`npm run elements:manifest`) and the OpenAPI
 * document of the demo's functions (a snapshot; `UPDATE_SNAPSHOTS=1` rewrites it). The demo's
 * manifest is checked by `turtle schema --check` in test/schema-gen/seed.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Manifest } from '../../manifest/manifest.js';
import { createOpenApiDocument } from '../../server/http/openapi.js';
import { ROOT } from '../support/cli.js';

type AnalyzerCli = (options: { argv: string[]; cwd: string; noWrite: boolean }) => Promise<unknown>;

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

describe('generated files', () => {
  test('custom-elements.json is what `cem analyze` makes of the elements today', async () => {
    // The analyzer's own CLI entry, without writing: the module has no type declarations.
    const analyzer = '@custom-elements-manifest/analyzer/cli.js';
    const { cli } = (await import(analyzer)) as { cli: AnalyzerCli };
    const fresh = await cli({ argv: ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], cwd: ROOT, noWrite: true });
    assert.deepEqual(readJson('custom-elements.json'), JSON.parse(JSON.stringify(fresh)), 'run `npm run elements:manifest` and commit custom-elements.json');
  });

  test('the OpenAPI document of the demo functions matches its reviewed snapshot', () => {
    const snapshot = 'test/contracts/openapi.snapshot.json';
    const document = createOpenApiDocument(readJson('demo/turtle.schema.json') as Manifest);
    if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(path.join(ROOT, snapshot), `${JSON.stringify(document, null, 2)}\n`);
    assert.deepEqual(readJson(snapshot), document, `the API contract changed: review it, then rewrite ${snapshot} with UPDATE_SNAPSHOTS=1`);
  });
});
