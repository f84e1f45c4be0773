/**
 * `turtle --help`, the server commands' help and a real `turtle serve` start load neither the
 * TypeScript compiler nor typescript-json-schema (seconds of start-up); only `turtle schema` does.
 * Help loads no subcommand's implementation at all. Checked by recording every module the process loads.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURE_MODULE, runTurtle, spawnTurtle, ROOT } from '../support/cli.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { loadedFromPackage, recordLoadedModules } from '../support/loaded-modules.js';

const COMPILER_PACKAGES = ['typescript', 'typescript-json-schema'];
const FIXTURES = path.join(ROOT, 'test/server/http/fixtures');

let dir: string;
let counter = 0;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-modules-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh log file and the environment that makes a child process record its modules in it. */
function recording(env: NodeJS.ProcessEnv = process.env): { log: string; env: NodeJS.ProcessEnv } {
  const log = path.join(dir, `modules-${++counter}.log`);
  return {
    log,
    env: { ...env, NODE_OPTIONS: [env.NODE_OPTIONS ?? '', ...recordLoadedModules(log)].join(' ').trim() },
  };
}

function assertNoCompiler(log: string): void {
  assert.ok(
    fs.readFileSync(log, 'utf8').includes('/node_modules/commander/'),
    'the recording saw the modules the process loaded',
  );
  for (const pkg of COMPILER_PACKAGES) assert.deepEqual(loadedFromPackage(log, pkg), [], `${pkg} was loaded`);
}

describe('what the turtle command loads', () => {
  for (const args of [
    ['--help'],
    ['serve', '--help'],
    ['worker', '--help'],
    ['migrate', '--help'],
    ['schema', '--help'],
  ]) {
    test(`turtle ${args.join(' ')} prints its help without loading the TypeScript compiler`, async () => {
      const { log, env } = recording();
      const res = await runTurtle(args, { env });
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /^Usage: turtle/);
      assertNoCompiler(log);
      // Help is printed before any subcommand's implementation loads: no database, no server.
      for (const pkg of ['knex', 'koa'])
        assert.deepEqual(loadedFromPackage(log, pkg), [], `${pkg} was loaded`);
    });
  }

  test('turtle schema does load the compiler (the recording sees it)', async () => {
    const { log, env } = recording();
    const out = path.join(dir, 'turtle.schema.json');
    const res = await runTurtle(['schema', path.join(FIXTURES, 'serve-functions.ts'), '--out', out], { env });
    assert.equal(res.code, 0, res.stderr);
    assert.notDeepEqual(loadedFromPackage(log, 'typescript'), []);
    assert.notDeepEqual(loadedFromPackage(log, 'typescript-json-schema'), []);
  });

  for (const kind of DATABASE_KINDS) {
    describe(`a real turtle serve on ${kind}`, () => {
      let db: TestDatabase;
      before(async () => {
        db = await createTestDatabase(kind, 'cli_modules');
      });
      after(() => db.destroy());

      test('starts, answers and stops without loading the TypeScript compiler', async () => {
        const { log, env } = recording({ ...process.env, DATABASE_URL: db.url });
        const child = spawnTurtle(['serve', ...FIXTURE_MODULE, '--port', '0'], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout!.on('data', (d) => {
            output += d;
            const match = /turtle-shell listening on (http:\/\/\S+)/.exec(output);
            if (match) resolve(match[1]!);
          });
          child.stderr!.on('data', (d) => {
            output += d;
          });
          void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
        });
        const res = await fetch(`${url}/api/functions`);
        assert.equal(res.status, 200);
        child.kill('SIGTERM');
        assert.equal(await exited, 0, output);
        assertNoCompiler(log);
      });
    });
  }
});
