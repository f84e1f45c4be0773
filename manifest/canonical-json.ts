/** Canonical JSON: one text per JSON value, whatever order its keys were written in. */

/**
 * `value` as JSON with every object's keys in code-unit order and no whitespace (what RFC 8785
 * does for the JSON a manifest holds: strings, finite numbers, booleans, null, arrays, objects).
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does.
 * @example canonicalJson({ b: 1, a: [true, null] }) // → '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
