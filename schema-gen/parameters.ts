/**
 * Builds a function's `params` schema and call style from its parameter list:
 * - `positional`: one property per parameter, in declaration order;
 * - `object`: a single parameter that is an object (an interface, a type literal, or destructured
 *   `{ a, b = 1 }`), whose fields become the properties and which the server passes whole.
 * Optional parameters and those with a default are not required; literal defaults become `default`.
 * Inputs are closed (`closed-objects.ts`): an unknown key is refused.
 */
import ts from 'typescript';
import { FILTERABLE_NAME, filterKindOf } from '../manifest/filterable.js';
import {
  SchemaKeyword,
  type CallStyle,
  type ManifestFunction,
  type Schema,
  type WidgetOverride,
} from '../manifest/manifest.js';
import type { ErrorCollector } from './error-collector.js';
import { closeObjects } from './closed-objects.js';
import { fieldKindOf } from './field-type-symbols.js';
import { readOwnDescription, readOwnTags, type FoundTag, type FunctionDocs } from './jsdoc.js';
import { literalValue } from './literal-values.js';
import { applySchemaTag, applyWidget } from './schema-tags.js';
import { TypeProblem, type TypeSchemaMapper } from './type-schema-mapper.js';

/** What the parameter mapping needs from its caller. */
export interface ParameterContext {
  checker: ts.TypeChecker;
  mapper: TypeSchemaMapper;
  errors: ErrorCollector;
  docs: FunctionDocs;
  /** The `widgets` option of the registration. */
  widgets: Record<string, WidgetOverride>;
  /** Where each `widgets` entry is written. */
  widgetNodes: Record<string, ts.Node>;
  /** The function's declared name, for error messages. */
  functionName: string;
  /** The registration call, blamed for bad `widgets` entries. */
  call: ts.Node;
}

/** The `call` and `params` of one function; `undefined` params when errors were reported. */
export function buildParams(
  fn: ts.SignatureDeclaration,
  ctx: ParameterContext,
): { call: CallStyle; params: ManifestFunction['params'] | undefined } {
  // A `this` parameter only types the receiver; callers never pass it.
  const parameters = fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
  const only = parameters.length === 1 ? parameters[0]! : undefined;
  if (only && isObjectParameter(only, ctx.checker))
    return { call: 'object', params: objectParams(only, ctx) };
  return { call: 'positional', params: positionalParams(parameters, ctx) };
}

function positionalParams(
  parameters: readonly ts.ParameterDeclaration[],
  ctx: ParameterContext,
): ManifestFunction['params'] | undefined {
  const params: ManifestFunction['params'] = { type: 'object', properties: {}, additionalProperties: false };
  const required: string[] = [];
  const nodes = new Map<string, ts.Node>();
  let ok = true;
  for (const param of parameters) {
    if (!ts.isIdentifier(param.name) || param.dotDotDotToken) {
      ctx.errors.report(
        'UnsupportedType',
        param.dotDotDotToken
          ? 'rest parameters cannot be made into a form'
          : 'a destructured parameter must be the only parameter',
        param,
        { function: ctx.functionName, parameter: param.name.getText(), typeText: param.type?.getText() },
      );
      ok = false;
      continue;
    }
    const name = param.name.text;
    const schema = mapParameterType(param, name, ctx);
    if (!schema) {
      ok = false;
      continue;
    }
    const description = ctx.docs.params.get(name) ?? readOwnDescription(param);
    if (description) schema.description = description;
    if (param.initializer) {
      const value = literalValue(param.initializer, ctx.checker);
      if (value !== undefined) schema.default = value;
    }
    if (
      !applyTags(
        schema,
        [...readOwnTags(param), ...(ctx.docs.tags.get(name) ?? [])],
        name,
        typeText(param, ctx.checker),
        ctx,
      )
    )
      ok = false;
    params.properties[name] = schema;
    nodes.set(name, param);
    if (!param.questionToken && !param.initializer && !acceptsUndefined(param, ctx.checker))
      required.push(name);
  }
  if (!checkHiddenTags(params.properties, new Set(required), parameters, ctx)) ok = false;
  if (!applyWidgetOptions(params.properties, new Set(required), ctx)) ok = false;
  if (!checkFilterable(params.properties, (name) => nodes.get(name) ?? ctx.call, ctx)) ok = false;
  if (required.length) params.required = required;
  return ok ? params : undefined;
}

