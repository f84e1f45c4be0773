/**
 * The manifest (`turtle.schema.json`): the one contract between build time (`schema-gen/`, which
 * writes it) and run time (`server/`, which reads it). Neither side imports the other; both import
 * these types. Bump {@link MANIFEST_VERSION} on any change a reader must know about.
 */
import type { JSONSchema7 } from 'json-schema';

/** The manifest format version this code writes and reads. */
export const MANIFEST_VERSION = 1;

/** The default file name of the manifest. */
export const MANIFEST_FILE = 'turtle.schema.json';

/** `async`: run in the background (`registry.add`); `sync`: run in the request (`registry.addSync`). */
export type ExecutionMode = 'async' | 'sync';

/**
 * How the server calls the function with the validated inputs:
 * `positional` — `fn(inputs.a, inputs.b, …)` in `params.properties` order;
 * `object` — `fn(inputs)` (one object parameter, destructured or not).
 */
export type CallStyle = 'positional' | 'object';

/** Keywords turtle-shell adds to JSON Schema; validators must accept them as annotations. */
export const SchemaKeyword = {
  /** How a form renders the field, one of {@link Widget} (see `widgets.ts` for which fits which type). */
  widget: 'x-turtle-widget',
  /** A hint shown in an empty text or number box. */
  placeholder: 'x-turtle-placeholder',
  /**
   * Human labels for `enum` values, index for index (numeric enum members keep their names). A
   * nullable enum lists `null` last in `enum`, without a label: it is the form's empty choice.
   */
  enumLabels: 'x-turtle-enum-labels',
  /**
   * `true` on a top-level parameter marked `@filterable`: `GET /api/executions?function=f&input.<name>=`
   * finds runs by it, `turtle migrate` indexes it, `<turtle-executions>` shows a field for it. Only on
   * scalars (string, number, integer, boolean, enum, each maybe nullable) whose names are identifiers
   * of ASCII letters, digits and `_`.
   */
  filterable: 'x-turtle-filterable',
} as const;

/**
 * The widgets a field may ask for (`registry.add(fn, { widgets })` or `@widget`): `text`, `textarea`,
 * `password`, `email`, `url`, `date`, `time`, `color` for strings; `radio` for enums; `range` for
 * numbers with a minimum and a maximum; `hidden` for a scalar the person does not edit.
 */
export type Widget =
  | 'text'
  | 'textarea'
  | 'password'
  | 'email'
  | 'url'
  | 'date'
  | 'time'
  | 'color'
  | 'radio'
  | 'range'
  | 'hidden';

/**
 * One entry of the `widgets` option: a widget name, or the widget with texts. `help` replaces the
 * field's help text (its `@param` text); `placeholder` shows in an empty text or number box.
 */
export type WidgetOverride = Widget | { widget?: Widget; placeholder?: string; help?: string };

/**
 * A JSON Schema as found in the manifest (draft-07 plus the {@link SchemaKeyword} annotations).
 * `T | null` is T's schema with `"null"` last in `type` (see `nullable.ts`); a parameter that may be
 * left out (`x?: T`, `x: T | undefined`, or with a default) is not in its object's `required`.
 */
export type Schema = JSONSchema7 & {
  'x-turtle-widget'?: Widget;
  'x-turtle-placeholder'?: string;
  'x-turtle-enum-labels'?: string[];
  'x-turtle-filterable'?: true;
};

/** One registered function. */
export interface ManifestFunction {
  /** The registered name (the `name` option, or the function's own name). */
  name: string;
  /** The declared name of the function in its source (what `fn.name` is at run time). */
  functionName: string;
  mode: ExecutionMode;
  /** The `title` option, when given. */
  title?: string;
  /** The summary of the function's JSDoc. */
  description?: string;
  call: CallStyle;
  /** An object schema: one property per parameter (positional) or per field of the object parameter. */
  params: Schema & { type: 'object'; properties: Record<string, Schema>; required?: string[] };
  /** The return type, with `Promise` unwrapped; `{}` when it says nothing (`unknown`, `void`). */
  returns: Schema;
  /** `path:line` of the declaration, the path relative to the manifest's folder, `/`-separated. */
  source: string;
  /** The `schedules` option, when given: the function runs with these inputs at these times. */
  schedules?: ManifestSchedule[];
}

/** One entry of the `schedules` option of `registry.add`. */
export interface ManifestSchedule {
  /** A cron expression (5 fields, or 6 with seconds first). */
  cron: string;
  /** An IANA time zone; `UTC` when the option named none. */
  timezone: string;
  /** The inputs, valid against `params`. */
  input: Record<string, unknown>;
}

/** The whole manifest. */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  functions: Record<string, ManifestFunction>;
  /**
   * Every project source file the manifest was generated from (relative to the manifest's folder,
   * `/`-separated) with the SHA-256 (hex) of its content, so that the server can tell at start-up
   * that a source changed since the manifest was written.
   */
  sources: Record<string, string>;
}
