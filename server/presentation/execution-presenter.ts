/**
 * The one place where executions become answers. Every route that answers with an execution (create,
 * idempotent replay, get, list with `fields=full`, cancel, rerun) and every completion webhook passes
 * it through here, so what must not leave the server is removed once:
 * - secrets (inputs the function's schema marks `writeOnly`) are masked as {@link REDACTED} and listed
 *   in `redactedInputs`; the stored value stays, so a rerun uses it;
 * - an old run (another `functionVersion` than the current one) is masked by the schema it ran with
 *   too, when the route has it; without it, an input the current schema does not know is masked;
 * - tracebacks lose the server's absolute paths, or are hidden (`exposeTracebacks: false`).
 * Summaries carry neither inputs nor tracebacks and need nothing.
 */
import type { Manifest, ManifestFunction } from '../../manifest/manifest.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import { REDACTED, type Execution, type ExecutionPage } from '../../api/execution.js';
import { functionVersion, type VersionedEntry } from '../registry/function-version.js';
import { hasSecrets, maskSecrets, type MaskedInputs } from './secret-inputs.js';
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
  /**
   * `execution` as it may be answered (a copy; other fields, such as `events`, kept); `ranWith`:
   * the entry of the version it was made with, when the route read it.
   */
  execution<E extends Execution>(execution: E, ranWith?: VersionedEntry): PresentedExecution<E>;
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

  const currentVersions = new Map(
    Object.values(manifest.functions).map((fn) => [fn.name, functionVersion(fn)] as const),
  );

  const inputs = (execution: Execution, ranWith: VersionedEntry | undefined): MaskedInputs => {
    const current = Object.hasOwn(manifest.functions, execution.functionName)
      ? manifest.functions[execution.functionName]
      : undefined;
    const old =
      execution.functionVersion !== null &&
      execution.functionVersion !== currentVersions.get(execution.functionName);
    if (!current) return ranWith ? maskSecrets(ranWith.params, execution.input) : maskAll(execution.input);
    const masked = withSecrets.has(current.name)
      ? maskSecrets(current.params, execution.input)
      : { input: execution.input, redacted: [] };
    if (!old) return masked;
    if (ranWith) {
      // A secret then is a secret now, whatever the current schema says of that name.
      if (!hasSecrets(ranWith.params)) return masked;
      const both = maskSecrets(ranWith.params, masked.input);
      return { input: both.input, redacted: [...new Set([...masked.redacted, ...both.redacted])] };
    }
    // Inputs the current schema does not know (renamed or removed since): their schema is unknown here.
    const unknown = Object.keys(masked.input).filter((key) => !Object.hasOwn(current.params.properties, key));
    if (!unknown.length) return masked;
    const hidden = maskAll(Object.fromEntries(unknown.map((key) => [key, masked.input[key]])));
    return {
      input: { ...masked.input, ...hidden.input },
      redacted: [...masked.redacted, ...hidden.redacted],
    };
  };

  const execution = <E extends Execution>(shown: E, ranWith?: VersionedEntry): PresentedExecution<E> => {
    const { input, redacted } = inputs(shown, ranWith);
    const traceback =
      shown.traceback === null || !exposeTracebacks ? null : relativeTraceback(shown.traceback, root);
    return { ...shown, input, redactedInputs: redacted, traceback };
  };

  return {
    execution,
    page: (page) => ({ items: page.items.map((item) => execution(item)), next: page.next }),
  };
}

/** Every input masked: for a function whose schema is unknown, no input can be shown as safe. */
function maskAll(input: Record<string, unknown>): MaskedInputs {
  const keys = Object.keys(input);
  return {
    input: Object.fromEntries(keys.map((key) => [key, REDACTED])),
    redacted: keys.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  };
}

/** The manifest as bound: only registered functions, with their `title` / widget overrides. */
export function boundManifest(functions: Pick<BoundRegistry, 'manifest' | 'list'>): Manifest {
  return {
    ...functions.manifest,
    functions: Object.fromEntries(functions.list().map((fn) => [fn.name, fn.manifest])),
  };
}
