/**
 * Runs the `turtle` CLI from source, as a real process, the way `npx turtle` runs the built one.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaCommand, type SchemaCommandOptions } from '../../schema-gen/cli.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `--functions` and `--manifest` of the module the process tests serve (`test/server/http/fixtures`). */
export const FIXTURE_MODULE: readonly string[] = [
  '--functions',
  path.join(ROOT, 'test/server/http/fixtures/serve-functions.ts'),
  '--manifest',
  path.join(ROOT, 'test/server/http/fixtures/serve-functions.schema.json'),
];

/** The argv to start `turtle <args>` from source with node + tsx. */
export function turtleArgv(args: string[]): [string, string[]] {
  return [
    process.execPath,
    ['--import', 'tsx', '--conditions=turtle-source', path.join(ROOT, 'cli/turtle.ts'), ...args],
  ];
}

/** Starts `turtle <args>` as a child process. */
export function spawnTurtle(args: string[], options: SpawnOptions = {}): ChildProcess {
  const [cmd, argv] = turtleArgv(args);
  return spawn(cmd, argv, { cwd: ROOT, ...options });
}

/** Runs `turtle <args>` to the end and gives its exit code and output. */
export function runTurtle(
  args: string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTurtle(args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `turtle schema <args>` in this process (the command as cli/turtle.ts builds it, output captured):
 * what a process run gives, without starting one and loading the TypeScript compiler again.
 */
export async function runSchemaCommand(
  args: string[],
  options: Omit<SchemaCommandOptions, 'output'> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = schemaCommand({
    ...options,
    output: {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
  });
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await command.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = saved;
  }
}
