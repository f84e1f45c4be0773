/**
 * Benchmark: generating the manifest of a module with 100 registered functions, next to
 * `tsc --noEmit` on the same module, measured in the same run (medians of the same number of runs).
 * Target: within 2x of `tsc --noEmit`.
 *
 *   node --import tsx --conditions=turtle-source bench/schema-gen.ts [runs=5]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { generateManifest } from 'turtle-shell/schema-gen';
import { createBenchProject } from './schema-gen-module.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 5);
const require = (await import('node:module')).createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
}

const project = createBenchProject(100);
try {
  const out = path.join(project.dir, 'turtle.schema.json');
  const tscArgs = [TSC, '--noEmit', '-p', project.tsconfig];
  const cliArgs = [
    '--import',
    'tsx',
    '--conditions=turtle-source',
    path.join(ROOT, 'cli/turtle.ts'),
    'schema',
    project.entry,
    '--out',
    out,
  ];

  // One untimed round each, so that neither side pays for a cold file cache or tsx's compile cache.
  const manifest = generateManifest({ entry: project.entry, baseDir: project.dir });
  run(process.execPath, tscArgs);
  run(process.execPath, cliArgs);

  const timings = {
    tscProcess: [] as number[],
    cliProcess: [] as number[],
    checkInProcess: [] as number[],
    generateInProcess: [] as number[],
  };
  // Interleaved, so that a machine that slows down mid-run slows every side alike.
  for (let i = 0; i < RUNS; i++) {
    timings.tscProcess.push(time(() => run(process.execPath, tscArgs)));
    timings.cliProcess.push(time(() => run(process.execPath, cliArgs)));
    timings.checkInProcess.push(
      time(() => {
        // What `tsc --noEmit` does, in this process: build the program, get every diagnostic.
        const parsed = ts.getParsedCommandLineOfConfigFile(
          project.tsconfig,
          {},
          { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
        )!;
        ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options }));
      }),
    );
    timings.generateInProcess.push(
      time(() => generateManifest({ entry: project.entry, baseDir: project.dir })),
    );
  }

  const m = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof timings,
    number
  >;
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  console.log(
    `schema-gen: ${Object.keys(manifest.functions).length} registered functions, median of ${RUNS} runs (${process.platform}, node ${process.version})`,
  );
  console.log('');
  console.log(`  process     tsc --noEmit (baseline)             ${ms(m.tscProcess)}`);
  console.log(
    `  process     turtle schema (CLI, end to end)     ${ms(m.cliProcess)}   ${(m.cliProcess / m.tscProcess).toFixed(2)}x tsc`,
  );
  console.log(`  in-process  createProgram + diagnostics (base)  ${ms(m.checkInProcess)}`);
  console.log(
    `  in-process  generateManifest                    ${ms(m.generateInProcess)}   ${(m.generateInProcess / m.checkInProcess).toFixed(2)}x`,
  );
  console.log('');
  console.log(
    `  target: within 2x of tsc --noEmit — ${m.cliProcess <= 2 * m.tscProcess ? 'met' : 'NOT met'} end to end, ${m.generateInProcess <= 2 * m.checkInProcess ? 'met' : 'NOT met'} in process`,
  );
} finally {
  project.remove();
}