function objectParams(
  param: ts.ParameterDeclaration,
  ctx: ParameterContext,
): ManifestFunction['params'] | undefined {
  const label = ts.isIdentifier(param.name) ? param.name.text : param.name.getText();
  const schema = mapParameterType(param, label, ctx);
  if (!schema) return undefined;
  if (schema.type !== 'object' || !schema.properties) {
    ctx.errors.report(
      'UnsupportedType',
      'an object parameter must be an interface or type literal with named fields',
      param,
      { function: ctx.functionName, parameter: label, typeText: typeText(param, ctx.checker) },
    );
    return undefined;
  }
  const properties = schema.properties as Record<string, Schema>;
  const required = new Set(schema.required ?? []);
  // Defaults written in the destructuring pattern: `({ a, b = 1 }: Params)`.
  if (ts.isObjectBindingPattern(param.name)) {
    for (const element of param.name.elements) {
      if (!element.initializer || element.dotDotDotToken) continue;
      const key = (element.propertyName ?? element.name).getText();
      const property = properties[key];
      if (!property) continue;
      required.delete(key);
      const value = literalValue(element.initializer, ctx.checker);
      if (value !== undefined) property.default = value;
    }
  }
  let ok = true;
  for (const [key, property] of Object.entries(properties)) {
    // `@param p.field text` (or `@param field` when destructured: there is no parameter name to prefix).
    const docKeys = [`${label}.${key}`, ...(ts.isIdentifier(param.name) ? [] : [key])];
    const description = docKeys.map((k) => ctx.docs.params.get(k)).find(Boolean);
    if (description) property.description = description;
    const tags = docKeys.flatMap((k) => ctx.docs.tags.get(k) ?? []);
    if (!applyTags(property, tags, `${label}.${key}`, undefined, ctx)) ok = false;
  }
  if (!checkHiddenTags(properties, required, [param], ctx)) ok = false;
  if (!applyWidgetOptions(properties, required, ctx)) ok = false;
  if (!checkFilterable(properties, () => param, ctx)) ok = false;
  const params: ManifestFunction['params'] = { type: 'object', properties, additionalProperties: false };
  // Declaration order, like the properties (the library sorts them).
  const ordered = Object.keys(properties).filter((k) => required.has(k));
  if (ordered.length) params.required = ordered;
  // The object type's own JSDoc describes the whole input (the mapper keeps only fields' own docs).
  const description = typeDescription(param, ctx.checker);
  if (description) params.description = description;
  return ok ? params : undefined;
}

/** Maps a parameter's declared type (without the `undefined` that `?` adds); reports problems. */
function mapParameterType(
  param: ts.ParameterDeclaration,
  label: string,
  ctx: ParameterContext,
): Schema | undefined {
  const { checker } = ctx;
  let type = param.type ? checker.getTypeFromTypeNode(param.type) : checker.getTypeAtLocation(param);
  // `x?: T` and `T | undefined` say "may be left out", not what T is. getNonNullableType would also drop
  // a `null` the type admits; with one, the mapper skips the `undefined` member itself.
  const members = type.isUnion() ? type.types : [];
  if (
    members.some((t) => t.flags & ts.TypeFlags.Undefined) &&
    !members.some((t) => t.flags & ts.TypeFlags.Null)
  )
    type = checker.getNonNullableType(type);
  const symbol =
    param.type && ts.isTypeReferenceNode(param.type)
      ? checker.getSymbolAtLocation(param.type.typeName)
      : undefined;
  try {
    return closeObjects(ctx.mapper.map(type, 'params', symbol && !fieldKindOf(type) ? symbol : undefined));
  } catch (error) {
    if (!(error instanceof TypeProblem)) throw error;
    ctx.errors.report(error.kind, error.message, param, {
      function: ctx.functionName,
      parameter: [label, ...error.path].join('.'),
      typeText: error.path.length ? error.typeText : typeText(param, checker),
    });
    return undefined;
  }
}

function applyTags(
  schema: Schema,
  tags: FoundTag[],
  parameter: string,
  typeText: string | undefined,
  ctx: ParameterContext,
): boolean {
  let ok = true;
  // A widget is checked against the finished schema (`@widget range` needs the `@min`/`@max` written after it).
  const ordered = [...tags.filter((t) => t.tag !== 'widget'), ...tags.filter((t) => t.tag === 'widget')];
  for (const { tag, value, node } of ordered) {
    const problem = applySchemaTag(schema, tag, value);
    if (problem) {
      ctx.errors.report('InvalidTag', problem, node, { function: ctx.functionName, parameter, typeText });
      ok = false;
    }
  }
  return ok;
}

function applyWidgetOptions(
  properties: Record<string, Schema>,
  required: ReadonlySet<string>,
  ctx: ParameterContext,
): boolean {
  let ok = true;
  for (const [name, widget] of Object.entries(ctx.widgets)) {
    const property = properties[name];
    const problem = property
      ? (applyWidget(property, widget) ?? hiddenProblem(property, required.has(name)))
      : `option widgets names ${JSON.stringify(name)}, which is not a parameter; parameters: ${Object.keys(properties).join(', ') || '(none)'}`;
    if (problem) {
      ctx.errors.report('InvalidOption', problem, ctx.widgetNodes[name] ?? ctx.call, {
        function: ctx.functionName,
        parameter: name,
      });
      ok = false;
    }
  }
  return ok;
}

