/**
 * Writes the benchmark's registration module: `count` registered functions with mixed parameter
 * types (primitives, Integer/Text/Secret, enums, literal unions, arrays, nested interfaces, Date,
 * defaults, object parameters), into a throw-away project that links turtle-shell like a user's (the schema-gen tests' temp project).
 */
import path from 'node:path';
import { createTempProject } from '../test/schema-gen/temp-project.js';

/** A generated project: its folder, tsconfig.json and entry module. */
export interface BenchProject {
  dir: string;
  tsconfig: string;
  entry: string;
  remove(): void;
}

const TYPES = `/** A sequencing platform. */
export enum Platform { IPS = 'ips', NovaSeq = 'novaseq', NextSeq = 'nextseq' }
export enum Priority { Low = 1, Normal = 2, High = 3 }
export interface Address {
  /** Street and number. */
  street: string;
  /** @pattern ^[0-9]{5}$ */
  zip: string;
  country?: 'fr' | 'de' | 'nl';
}
export interface Contact {
  name: string;
  email?: string;
  address: Address;
  tags: string[];
}
`;

/** One function's source, cycling through 5 shapes of parameter lists. */
function functionSource(i: number): string {
  switch (i % 5) {
    case 0:
      return `/**
 * Function ${i}: primitives and defaults.
 * @param label what to call it
 * @min count 1
 */
export function fn${i}(label: string, count: Integer, ratio = -0.5, enabled?: boolean, platform: Platform = Platform.IPS) {
  return { label, count, ratio, enabled, platform };
}`;
    case 1:
      return `/** Function ${i}: long text and secrets. */
export async function fn${i}(body: Text, apiKey: Secret, /** @maxLength 20 */ subject: string, when: Date): Promise<{ sent: boolean; at: string }> {
  return { sent: true, at: when.toISOString() };
}`;
    case 2:
      return `export interface Params${i} {
  /** The contact to reach. */
  contact: Contact;
  priority: Priority;
  notes?: Text;
  attempts?: Integer;
}
/** Function ${i}: one object parameter. */
export function fn${i}(p: Params${i}): Contact[] {
  return [p.contact];
}`;
    case 3:
      return `/** Function ${i}: destructured with defaults. */
export const fn${i} = ({ ids, mode = 'fast', limit = 10 }: { ids: string[]; mode?: 'fast' | 'thorough'; limit?: number }) => ids.slice(0, limit).map((id) => id + mode);`;
    default:
      return `/** Function ${i}: arrays and nested objects. */
export function fn${i}(addresses: Address[], matrix: number[][], kinds: Platform[] = [Platform.NovaSeq], extra: { key: string; value: number } = { key: 'k', value: -1 }) {
  return addresses.length + matrix.length + kinds.length + extra.value;
}`;
  }
}

/** Creates the project in the OS temp folder with `count` registered functions. */
export function createBenchProject(count = 100): BenchProject {
  const project = createTempProject('turtle-bench-');
  const { dir } = project;
  const tsconfig = path.join(dir, 'tsconfig.json');
  project.write('types.ts', TYPES);
  const functions = Array.from({ length: count }, (_, i) => functionSource(i));
  const registrations = Array.from({ length: count }, (_, i) =>
    i % 3 === 0 ? `registry.addSync(fn${i});` : `registry.add(fn${i});`,
  );
  const entry = project.write(
    'functions.ts',
    [
      `import { registry, type Integer, type Text, type Secret } from 'turtle-shell';`,
      `import { Platform, Priority, type Address, type Contact } from './types.js';`,
      '',
      ...functions,
      '',
      ...registrations,
      '',
    ].join('\n'),
  );
  return { dir, tsconfig, entry, remove: () => project.remove() };
}
