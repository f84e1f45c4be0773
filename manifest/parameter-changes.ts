/**
 * How a function's parameters changed between two manifest entries, as data: what a rerun of an old
 * run reports when its stored inputs no longer fit (`409 SchemaChanged`), and what a page shows a
 * person. Pure, no dependencies: the server and the elements may both use it.
 */
import { canonicalJson } from './canonical-json.js';
import type { ManifestFunction, Schema } from './manifest.js';

/** One change of a parameter between two versions of a function. */
export type ParameterChange =
  /** A parameter the old version did not have; `required`: a call must give it. */
  | { kind: 'added'; parameter: string; required: boolean }
  /** A parameter the new version no longer has. */
  | { kind: 'removed'; parameter: string }
  /** A removed and an added parameter with the same schema (titles and help aside): it looks renamed. */
  | { kind: 'renamed'; from: string; to: string }
  /** The parameter's type (`type`, `format`, `enum`, items…) changed; `from`/`to` describe it. */
  | { kind: 'type-changed'; parameter: string; from: string; to: string }
  /** The same type under other limits (`minimum`, `maxLength`, `pattern`, nested properties…): the keywords that differ. */
  | { kind: 'constraints-changed'; parameter: string; keywords: string[] }
  /** An optional parameter became required. */
  | { kind: 'now-required'; parameter: string };

/** Keywords that only describe a parameter to people: they never make an input stop fitting. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'x-turtle-widget',
  'x-turtle-enum-labels',
  'writeOnly',
]);

/**
 * What changed in the parameters from `before` to `after`, in `after`'s parameter order (removed
 * ones last). Changes to annotations only (titles, help, defaults, widgets) are not listed.
 * @example
 * parameterChanges(old, current)
 * // → [{ kind: 'renamed', from: 'sample', to: 'sampleId' }, { kind: 'added', parameter: 'dryRun', required: false }]
 */
export function parameterChanges(
  before: Pick<ManifestFunction, 'params'>,
  after: Pick<ManifestFunction, 'params'>,
): ParameterChange[] {
  const old = before.params.properties;
  const now = after.params.properties;
  const oldRequired = new Set(before.params.required ?? []);
  const nowRequired = new Set(after.params.required ?? []);
  const added = Object.keys(now).filter((name) => !Object.hasOwn(old, name));
  const removed = Object.keys(old).filter((name) => !Object.hasOwn(now, name));
  const renamedTo = new Map<string, string>();
  for (const from of removed) {
    const to = added.find(
      (name) => ![...renamedTo.values()].includes(name) && sameJson(essence(old[from]!), essence(now[name]!)),
    );
    if (to !== undefined) renamedTo.set(from, to);
  }
  const renamedFrom = new Map([...renamedTo].map(([from, to]) => [to, from]));
  const changes: ParameterChange[] = [];
  for (const name of Object.keys(now)) {
    const schema = now[name]!;
    const from = renamedFrom.get(name);
    if (from !== undefined) changes.push({ kind: 'renamed', from, to: name });
    else if (!Object.hasOwn(old, name))
      changes.push({ kind: 'added', parameter: name, required: nowRequired.has(name) });
    else {
      const was = old[name]!;
      const [typeBefore, typeAfter] = [describeType(was), describeType(schema)];
      if (typeBefore !== typeAfter)
        changes.push({ kind: 'type-changed', parameter: name, from: typeBefore, to: typeAfter });
      else {
        const keywords = differingKeywords(was, schema);
        if (keywords.length) changes.push({ kind: 'constraints-changed', parameter: name, keywords });
      }
      if (nowRequired.has(name) && !oldRequired.has(name))
        changes.push({ kind: 'now-required', parameter: name });
    }
  }
  for (const name of removed) if (!renamedTo.has(name)) changes.push({ kind: 'removed', parameter: name });
  return changes;
}

/** A short description of what values a schema takes: `string`, `integer | null`, `one of "a", "b"`, `array of string`, `string (date-time)`. */
export function describeType(schema: Schema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.$ref) return schema.$ref.replace(/^#\/(definitions|\$defs)\//, '');
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches)
    return branches.map((b) => (typeof b === 'boolean' ? String(b) : describeType(b as Schema))).join(' | ');
  const types = schema.type === undefined ? ['any'] : [schema.type].flat();
  const described = types.map((type) => {
    if (type === 'array' && schema.items && !Array.isArray(schema.items) && typeof schema.items !== 'boolean')
      return `array of ${describeType(schema.items)}`;
    return schema.format && type === 'string' ? `string (${schema.format})` : type;
  });
  return described.join(' | ');
}

/** The keywords (other than annotations) whose values differ between two schemas of the same type. */
function differingKeywords(before: Schema, after: Schema): string[] {
  const [a, b] = [essence(before) as Record<string, unknown>, essence(after) as Record<string, unknown>];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !sameJson(a[key], b[key]));
}

/** Keywords whose value is a map of names to schemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
/** Keywords whose value is data, not a schema. */
const DATA = new Set(['enum', 'const', 'required']);

/** The schema without its annotations, at any depth: what decides which values fit. */
function essence(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(essence);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (ANNOTATIONS.has(key)) continue;
    out[key] = DATA.has(key)
      ? value
      : SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([name, child]) => [name, essence(child)]),
          )
        : essence(value);
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
