/**
 * The write statements of an atomic unit, described as data and compiled to SQL by Knex once per
 * shape (table, columns, row count, which conditions are NULL). The lifecycle writes the same few
 * shapes over and over: after the first, a statement costs binding its values, not building and
 * compiling a query builder.
 */
import type { Knex } from 'knex';

/** Inserts `rows` into the table `insert`. Every row has the first row's columns; `undefined` is stored as NULL. */
export interface InsertStatement {
  insert: string;
  rows: ReadonlyArray<Record<string, unknown>>;
  /** See {@link Statement}. */
  expect?: number;
}

/** Sets `set` (`undefined` values are left out) on the rows of `update` matching every `where` equality (`null`: IS NULL). */
export interface UpdateStatement {
  update: string;
  set: Record<string, unknown>;
  where: Record<string, unknown>;
  /** See {@link Statement}. */
  expect?: number;
}

/** Reads every column of the rows of `select` matching every `where` equality (`null`: IS NULL). */
export interface SelectStatement {
  select: string;
  where: Record<string, unknown>;
}

/**
 * One statement of an atomic unit. When `expect` is set, the statement must affect exactly this many
 * rows, or the whole unit is rolled back (a conditional write that lost a race). Default: no check.
 */
export type Statement = InsertStatement | UpdateStatement;

/**
 * A statement as SQL with its bindings, with `?` placeholders: what `knex.raw` takes on every database,
 * and what better-sqlite3 and mysql2 take as they are (Knex turns them into pg's `$1`).
 */
export interface CompiledStatement {
  sql: string;
  bindings: unknown[];
  isInsert: boolean;
  expect: number | undefined;
}

/** SQL for one shape, and for each of its placeholders the index of the value it takes. */
interface Template {
  sql: string;
  slots: number[];
}

const templates = new WeakMap<Knex, Map<string, Template>>();
/** Stand-in values that cannot occur in real data, so a compiled placeholder can be traced to its value. */
const SENTINEL = '\u0000turtle-slot:';

/**
 * Compiles `statement` for `knex`, through a cached template for its shape. `returningId`: an insert
 * ends with `RETURNING id` (PostgreSQL, for a table whose `id` the database generates).
 */
export function compileStatement(
  knex: Knex,
  statement: Statement | SelectStatement,
  returningId = false,
): CompiledStatement {
  const { key, values, build } =
    'insert' in statement
      ? insertShape(knex, statement, returningId)
      : 'update' in statement
        ? updateShape(knex, statement)
        : selectShape(knex, statement);
  let cache = templates.get(knex);
  if (!cache) templates.set(knex, (cache = new Map<string, Template>()));
  let template = cache.get(key);
  if (!template) cache.set(key, (template = compileTemplate(build(values.map((_, i) => `${SENTINEL}${i}`)))));
  return {
    sql: template.sql,
    bindings: template.slots.map((slot) => values[slot]),
    isInsert: 'insert' in statement,
    expect: 'expect' in statement ? statement.expect : undefined,
  };
}

interface Shape {
  key: string;
  /** The statement's values in a canonical order that the key fixes. */
  values: unknown[];
  /** Builds the query of this shape with `placeholders` in place of `values`. */
  build(this: void, placeholders: string[]): Knex.QueryBuilder;
}

function insertShape(knex: Knex, { insert, rows }: InsertStatement, returningId: boolean): Shape {
  const columns = Object.keys(rows[0] ?? {});
  const values: unknown[] = [];
  for (const row of rows) for (const column of columns) values.push(row[column] ?? null);
  return {
    key: `insert${returningId ? ' returning id' : ''}\u0000${insert}\u0000${rows.length}\u0000${columns.join('\u0000')}`,
    values,
    build(placeholders) {
      const query = knex(insert).insert(
        rows.map((_, r) =>
          Object.fromEntries(columns.map((column, c) => [column, placeholders[r * columns.length + c]])),
        ),
      );
      return returningId ? query.returning('id') : query;
    },
  };
}

function updateShape(knex: Knex, { update, set, where }: UpdateStatement): Shape {
  const setColumns = Object.keys(set).filter((column) => set[column] !== undefined);
  const conditions = whereShape(where);
  return {
    key: `update\u0000${update}\u0000${setColumns.join('\u0000')}\u0000${conditions.key}`,
    values: [...setColumns.map((column) => set[column]), ...conditions.values],
    build(placeholders) {
      const query = knex(update).update(
        Object.fromEntries(setColumns.map((column, i) => [column, placeholders[i]])),
      );
      return conditions.apply(query, placeholders.slice(setColumns.length));
    },
  };
}

function selectShape(knex: Knex, { select, where }: SelectStatement): Shape {
  const conditions = whereShape(where);
  return {
    key: `select\u0000${select}\u0000${conditions.key}`,
    values: conditions.values,
    build: (placeholders) => conditions.apply(knex(select).select('*'), placeholders),
  };
}

/** Equalities, in key order, with `null` (or `undefined`) meaning IS NULL. */
function whereShape(where: Record<string, unknown>) {
  const equal = Object.keys(where).filter((column) => where[column] !== null && where[column] !== undefined);
  const isNull = Object.keys(where).filter((column) => where[column] === null || where[column] === undefined);
  return {
    key: `=${equal.join('\u0000')}\u0000null${isNull.join('\u0000')}`,
    values: equal.map((column) => where[column]),
    apply(query: Knex.QueryBuilder, placeholders: string[]): Knex.QueryBuilder {
      for (const [i, column] of equal.entries()) query.where(column, placeholders[i]);
      for (const column of isNull) query.whereNull(column);
      return query;
    },
  };
}

function compileTemplate(query: Knex.QueryBuilder): Template {
  const { sql, bindings } = query.toSQL();
  const slots = bindings.map((binding) => {
    if (typeof binding !== 'string' || !binding.startsWith(SENTINEL))
      throw new Error(`Unexpected binding in a statement template: ${JSON.stringify(binding)}`);
    return Number(binding.slice(SENTINEL.length));
  });
  return { sql, slots };
}
