/**
 * The one mapping between an {@link ExecutionRecord} and a row of `turtle_executions`: which column
 * holds each field and how it is encoded (times and JSON through the database's `Columns` codecs).
 */
import type { Columns } from '../../storage/columns.js';
import type { ExecutionRecord, Expected } from './execution-record.js';

type Codec = 'plain' | 'time' | 'json';
type Field = keyof ExecutionRecord;

const COLUMNS: Record<Field, readonly [column: string, codec: Codec]> = {
  id: ['id', 'plain'],
  functionName: ['func_name', 'plain'],
  mode: ['mode', 'plain'],
  status: ['status', 'plain'],
  input: ['input_json', 'json'],
  output: ['output_json', 'json'],
  error: ['error_json', 'json'],
  traceback: ['traceback', 'plain'],
  state: ['state_json', 'json'],
  progress: ['progress', 'json'],
  user: ['user', 'plain'],
  attempts: ['attempts', 'plain'],
  createdAt: ['created_at', 'time'],
  updatedAt: ['updated_at', 'time'],
  startedAt: ['started_at', 'time'],
  finishedAt: ['finished_at', 'time'],
  rerunOf: ['rerun_of', 'plain'],
  workerId: ['worker_id', 'plain'],
  heartbeatAt: ['heartbeat_at', 'time'],
  nextRunAt: ['next_run_at', 'time'],
  waitKind: ['wait_kind', 'plain'],
  idempotencyKey: ['idempotency_key', 'plain'],
  functionVersion: ['function_version', 'plain'],
  scheduleId: ['schedule_id', 'plain'],
};

const FIELDS = Object.keys(COLUMNS) as Field[];

/** The column that holds `field`. */
export function columnOf(field: Field): string {
  return COLUMNS[field][0];
}

/** The columns a summary is read from: all but the big ones a list page does not need. */
export const SUMMARY_COLUMNS: readonly string[] = FIELDS.filter(
  (field) =>
    ![
      'input',
      'output',
      'state',
      'traceback',
      'workerId',
      'heartbeatAt',
      'waitKind',
      'idempotencyKey',
    ].includes(field),
).map(columnOf);

/** `fields` of a record (or a patch, or what a change expects) as column values; `null` stays NULL. */
export function toColumns(columns: Columns, fields: Partial<ExecutionRecord>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of Object.keys(fields) as Field[]) {
    const value = fields[field];
    if (value === undefined) continue;
    row[COLUMNS[field][0]] = encode(columns, COLUMNS[field][1], value);
  }
  return row;
}

/** What a change expects, as equality conditions (`null`: IS NULL). */
export function expectedColumns(columns: Columns, id: string, expected: Expected): Record<string, unknown> {
  return { id, ...toColumns(columns, expected) };
}

/** A stored row (at least the columns read) as a record; columns not read are left at their empty value. */
export function fromColumns(columns: Columns, row: Record<string, unknown>): ExecutionRecord {
  const record: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const [column, codec] = COLUMNS[field];
    const value = row[column];
    record[field] =
      codec === 'time'
        ? columns.readTime(value)
        : codec === 'json'
          ? columns.readJson(value)
          : (value ?? null);
  }
  record.attempts = Number(record.attempts ?? 0);
  record.input ??= {};
  return record as unknown as ExecutionRecord;
}

function encode(columns: Columns, codec: Codec, value: unknown): unknown {
  if (value === null) return null;
  if (codec === 'time') return columns.time(value as number);
  if (codec === 'json') return columns.json(value);
  return value;
}