/** `@widget hidden` on a field that must be filled in (the `widgets` option is checked where it is read). */
function checkHiddenTags(
  properties: Record<string, Schema>,
  required: ReadonlySet<string>,
  parameters: readonly ts.ParameterDeclaration[],
  ctx: ParameterContext,
): boolean {
  let ok = true;
  for (const [name, property] of Object.entries(properties)) {
    const problem = name in ctx.widgets ? undefined : hiddenProblem(property, required.has(name));
    if (!problem) continue;
    const node =
      parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name) ?? parameters[0] ?? ctx.call;
    ctx.errors.report('InvalidTag', problem, node, { function: ctx.functionName, parameter: name });
    ok = false;
  }
  return ok;
}

/** A hidden field cannot be filled in: it needs a value to send, or to be one the function may go without. */
function hiddenProblem(property: Schema, required: boolean): string | undefined {
  if (property['x-turtle-widget'] !== 'hidden' || !required || property.default !== undefined)
    return undefined;
  return 'widget hidden needs a default (or an optional parameter): nobody can fill it in';
}

/**
 * `@filterable` once every tag and option is applied: still a scalar that is no secret (a later
 * `@widget password` may have made it one), named so that it can name an index, and never on a
 * nested field (runs are found by their top-level inputs).
 */
function checkFilterable(
  properties: Record<string, Schema>,
  nodeOf: (name: string) => ts.Node,
  ctx: ParameterContext,
): boolean {
  let ok = true;
  const report = (problem: string, name: string) => {
    ctx.errors.report('InvalidTag', problem, nodeOf(name), { function: ctx.functionName, parameter: name });
    ok = false;
  };
  for (const [name, schema] of Object.entries(properties)) {
    const nested = nestedFilterable(schema, name, true);
    if (nested) report(`@filterable is only for top-level parameters, not ${nested}`, name);
    if (schema[SchemaKeyword.filterable] !== true) continue;
    const kind = filterKindOf(schema);
    if (typeof kind === 'object') report(kind.problem, name);
    else if (!FILTERABLE_NAME.test(name))
      report('@filterable needs a name of ASCII letters, digits and _ (not starting with a digit)', name);
  }
  return ok;
}

/** The dotted path of a field below `schema` marked filterable, if any. */
function nestedFilterable(schema: Schema, path: string, top: boolean): string | undefined {
  if (!top && schema[SchemaKeyword.filterable] === true) return path;
  const children: Array<[string, unknown]> = [
    ...Object.entries(schema.properties ?? {}),
    ...(typeof schema.additionalProperties === 'object'
      ? ([['*', schema.additionalProperties]] as Array<[string, unknown]>)
      : []),
    ...(schema.items ? ([['[]', schema.items]] as Array<[string, unknown]>) : []),
    ...(schema.anyOf ?? []).map((s): [string, unknown] => ['', s]),
  ];
  for (const [key, child] of children) {
    if (typeof child !== 'object' || child === null || Array.isArray(child)) continue;
    const found = nestedFilterable(child, key === '' ? path : `${path}.${key}`, false);
    if (found) return found;
  }
  return undefined;
}

/** A lone parameter that is destructured, or whose type is an object with named fields (not an array, Date or field type). */
function isObjectParameter(param: ts.ParameterDeclaration, checker: ts.TypeChecker): boolean {
  if (ts.isObjectBindingPattern(param.name)) return true;
  if (!ts.isIdentifier(param.name) || param.dotDotDotToken) return false;
  const type = checker.getNonNullableType(
    param.type ? checker.getTypeFromTypeNode(param.type) : checker.getTypeAtLocation(param),
  );
  if (!(type.flags & ts.TypeFlags.Object) || fieldKindOf(type)) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type) || type.getSymbol()?.getName() === 'Date')
    return false;
  if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length) return false;
  return checker.getPropertiesOfType(type).length > 0;
}

/** The JSDoc of a parameter's declared type (its alias or interface), `undefined` when it has none. */
function typeDescription(param: ts.ParameterDeclaration, checker: ts.TypeChecker): string | undefined {
  const type = param.type ? checker.getTypeFromTypeNode(param.type) : checker.getTypeAtLocation(param);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return (symbol && ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()) || undefined;
}

/** `x: string | undefined` may be left out even without `?`. */
function acceptsUndefined(param: ts.ParameterDeclaration, checker: ts.TypeChecker): boolean {
  if (!param.type) return false;
  const type = checker.getTypeFromTypeNode(param.type);
  return (type.isUnion() ? type.types : [type]).some(
    (t) => t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown),
  );
}

function typeText(param: ts.ParameterDeclaration, checker: ts.TypeChecker): string {
  return param.type?.getText() ?? checker.typeToString(checker.getTypeAtLocation(param));
}
