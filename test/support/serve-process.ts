/**
 * `turtle serve` as a real process for tests: started from source, ready when it prints its URL,
 * always killed at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnTurtle } from './cli.js';

/** A `turtle serve` process. */
export interface ServeProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  readonly output: string;
  /** Resolves with its exit code when it exits. */
  exited: Promise<number | null>;
  /** SIGKILL if still running; resolves once it is gone. */
  kill(): Promise<void>;
}

/** Starts `turtle <args>` with `env` on top of this process's environment. */
export function spawnServe(args: string[], env: Record<string, string>): ServeProcess {
  const child = spawnTurtle(args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    get output() {
      return output;
    },
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Resolves with the URL `turtle serve` prints once it listens; rejects with its output if it exits first. */
export function listeningUrl(serve: ServeProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = /turtle-shell listening on (http:\/\/\S+)/.exec(serve.output);
      if (match) {
        serve.child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    serve.child.stdout!.on('data', check);
    check();
    void serve.exited.then((code) => reject(new Error(`turtle serve exited with ${code}:\n${serve.output}`)));
  });
}
