/**
 * Reads the options of `registry.add(fn, options)` that shape the manifest: `name`, `title`,
 * `widgets` and `schedules`. They must be literals, since nothing is executed. Every other option (hooks, retries,
 * timeout…) matters only at run time and is ignored here.
 */
import ts from 'typescript';
import type { WidgetOverride } from '../manifest/manifest.js';
import { isWidget, WIDGET_OPTION_KEYS, WIDGETS } from '../manifest/widgets.js';
import { DEFAULT_SCHEDULE_TIMEZONE, scheduleSpecProblems } from '../manifest/schedule-spec.js';
import { literalValue, type JsonValue } from './literal-values.js';

/** One entry of the `schedules` option as written (its inputs are checked once the parameters are known). */
export interface StaticSchedule {
  cron: string;
  /** `UTC` when not given. */
  timezone: string;
  input: Record<string, JsonValue>;
  /** Its place in the option (0-based). */
  index: number;
  /** The entry, blamed for inputs that do not fit. */
  node: ts.Node;
}

/** The statically known options of one registration. */
export interface StaticOptions {
  /** The `name` option. */
  name?: string;
  /** The `title` option. */
  title?: string;
  /** The `widgets` option: parameter name → widget, or widget with texts. */
  widgets: Record<string, WidgetOverride>;
  /** Where each `widgets` entry is written, blamed when it does not fit its parameter. */
  widgetNodes: Record<string, ts.Node>;
  /** The `schedules` option. */
  schedules: StaticSchedule[];
}

/** A problem with one option, to be turned into a located error by the caller. */
export interface OptionProblem {
  /** The error type to report. */
  kind: 'NonLiteralOption' | 'InvalidOption';
  /** What is wrong, for a person. */
  message: string;
  /** Where: the option's value (or the whole options argument). */
  node: ts.Node;
  /** The option's key (`name`, `title`, `widgets`), `options` for the whole object, `...` for a spread. */
  option: string;
}

/** Reads `options` (the second argument, if any); problems are collected, not thrown. */
export function readOptions(
  options: ts.Expression | undefined,
  checker: ts.TypeChecker,
): {
  options: StaticOptions;
  problems: OptionProblem[];
} {
  const result: StaticOptions = { widgets: {}, widgetNodes: {}, schedules: [] };
  const problems: OptionProblem[] = [];
  if (!options) return { options: result, problems };
  if (!ts.isObjectLiteralExpression(options)) {
    problems.push({
      kind: 'NonLiteralOption',
      option: 'options',
      node: options,
      message: `options must be an object literal so that name/title/widgets can be read without running the code, got \`${options.getText()}\``,
    });
    return { options: result, problems };
  }
  for (const prop of options.properties) {
    if (ts.isSpreadAssignment(prop)) {
      // A spread could carry a name; we cannot know without running it.
      problems.push({
        kind: 'NonLiteralOption',
        option: '...',
        node: prop,
        message: `a spread in the options cannot be read statically: \`${prop.getText()}\``,
      });
      continue;
    }
    const key = prop.name && propertyName(prop.name);
    if (key !== 'name' && key !== 'title' && key !== 'widgets' && key !== 'schedules') continue;
    const value = ts.isPropertyAssignment(prop) ? prop.initializer : undefined;
    if (key === 'schedules') {
      readSchedules(value ?? prop, checker, result, problems);
      continue;
    }
    if (key === 'widgets') {
      readWidgets(value ?? prop, result, problems);
      continue;
    }
    const text = value && stringLiteral(value);
    if (text === undefined) {
      problems.push({
        kind: 'NonLiteralOption',
        option: key,
        node: value ?? prop,
        message: `option ${key} must be a string literal, got \`${(value ?? prop).getText()}\``,
      });
    } else if (key === 'name' && text.trim() === '') {
      problems.push({
        kind: 'InvalidOption',
        option: key,
        node: value!,
        message: 'option name must not be empty',
      });
    } else {
      result[key] = text;
    }
  }
  return { options: result, problems };
}

function readWidgets(value: ts.Node, result: StaticOptions, problems: OptionProblem[]): void {
  if (!ts.isObjectLiteralExpression(value)) {
    problems.push({
      kind: 'NonLiteralOption',
      option: 'widgets',
      node: value,
      message: `option widgets must be an object literal, got \`${value.getText()}\``,
    });
    return;
  }
  for (const prop of value.properties) {
    const param = ts.isPropertyAssignment(prop) ? propertyName(prop.name) : undefined;
    const override = ts.isPropertyAssignment(prop) ? readOverride(prop.initializer, problems) : undefined;
    if (param === undefined || override === undefined) {
      problems.push({
        kind: 'NonLiteralOption',
        option: 'widgets',
        node: prop,
        message: `widgets entries must be \`param: 'widget'\` or \`param: { widget, placeholder, help }\` literals, got \`${prop.getText()}\``,
      });
    } else if (override !== null) {
      result.widgets[param] = override;
      result.widgetNodes[param] = prop;
    }
  }
}

