/**
 * Widget overrides (`registry.add(fn, { widgets })`, `@widget`) as the manifest records them, and
 * which widget fits which type. Shared by `schema-gen/` (which refuses a misfit with file:line) and
 * `server/` (which applies the run-time `widgets` option over the manifest's).
 */
import { SchemaKeyword, type Schema, type Widget, type WidgetOverride } from './manifest.js';
import { typesOf } from './nullable.js';

/** Every widget name, in the order error messages list them. */
export const WIDGETS: readonly Widget[] = [
  'text',
  'textarea',
  'password',
  'email',
  'url',
  'date',
  'time',
  'color',
  'radio',
  'range',
  'hidden',
];

/** The keys of an object entry of the `widgets` option. */
export const WIDGET_OPTION_KEYS = ['widget', 'placeholder', 'help'] as const;

/** Whether `name` is one of {@link WIDGETS}. */
export function isWidget(name: string): name is Widget {
  return (WIDGETS as readonly string[]).includes(name);
}

/**
 * The `format` a widget implies: the value it produces is one, so the server checks it too (a
 * string that already has another `format` does not fit the widget).
 */
export const WIDGET_FORMATS: Partial<Record<Widget, string>> = {
  email: 'email',
  url: 'uri',
  date: 'date',
  time: 'time',
};

const STRING_WIDGETS: ReadonlySet<Widget> = new Set([
  'text',
  'textarea',
  'password',
  'email',
  'url',
  'date',
  'time',
  'color',
]);

/**
 * Applies one `widgets` entry to a field's schema, in place. Returns why it does not fit the type
 * (the schema is then left as it was), or undefined.
 *
 * @example
 * applyWidgetOverride({ type: 'integer', minimum: 0, maximum: 10 }, { widget: 'range', help: 'How loud' })
 * // → undefined; the schema gains 'x-turtle-widget': 'range' and description 'How loud'
 */
export function applyWidgetOverride(schema: Schema, override: WidgetOverride): string | undefined {
  const { widget, placeholder, help } = typeof override === 'string' ? { widget: override } : override;
  const problem =
    (widget === undefined ? undefined : widgetProblem(schema, widget)) ??
    (placeholder === undefined ? undefined : placeholderProblem(schema, widget));
  if (problem) return problem;
  if (widget !== undefined) {
    schema[SchemaKeyword.widget] = widget;
    const format = WIDGET_FORMATS[widget];
    if (format) schema.format = format;
    if (widget === 'password') schema.writeOnly = true;
    else if (STRING_WIDGETS.has(widget)) delete schema.writeOnly;
  }
  if (placeholder !== undefined) schema[SchemaKeyword.placeholder] = placeholder;
  if (help !== undefined) schema.description = help;
  return undefined;
}

/** Why `widget` cannot render a field of `schema`, or undefined when it can. */
export function widgetProblem(schema: Schema, widget: string): string | undefined {
  if (!isWidget(widget))
    return `unknown widget ${JSON.stringify(widget)}; expected one of ${WIDGETS.join(', ')}`;
  const types = typesOf(schema).filter((t) => t !== 'null');
  const shown = JSON.stringify(schema.type ?? 'unknown');
  const enumerated = Array.isArray(schema.enum);
  if (STRING_WIDGETS.has(widget)) {
    if (types.length !== 1 || types[0] !== 'string' || enumerated)
      return `widget ${widget} needs a string, the type is ${enumerated ? 'an enum' : shown}`;
    const format = WIDGET_FORMATS[widget];
    if (schema.format !== undefined && schema.format !== format)
      return `widget ${widget} does not fit a string of format ${JSON.stringify(schema.format)}`;
    return undefined;
  }
  if (widget === 'radio')
    return enumerated ? undefined : `widget radio needs an enum (a choice of values), the type is ${shown}`;
  if (widget === 'range') {
    if (types.length !== 1 || (types[0] !== 'number' && types[0] !== 'integer') || enumerated)
      return `widget range needs a number, the type is ${enumerated ? 'an enum' : shown}`;
    if (typeof schema.minimum !== 'number' || typeof schema.maximum !== 'number')
      return 'widget range needs a minimum and a maximum (@min and @max)';
    return undefined;
  }
  // hidden: one value the page keeps, never a structure.
  if (!enumerated && (types.length !== 1 || !['string', 'number', 'integer', 'boolean'].includes(types[0]!)))
    return `widget hidden needs a string, number, boolean or enum, the type is ${shown}`;
  return undefined;
}

function placeholderProblem(schema: Schema, widget: Widget | undefined): string | undefined {
  const types = typesOf(schema).filter((t) => t !== 'null');
  const boxed =
    types.length === 1 &&
    ['string', 'number', 'integer'].includes(types[0]!) &&
    !Array.isArray(schema.enum) &&
    !['date', 'time', 'color', 'range', 'hidden', 'radio'].includes(
      widget ?? schema[SchemaKeyword.widget] ?? '',
    );
  return boxed ? undefined : 'a placeholder needs a text or number box';
}
