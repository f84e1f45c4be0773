/**
 * Checking `list({ functionName, input })`: each name must be a `@filterable` parameter of the
 * function, each value must fit its schema (text is read the way the schema says). Pure: the
 * registry in, typed values or a `ValidationError` out.
 */
import { readFilterValue, type FilterValue } from '../../manifest/filterable.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import type { BoundRegistry } from '../registry/bound-registry.js';

/**
 * The typed filter values of `input` for `functionName`, or undefined when `input` names nothing.
 * @throws ValidationError listing every problem: `/function` when it is missing, `/input/<name>` for
 * a name that is not a `@filterable` parameter of the function (or a function this server does not
 * know) and for a value that does not fit.
 */
export function checkInputFilter(
  functions: BoundRegistry,
  functionName: string | undefined,
  input: Readonly<Record<string, FilterValue>> | undefined,
): Record<string, FilterValue> | undefined {
  const entries = Object.entries(input ?? {});
  if (entries.length === 0) return undefined;
  if (functionName === undefined)
    throw new ValidationError([
      { path: '/function', message: 'is required to filter by inputs', keyword: 'required', params: {} },
    ]);
  const params = functions.get(functionName)?.manifest.params.properties ?? {};
  const issues: ValidationIssue[] = [];
  const typed: Record<string, FilterValue> = {};
  for (const [name, raw] of entries) {
    const path = `/input/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const schema = Object.hasOwn(params, name) ? params[name] : undefined;
    if (schema?.['x-turtle-filterable'] !== true) {
      issues.push({
        path,
        message: `is not a @filterable parameter of ${JSON.stringify(functionName)}`,
        keyword: 'filterable',
        params: { name },
      });
      continue;
    }
    const value = readFilterValue(schema, raw);
    if (typeof value === 'object') issues.push({ path, message: value.problem, keyword: 'type', params: {} });
    else typed[name] = value;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return typed;
}
