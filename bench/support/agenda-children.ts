/**
 * The parent side of `agenda-child.ts`: times forked baseline workers running a number of jobs.
 */
import type { ChildProcess } from 'node:child_process';

/**
 * Waits until each of `children` (each running `runAgendaChild`) is ready, starts them all, and
 * answers jobs per second once their completions add up to `jobs`; then stops them. A child that
 * fails, or jobs not done within `timeoutMs`, reject (naming `label`); every child is killed then.
 */
export async function timeAgendaChildren(
  children: ChildProcess[],
  jobs: number,
  timeoutMs: number,
  label: string,
): Promise<number> {
  const counts = children.map(() => 0);
  const sum = () => counts.reduce((a, b) => a + b, 0);
  try {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            c.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
            c.once('exit', (code) => reject(new Error(`${label}: a worker exited ${code}`)));
          }),
      ),
    );
    const finished = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${label}: ${sum()} of ${jobs} jobs in ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      children.forEach((c, i) =>
        c.on('message', (m: { done?: number }) => {
          if (typeof m !== 'object' || m.done === undefined) return;
          counts[i] = m.done;
          if (sum() >= jobs) {
            clearTimeout(timer);
            resolve(performance.now());
          }
        }),
      );
    });
    const t0 = performance.now();
    for (const c of children) c.send('start');
    const t1 = await finished;
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            c.once('exit', resolve);
            c.send('stop');
          }),
      ),
    );
    if (sum() !== jobs) throw new Error(`${label}: ${sum()} completions for ${jobs} jobs`);
    return jobs / ((t1 - t0) / 1000);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
