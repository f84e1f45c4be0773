/**
 * Benchmark: start-up time of the `turtle` command as it ships (`node bin/turtle.js`, the built package),
 * next to a bare `node -e ''` and to node registering tsx alone (what `bin/turtle.js` does before anything
 * of turtle's loads, so that `--functions x.ts` works), measured in the same run, interleaved, medians of
 * the same number of runs. Help and the server commands load neither the TypeScript compiler nor
 * typescript-json-schema (only `turtle schema` does); `test/cli/turtle.test.ts` checks that.
 *
 *   npm run build && node --import tsx bench/startup.ts [runs=15]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 15);
const BIN = path.join(ROOT, 'bin/turtle.js');

const commands: Array<[label: string, args: string[]]> = [
  ["node -e '' (baseline)", ['-e', '']],
  [
    'node + tsx register()',
    ['--input-type=module', '-e', "import { register } from 'tsx/esm/api'; register();"],
  ],
  ['turtle --help', [BIN, '--help']],
  ['turtle serve --help', [BIN, 'serve', '--help']],
  ['turtle worker --help', [BIN, 'worker', '--help']],
  ['turtle schema --help', [BIN, 'schema', '--help']],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeRun(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return elapsed;
}

// One untimed round, so that no command pays for a cold file cache.
for (const [, args] of commands) timeRun(args);
const timings = commands.map(() => [] as number[]);
// Interleaved, so that a machine that slows down mid-run slows every command alike.
for (let i = 0; i < RUNS; i++) commands.forEach(([, args], j) => timings[j]!.push(timeRun(args)));

const medians = timings.map(median);
const baseline = medians[0]!;
console.log(
  `start-up of the built turtle command, median of ${RUNS} runs (${process.platform}, node ${process.version})`,
);
console.log('');
commands.forEach(([label], j) => {
  const ms = medians[j]!;
  console.log(
    `  ${label.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms   ${j === 0 ? '' : `+${(ms - baseline).toFixed(0)} ms over node -e ''`}`,
  );
});
