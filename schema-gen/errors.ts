/**
 * The typed errors of schema-gen. Each has a stable `type` string (what callers and the CLI switch
 * on) and a JSON-safe `details` object naming the file:line, function, parameter and type text.
 */

/** The stable `type` strings of {@link SchemaGenError}. */
export const SchemaGenErrorType = {
  /** A parameter (or return) type no form can be made of: a function, a symbol, a type parameter, `any`… */
  UnsupportedType: 'UnsupportedType',
  /** Two registrations end up under the same name. */
  DuplicateName: 'DuplicateName',
  /** `registry.add` was given something that is not a named function declaration. */
  NotAFunction: 'NotAFunction',
  /** A statically read option (`name`, `title`, `widgets`, `schedules`) is not a literal. */
  NonLiteralOption: 'NonLiteralOption',
  /** A statically read option has a literal value that makes no sense (unknown widget or parameter). */
  InvalidOption: 'InvalidOption',
  /** A JSDoc tag schema-gen reads (`@asType`, `@widget`, `@min`…) has a value it cannot use. */
  InvalidTag: 'InvalidTag',
  /** The module (or one it imports) does not parse. */
  SyntaxError: 'SyntaxError',
  /** The entry module does not exist. */
  EntryNotFound: 'EntryNotFound',
  /** The entry module registers no function. */
  NoRegistrations: 'NoRegistrations',
} as const;

/** One of {@link SchemaGenErrorType}'s values. */
export type SchemaGenErrorType = (typeof SchemaGenErrorType)[keyof typeof SchemaGenErrorType];

/** What a {@link SchemaGenError} is about; every field is optional but `file`/`line` are set whenever known. */
export interface SchemaGenErrorDetails {
  /** Path of the file, relative to the manifest's folder, `/`-separated. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** The registered function's declared name (or the expression passed). */
  function?: string;
  /** The parameter, with a dotted path for nested properties (`p.address.zip`), or `(return)`. */
  parameter?: string;
  /** The type as TypeScript prints it. */
  typeText?: string;
  [key: string]: unknown;
}

/** A problem found in the source; the manifest is not written while any exists. */
export class SchemaGenError extends Error {
  /** Stable machine-readable name, one of {@link SchemaGenErrorType}. */
  readonly type: SchemaGenErrorType;
  /** Structured facts about the error; always JSON-safe. */
  readonly details: SchemaGenErrorDetails;

  constructor(type: SchemaGenErrorType, problem: string, details: SchemaGenErrorDetails = {}) {
    super(formatMessage(problem, details));
    this.type = type;
    this.details = details;
  }

  override get name(): string {
    return this.type;
  }

  /** The `{ type, message, details }` form. */
  toJSON(): { type: string; message: string; details: SchemaGenErrorDetails } {
    return { type: this.type, message: this.message, details: this.details };
  }
}

/** Every error found in one run (schema-gen reports them all, not just the first). */
export class SchemaGenErrors extends Error {
  /** Always `"SchemaGenErrors"`. */
  readonly type = 'SchemaGenErrors';
  /** The errors, in source order. */
  readonly errors: readonly SchemaGenError[];
  /** `{ errors: [{ type, message, details }] }`. */
  readonly details: { errors: ReturnType<SchemaGenError['toJSON']>[] };

  constructor(errors: readonly SchemaGenError[]) {
    super(
      `${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
    this.errors = errors;
    this.details = { errors: errors.map((e) => e.toJSON()) };
  }

  override get name(): string {
    return this.type;
  }
}

/** `file:line: problem (function f, parameter p, type T)` — the place first, so editors can jump to it. */
function formatMessage(problem: string, d: SchemaGenErrorDetails): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  const about = [
    d.function && `function ${d.function}`,
    d.parameter && `parameter ${d.parameter}`,
    d.typeText && `type ${d.typeText}`,
  ].filter(Boolean);
  return `${where}${problem}${about.length ? ` (${about.join(', ')})` : ''}`;
}
