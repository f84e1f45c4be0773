import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runSchemaCommand, runTurtle } from '../support/cli.js';
import { createTempProject, type TempProject } from './temp-project.js';

const FUNCTIONS = `import { registry, type Integer } from 'turtle-shell';

/** Sends a report. */
export function send(reportId: Integer, dryRun = false) {}

export function purge(days: number) {}

registry.add(send);
registry.addSync(purge);
`;

// The first test runs the command as a process (the smoke test of `turtle schema`); the others run it
// in this process, with the same arguments and the same output.
describe('turtle schema (CLI)', () => {
  let project: TempProject;
  let entry: string;
  let out: string;
  before(() => {
    project = createTempProject();
    entry = project.write('src/functions.ts', FUNCTIONS);
    out = path.join(project.dir, 'build', 'turtle.schema.json');
  });
  after(() => project.remove());

  it('writes the manifest, with paths relative to its folder, as 2-space JSON with a trailing newline', async () => {
    const run = await runTurtle(['schema', entry, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /wrote .*turtle\.schema\.json \(2 functions\)/);
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.startsWith('{\n  "version": 1,\n  "functions": {\n'));
    const manifest = JSON.parse(text);
    assert.deepEqual(Object.keys(manifest.functions), ['purge', 'send']);
    assert.equal(manifest.functions.send.source, '../src/functions.ts:4');
    assert.deepEqual(manifest.functions.send.params.properties, {
      reportId: { type: 'integer' },
      dryRun: { type: 'boolean', default: false },
    });
    assert.deepEqual(Object.keys(manifest.sources), ['../src/functions.ts']);
  });

  it('writes byte-identical output for the same source', async () => {
    const first = fs.readFileSync(out);
    const run = await runSchemaCommand([entry, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fs.readFileSync(out), first);
  });

  it('--check exits 0 when the manifest is up to date', async () => {
    const run = await runSchemaCommand([entry, '--out', out, '--check']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /up to date/);
  });

  it('--check exits 1 with a summary of what changed, and writes nothing', async () => {
    const before = fs.readFileSync(out);
    project.write(
      'src/functions.ts',
      FUNCTIONS.replace(
        'export function purge(days: number) {}',
        'export function archive(days: number, dryRun?: boolean) {}',
      )
        .replace('registry.addSync(purge);', 'registry.addSync(archive);')
        .replace('dryRun = false', 'dryRun = false, note?: string'),
    );
    try {
      const run = await runSchemaCommand([entry, '--out', out, '--check']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /is stale:/);
      assert.match(run.stderr, /\+ function archive \(added\)/);
      assert.match(run.stderr, /- function purge \(removed\)/);
      assert.match(run.stderr, /~ function send:\n\s+\+ param note: \{"type":"string"\}/);
      assert.match(run.stderr, /~ source \.\.\/src\/functions\.ts \(content changed\)/);
      assert.deepEqual(fs.readFileSync(out), before);
    } finally {
      project.write('src/functions.ts', FUNCTIONS);
    }
  });

  it('--check exits 1 when there is no manifest yet, and creates none', async () => {
    const missing = path.join(project.dir, 'missing', 'turtle.schema.json');
    const run = await runSchemaCommand([entry, '--out', missing, '--check']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /does not exist/);
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('exits 2 on source errors, printing each with file:line, and leaves the existing manifest untouched', async () => {
    const before = fs.readFileSync(out);
    const bad = project.write(
      'src/bad.ts',
      `import { registry } from 'turtle-shell';
export function a(cb: () => void) {}
export function b(x: symbol) {}
registry.add(a);
registry.add(b);
`,
    );
    const run = await runSchemaCommand([bad, '--out', out]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /2 errors:/);
    assert.match(
      run.stderr,
      /src\/bad\.ts:2: functions cannot be sent as JSON \(function a, parameter cb, type \(\) => void\)/,
    );
    assert.match(
      run.stderr,
      /src\/bad\.ts:3: symbols cannot be sent as JSON \(function b, parameter x, type symbol\)/,
    );
    assert.match(run.stderr, /nothing written/);
    assert.deepEqual(fs.readFileSync(out), before);
    const fresh = path.join(project.dir, 'fresh.json');
    assert.equal((await runSchemaCommand([bad, '--out', fresh])).code, 2);
    assert.equal(fs.existsSync(fresh), false);
  });
});
