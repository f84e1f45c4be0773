/**
 * The real `turtle` CLI as a child process of a bench, run from source the way the tests run it
 * (node + tsx, `--conditions=turtle-source`): started, ready when it prints its ready line, stopped
 * by its own pid (SIGTERM, then SIGKILL if it does not exit in time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The last characters a process printed are kept, for an error report. */
const KEEP = 4000;

/** A running `turtle` process. */
export interface TurtleProcess {
  child: ChildProcess;
  /** The match of the ready pattern, once printed; rejects with its output if it exits first. */
  ready: Promise<RegExpExecArray>;
  /** The tail of what it printed (stdout and stderr). */
  readonly output: string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `turtle <args>` with `env` on top of this process's environment; ready when a line matches `readyLine`. */
export function startTurtle(args: string[], env: Record<string, string>, readyLine: RegExp): TurtleProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=turtle-source', path.join(ROOT, 'cli/turtle.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let matched: RegExpExecArray | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const take = (data: Buffer): void => {
      output = (output + data.toString()).slice(-KEEP);
      if (!matched && (matched = readyLine.exec(output))) resolve(matched);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    void exited.then(() =>
      reject(new Error(`turtle ${args[0]} exited with ${child.exitCode ?? child.signalCode}:\n${output}`)),
    );
  });
  ready.catch(() => {}); // observed by whoever awaits it; stop() must not leave it unhandled
  return {
    child,
    ready,
    get output() {
      return output;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
