/**
 * Tracebacks as API clients see them: without the server's absolute paths, which tell an outsider
 * where and as whom the server runs. Stored tracebacks keep them; only answers are rewritten.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// An absolute POSIX path or a file:// URL, starting where a stack frame or message puts one
// (line start, space, bracket, quote); it ends before `:line:column`, a bracket or a quote.
const ABSOLUTE_PATH = /(?<=^|[\s(['"`=])(file:\/\/[^\s()'"`]*?|\/[^\s()'"`:]+)(?=$|[\s)\]'"`:,])/gm;

/**
 * `traceback` with every absolute path (and `file://` URL) made safe to show: relative to `root`
 * when inside it (`server/app.ts:3:9`); from `node_modules/` on for a dependency elsewhere; else
 * only the file name after `…/`. `node:` frames and relative paths are left as they are.
 * @example
 * relativeTraceback('Error: x\n    at f (/srv/app/fns.ts:3:9)', '/srv/app') // 'Error: x\n    at f (fns.ts:3:9)'
 */
export function relativeTraceback(traceback: string, root: string): string {
  const base = path.resolve(root);
  return traceback.replace(ABSOLUTE_PATH, (match) => safePath(match, base));
}

function safePath(found: string, root: string): string {
  let absolute = found;
  if (found.startsWith('file://')) {
    try {
      absolute = fileURLToPath(found);
    } catch {
      return '…';
    }
  }
  const relative = path.relative(root, absolute);
  if (relative === '') return '.';
  if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
    return relative.split(path.sep).join('/');
  const modules = absolute.indexOf(`${path.sep}node_modules${path.sep}`);
  if (modules !== -1)
    return absolute
      .slice(modules + 1)
      .split(path.sep)
      .join('/');
  return `…/${path.basename(absolute)}`;
}
