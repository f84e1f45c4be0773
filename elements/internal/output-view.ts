/**
 * How a JSON value is shown to a person: a table for an array of records, key/value rows for an
 * object, a list for an array of anything else, text for the rest. Pure, so it can be tested alone;
 * `render-output.ts` turns a view into DOM, always as text.
 */

/** The kinds of {@link OutputView}. */
export const OutputKind = {
  empty: 'empty',
  text: 'text',
  list: 'list',
  record: 'record',
  table: 'table',
} as const;

/** One of {@link OutputKind}. */
export type OutputKind = (typeof OutputKind)[keyof typeof OutputKind];

/** A value laid out for display. */
export type OutputView =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: OutputView[] }
  | { kind: 'record'; entries: { key: string; value: OutputView }[] }
  | { kind: 'table'; columns: string[]; rows: OutputView[][] };

/** Nesting deeper than this is shown as JSON text, so a pathological value cannot blow the stack. */
const MAX_DEPTH = 8;

/**
 * Lays out `value` for display.
 *
 * @example
 * describeOutput([{ id: 1, ok: true }, { id: 2 }])
 * // → { kind: 'table', columns: ['id', 'ok'], rows: [[{text:'1'}, {text:'true'}], [{text:'2'}, {kind:'empty'}]] }
 */
export function describeOutput(value: unknown, depth = 0): OutputView {
  if (value === null || value === undefined) return { kind: OutputKind.empty };
  // JSON's scalars: a string as it is, a number or a boolean as JSON writes it.
  if (typeof value !== 'object')
    return { kind: OutputKind.text, text: typeof value === 'string' ? value : JSON.stringify(value) };
  if (depth >= MAX_DEPTH) return { kind: OutputKind.text, text: JSON.stringify(value) };
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRecord)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
      const rows = value.map((row) =>
        columns.map((c) =>
          Object.hasOwn(row, c) ? describeOutput(row[c], depth + 1) : { kind: OutputKind.empty },
        ),
      );
      return { kind: OutputKind.table, columns, rows };
    }
    return { kind: OutputKind.list, items: value.map((v) => describeOutput(v, depth + 1)) };
  }
  return {
    kind: OutputKind.record,
    entries: Object.entries(value).map(([key, v]) => ({ key, value: describeOutput(v, depth + 1) })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
