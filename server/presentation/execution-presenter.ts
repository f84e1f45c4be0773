/**
 * The one place where executions become answers. Every route that answers with an execution (create,
 * idempotent replay, get, list with `fields=full`, cancel, rerun) and every completion webhook passes
 * it through here, so what must not leave the server is removed once:
 * - secrets (inputs the function's schema marks `writeOnly`) are masked as {@link REDACTED} and listed
 *   in `redactedInputs`; the stored value stays, so a rerun uses it;
 * - tracebacks lose the server's absolute paths, or are hidden (`exposeTracebacks: false`).
 * Summaries carry neither inputs nor tracebacks and need nothing.
 */
import type { Manifest, ManifestFunction } from '../../manifest/manifest.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import { REDACTED, type Execution, type ExecutionPage } from '../../api/execution.js';
import { hasSecrets, maskSecrets } from './secret-inputs.js';
import { relativeTraceback } from './traceback-paths.js';

/** Options of {@link createExecutionPresenter}. */
export interface ExecutionPresenterOptions {
  /** Send tracebacks (with relative paths); `false` answers `traceback: null`. Default true. */
  exposeTracebacks?: boolean;
  /** What traceback paths are made relative to. Default: the working directory (`process.cwd()`). */
  root?: string;
}

/** An execution as answered: its secrets masked and listed. */
export type PresentedExecution<E extends Execution = Execution> = E & { redactedInputs: string[] };

/** Builds answers from executions; see the module comment. */
export interface ExecutionPresenter {
  /** `execution` as it may be answered (a copy; other fields, such as `events`, kept). */
  execution<E extends Execution>(execution: E): PresentedExecution<E>;
  /** A page of whole executions as it may be answered. */
  page(page: ExecutionPage<Execution>): ExecutionPage<PresentedExecution>;
}

/** A presenter for the functions of the bound `manifest`. */
export function createExecutionPresenter(
  manifest: Manifest,
  options: ExecutionPresenterOptions = {},
): ExecutionPresenter {
  const exposeTracebacks = options.exposeTracebacks ?? true;
  const root = options.root ?? process.cwd();
  const withSecrets = new Map<string, ManifestFunction>();
  for (const fn of Object.values(manifest.functions)) if (hasSecrets(fn.params)) withSecrets.set(fn.name, fn);

  const inputs = (execution: Execution): { input: Record<string, unknown>; redacted: string[] } => {
    const secretive = withSecrets.get(execution.functionName);
    if (secretive) return maskSecrets(secretive.params, execution.input);
    if (Object.hasOwn(manifest.functions, execution.functionName))
      return { input: execution.input, redacted: [] };
    // A function no longer registered: its schema is unknown, so no input can be shown as safe.
    const keys = Object.keys(execution.input);
    return {
      input: Object.fromEntries(keys.map((key) => [key, REDACTED])),
      redacted: keys.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    };
  };

  const execution = <E extends Execution>(shown: E): PresentedExecution<E> => {
    const { input, redacted } = inputs(shown);
    const traceback =
      shown.traceback === null || !exposeTracebacks ? null : relativeTraceback(shown.traceback, root);
    return { ...shown, input, redactedInputs: redacted, traceback };
  };

  return {
    execution,
    page: (page) => ({ items: page.items.map(execution), next: page.next }),
  };
}

/** The manifest as bound: only registered functions, with their `title` / widget overrides. */
export function boundManifest(functions: Pick<BoundRegistry, 'manifest' | 'list'>): Manifest {
  return {
    ...functions.manifest,
    functions: Object.fromEntries(functions.list().map((fn) => [fn.name, fn.manifest])),
  };
}
