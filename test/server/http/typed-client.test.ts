/**
 * A typed client generated from `/api/openapi.json` is exact: openapi-typescript writes the types,
 * a script calls every route through openapi-fetch (fixtures/typed-client/call-every-route.ts), and
 * the TypeScript compiler accepts it with no diagnostic — its answers typed as the API contract's own
 * types, a wrongly typed input refused (the `@ts-expect-error` is needed) — and the script runs against
 * the server on every database.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { ROOT } from '../../support/cli.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const TOKEN = 'client-token-0123456789';
const SCRIPT = 'call-every-route.ts';

/** Every diagnostic of type-checking `file` (strict, as an app would), formatted. */
function typeCheck(file: string): ts.Diagnostic[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  return [...ts.getPreEmitDiagnostics(program)];
}

function format(diagnostics: ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('a typed client generated from the OpenAPI document', () => {
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-typed-client-'));
    // The script's imports (openapi-fetch) resolve as in an app's folder.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const api = await startApi('sqlite', { tokens: { client: TOKEN } });
    try {
      const res = await api.request('/api/openapi.json', { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 200);
      fs.writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(res.body)));
    } finally {
      await api.close();
    }
    const contract = path.relative(dir, path.join(ROOT, 'api/index.js')).split(path.sep).join('/');
    fs.writeFileSync(path.join(dir, 'contract.ts'), `export type * from '${contract}';\n`);
    fs.copyFileSync(
      path.join(ROOT, 'test/server/http/fixtures/typed-client', SCRIPT),
      path.join(dir, SCRIPT),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('type-checks a script calling every route, with answers typed as the API contract, with no diagnostic', () => {
    assert.deepEqual(format(typeCheck(path.join(dir, SCRIPT))), []);
  });

  test('refuses a wrongly typed input: without the @ts-expect-error, that line is an error', () => {
    const source = fs.readFileSync(path.join(dir, SCRIPT), 'utf8');
    const lines = source.split('\n');
    const directive = lines.findIndex((line) => line.includes('@ts-expect-error'));
    assert.ok(directive >= 0 && lines[directive + 1]!.includes('WRONGLY TYPED INPUT'));
    lines.splice(directive, 1);
    const unchecked = path.join(dir, 'unchecked.ts');
    fs.writeFileSync(unchecked, lines.join('\n'));
    const errors = format(typeCheck(unchecked));
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0]!,
      new RegExp(`^unchecked\\.ts:${directive + 1}: TS2322 .*'string'.*'number'`, 's'),
    );
  });

  for (const kind of DATABASE_KINDS) {
    test(`the script runs against the server on ${kind}: every route answers as typed`, async () => {
      const api: ApiHarness = await startApi(kind, { tokens: { client: TOKEN } });
      try {
        const script = (await import(pathToFileURL(path.join(dir, SCRIPT)).href)) as {
          callEveryRoute(url: string, token: string): Promise<Record<string, number>>;
        };
        assert.deepEqual(await script.callEveryRoute(api.url, TOKEN), {
          getOpenApiDocument: 200,
          health: 200,
          listFunctions: 200,
          getFunction: 200,
          run_add: 201,
          run_noop: 201,
          run_explode: 201,
          run_report: 202,
          wronglyTyped: 400,
          listExecutions: 200,
          getExecution: 200,
          getMissingExecution: 404,
          getFunctionVersion: 200,
          rerunExecution: 202,
          cancelExecution: 200,
          executionEvents: 200,
          events: 200,
        });
      } finally {
        await api.close();
      }
    });
  }
});
