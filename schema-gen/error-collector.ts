/**
 * Collects every error of a run with its location, so that all of them are reported at once.
 */
import type ts from 'typescript';
import { SchemaGenError, type SchemaGenErrorDetails, type SchemaGenErrorType } from './errors.js';
import { locate } from './program.js';

/** Gathers located {@link SchemaGenError}s. */
export class ErrorCollector {
  readonly errors: SchemaGenError[] = [];

  /** @param baseDir the manifest's folder; error paths are relative to it */
  constructor(private readonly baseDir: string) {}

  /** Records an error at `node`, with what it is about. */
  report(
    type: SchemaGenErrorType,
    problem: string,
    node: ts.Node,
    details: Omit<SchemaGenErrorDetails, 'file' | 'line'> = {},
  ): void {
    this.errors.push(
      new SchemaGenError(type, problem, { ...locate(node, this.baseDir), ...withoutUndefined(details) }),
    );
  }

  /** The errors ordered by file and line (the order an editor lists them). */
  sorted(): SchemaGenError[] {
    return [...this.errors].sort(
      (a, b) =>
        (a.details.file ?? '').localeCompare(b.details.file ?? '') ||
        (a.details.line ?? 0) - (b.details.line ?? 0),
    );
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