/**
 * One entry's value: `'radio'` or `{ widget: 'range', placeholder: '…', help: '…' }`. Undefined when it
 * is not a literal; null when a problem was reported about it.
 */
function readOverride(node: ts.Expression, problems: OptionProblem[]): WidgetOverride | null | undefined {
  const unknownWidget = (name: string, at: ts.Node) => {
    problems.push({
      kind: 'InvalidOption',
      option: 'widgets',
      node: at,
      message: `unknown widget ${JSON.stringify(name)}; expected one of ${WIDGETS.join(', ')}`,
    });
    return null;
  };
  const text = stringLiteral(node);
  if (text !== undefined) return isWidget(text) ? text : unknownWidget(text, node.parent);
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const override: Exclude<WidgetOverride, string> = {};
  for (const prop of node.properties) {
    const key = ts.isPropertyAssignment(prop) ? propertyName(prop.name) : undefined;
    const value = ts.isPropertyAssignment(prop) ? stringLiteral(prop.initializer) : undefined;
    if (key === undefined || value === undefined) return undefined;
    if (!(WIDGET_OPTION_KEYS as readonly string[]).includes(key)) {
      problems.push({
        kind: 'InvalidOption',
        option: 'widgets',
        node: prop,
        message: `unknown widgets key ${JSON.stringify(key)}; expected ${WIDGET_OPTION_KEYS.join(', ')}`,
      });
      return null;
    }
    if (key === 'widget' && !isWidget(value)) return unknownWidget(value, prop);
    (override as Record<string, string>)[key] = value;
  }
  return override;
}

function readSchedules(
  value: ts.Node,
  checker: ts.TypeChecker,
  result: StaticOptions,
  problems: OptionProblem[],
): void {
  const nonLiteral = (node: ts.Node, what: string) =>
    problems.push({
      kind: 'NonLiteralOption',
      option: 'schedules',
      node,
      message: `${what}, got \`${node.getText()}\``,
    });
  if (!ts.isArrayLiteralExpression(value)) {
    nonLiteral(value, 'option schedules must be an array literal of { cron, timezone?, input? }');
    return;
  }
  value.elements.forEach((entry, index) => {
    if (!ts.isObjectLiteralExpression(entry)) {
      nonLiteral(entry, `schedules[${index}] must be an object literal { cron, timezone?, input? }`);
      return;
    }
    const fields: Record<string, ts.Expression> = {};
    for (const prop of entry.properties) {
      const name = ts.isPropertyAssignment(prop) ? propertyName(prop.name) : undefined;
      if (name === undefined || !ts.isPropertyAssignment(prop)) {
        nonLiteral(prop, `schedules[${index}] entries must be \`cron\`, \`timezone\` or \`input\` literals`);
        return;
      }
      fields[name] = prop.initializer;
    }
    const cron = fields.cron && stringLiteral(fields.cron);
    const timezone = fields.timezone ? stringLiteral(fields.timezone) : DEFAULT_SCHEDULE_TIMEZONE;
    const input = fields.input ? literalValue(fields.input, checker) : {};
    if (cron === undefined)
      return nonLiteral(fields.cron ?? entry, `schedules[${index}].cron must be a string literal`);
    if (timezone === undefined)
      return nonLiteral(fields.timezone!, `schedules[${index}].timezone must be a string literal`);
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      return nonLiteral(fields.input!, `schedules[${index}].input must be an object literal of JSON values`);
    const unknown = Object.keys(fields).filter((k) => !['cron', 'timezone', 'input'].includes(k));
    const spec = scheduleSpecProblems(cron, timezone).map((p) => p.message);
    if (unknown.length) spec.push(`unknown field(s) ${unknown.join(', ')}; expected cron, timezone, input`);
    if (spec.length) {
      problems.push({
        kind: 'InvalidOption',
        option: 'schedules',
        node: entry,
        message: `schedules[${index}]: ${spec.join('; ')}`,
      });
      return;
    }
    result.schedules.push({ cron, timezone, input, index, node: entry });
  });
}

/** The text of a string literal (or a template without substitutions). */
function stringLiteral(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)
    ? name.text
    : undefined;
}
