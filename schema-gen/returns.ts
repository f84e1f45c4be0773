/**
 * The `returns` schema of a function: its return type with `Promise` unwrapped and `Pending` left
 * out, `{}` when it says nothing (`void`, `unknown`, `any`, only `Pending`), and the `@returns` text
 * as description.
 */
import ts from 'typescript';
import type { Schema } from '../manifest/manifest.js';
import type { ErrorCollector } from './error-collector.js';
import { TypeProblem, type TypeSchemaMapper } from './type-schema-mapper.js';
import { isPendingType } from './pending-type.js';

/** Maps the return type of `fn`; reports problems and gives `undefined` then. */
export function buildReturns(
  fn: ts.SignatureDeclaration,
  description: string | undefined,
  ctx: { checker: ts.TypeChecker; mapper: TypeSchemaMapper; errors: ErrorCollector; functionName: string },
): Schema | undefined {
  const signature = ctx.checker.getSignatureFromDeclaration(fn);
  const declared = signature ? ctx.checker.getReturnTypeOfSignature(signature) : ctx.checker.getAnyType();
  const type = ctx.checker.getAwaitedType(declared) ?? declared;
  try {
    const schema: Schema = isPendingType(type) ? {} : ctx.mapper.map(type, 'returns');
    if (description) schema.description = description;
    return schema;
  } catch (error) {
    if (!(error instanceof TypeProblem)) throw error;
    ctx.errors.report(error.kind, `return type: ${error.message}`, fn.type ?? fn, {
      function: ctx.functionName,
      parameter: ['(return)', ...error.path].join('.'),
      typeText: error.typeText,
    });
    return undefined;
  }
}
