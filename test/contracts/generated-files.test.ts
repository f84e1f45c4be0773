/**
 * Generated files are committed and reviewed in diffs, so they must be what their generator writes
 * from the sources today: the Custom Elements Manifest (`npm run elements:manifest`) and the OpenAPI
 * document of the demo's functions (a snapshot; `UPDATE_SNAPSHOTS=1` rewrites it), and every
 * committed manifest (`turtle schema --check` of its functions module, in process).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Manifest } from '../../manifest/manifest.js';
import { generateManifest } from '../../schema-gen/generate-manifest.js';
import { checkManifest } from '../../schema-gen/manifest-file.js';
import { createOpenApiDocument } from '../../server/http/openapi.js';
import { ROOT } from '../support/cli.js';

type AnalyzerCli = (options: { argv: string[]; cwd: string; noWrite: boolean }) => Promise<unknown>;

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/** Every committed manifest and the module it is generated from. */
const MANIFESTS: ReadonlyArray<[manifest: string, module: string]> = [
  ['demo/turtle.schema.json', 'demo/functions.ts'],
  ['bench/fixtures/turtle.schema.json', 'bench/fixtures/functions.ts'],
  ['test/server/http/fixtures/serve-functions.schema.json', 'test/server/http/fixtures/serve-functions.ts'],
  [
    'test/server/http/fixtures/durable-functions.schema.json',
    'test/server/http/fixtures/durable-functions.ts',
  ],
  ['test/server/scheduler/fixtures/turtle.schema.json', 'test/server/scheduler/fixtures/functions.ts'],
];

describe('generated files', () => {
  test('every committed manifest is what `turtle schema` writes from its module today', () => {
    const listed = new Set(MANIFESTS.map(([manifest]) => manifest));
    for (const file of ['demo', 'bench', 'test/server'].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .map((f) => path.join(dir, f)),
    )) {
      if (file.endsWith('.schema.json') || file.endsWith('turtle.schema.json'))
        assert.ok(listed.has(file), `${file} is listed here`);
    }
    for (const [manifest, module] of MANIFESTS) {
      const out = path.join(ROOT, manifest);
      const result = checkManifest(
        out,
        generateManifest({ entry: path.join(ROOT, module), baseDir: path.dirname(out) }),
      );
      assert.deepEqual(
        result.differences,
        [],
        `${manifest} is stale: run turtle schema ${module} --out ${manifest}`,
      );
    }
  });

  test('custom-elements.json is what `cem analyze` makes of the elements today', async () => {
    // The analyzer's own CLI entry, without writing: the module has no type declarations.
    const analyzer = '@custom-elements-manifest/analyzer/cli.js';
    const { cli } = (await import(analyzer)) as { cli: AnalyzerCli };
    const fresh = await cli({
      argv: ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'],
      cwd: ROOT,
      noWrite: true,
    });
    assert.deepEqual(
      readJson('custom-elements.json'),
      JSON.parse(JSON.stringify(fresh)),
      'run `npm run elements:manifest` and commit custom-elements.json',
    );
  });

  test('the OpenAPI document of the demo functions matches its reviewed snapshot', () => {
    const snapshot = 'test/contracts/openapi.snapshot.json';
    const document = createOpenApiDocument(readJson('demo/turtle.schema.json') as Manifest);
    if (process.env.UPDATE_SNAPSHOTS === '1')
      fs.writeFileSync(path.join(ROOT, snapshot), `${JSON.stringify(document, null, 2)}\n`);
    assert.deepEqual(
      readJson(snapshot),
      document,
      `the API contract changed: review it, then rewrite ${snapshot} with UPDATE_SNAPSHOTS=1`,
    );
  });
});
