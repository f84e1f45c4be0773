/**
 * A throw-away project in the OS temp folder for CLI tests: its own tsconfig.json, and
 * `node_modules/turtle-shell` linked to this repository, so `import { registry } from 'turtle-shell'`
 * resolves exactly as in a user's project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';

/** A temp project; `remove()` deletes it. */
export interface TempProject {
  dir: string;
  /** Writes `content` to `dir/<file>` (creating folders) and returns the absolute path. */
  write(file: string, content: string): string;
  remove(): void;
}

/** Creates a temp project. */
export function createTempProject(prefix = 'turtle-schema-'): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'turtle-shell'), 'dir');
  const write = (file: string, content: string) => {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    return target;
  };
  write('package.json', JSON.stringify({ name: 'temp-project', type: 'module', private: true }));
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        customConditions: ['turtle-source'],
        // turtle-shell's own sources need Node's types; the temp folder has no node_modules/@types.
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
    }),
  );
  return { dir, write, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
