/**
 * Which modules a process loads: node arguments that record every module it resolves (ES modules,
 * through a `node:module` `register` hook) and, at exit, every CommonJS module in `require.cache`
 * (what CommonJS packages `require` among themselves never passes the ES hooks), one per line in a file.
 */
import fs from 'node:fs';

// Runs in the loader thread: appends each resolved URL to the log.
const HOOKS = `
import fs from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  fs.appendFileSync(log, result.url + '\\n');
  return result;
}`;

// Runs in the main thread before the program: registers the hooks and dumps require.cache at exit.
const PRELOAD = (log: string): string => `
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
const log = ${JSON.stringify(log)};
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { log } });
// require.cache is one for the process, whichever file a require is created for.
const require = createRequire(log);
process.on('exit', () => { fs.appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'); });`;

/** Node arguments (put them before the script) that write the modules the process loads to `log`. */
export function recordLoadedModules(log: string): string[] {
  fs.writeFileSync(log, '');
  return ['--import', `data:text/javascript,${encodeURIComponent(PRELOAD(log))}`];
}

/** The loaded modules that belong to `pkg` (a package name), as recorded in `log`. */
export function loadedFromPackage(log: string, pkg: string): string[] {
  const inPackage = new RegExp(`[/\\\\]node_modules[/\\\\]${pkg.replace(/[/.]/g, '\\$&')}[/\\\\]`);
  return [
    ...new Set(
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => inPackage.test(line)),
    ),
  ];
}
