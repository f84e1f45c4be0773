/**
 * The registry of functions (the seed's `_Registry`): `registry.add(fn)` for background runs,
 * `registry.addSync(fn)` for runs in the request. Binding it to the manifest (see `bind`) gives the
 * server everything it needs to run a function by name.
 */
import type { ExecutionMode, Manifest } from '../../manifest/manifest.js';
import { RegistryError } from '../errors.js';
import { bindRegistry, type BindOptions, type BoundRegistry } from './bound-registry.js';
import type { AnyFunction, FunctionOptions, RegisteredFunction } from './function-options.js';
import { checkScheduleOptions } from './code-schedules.js';
import { notifyTargets } from './notify-option.js';
import { retentionMs } from './retention-period.js';

/** Registered functions by name. */
export class Registry {
  readonly #functions = new Map<string, RegisteredFunction>();

  /**
   * Registers `fn` to run in the background (advanced by workers). Registering the same function
   * again under the same name is a no-op; another function under a taken name throws `RegistryError`.
   * @returns `fn`, so a registration can wrap a declaration.
   */
  add<F extends AnyFunction, State = unknown>(fn: F, options: FunctionOptions<State> = {}): F {
    this.#register(fn, 'async', options as FunctionOptions);
    return fn;
  }

  /** Registers `fn` to run in the request, with a timeout (default 30 s). Same rules as {@link add}. */
  addSync<F extends AnyFunction, State = unknown>(fn: F, options: FunctionOptions<State> = {}): F {
    this.#register(fn, 'sync', options as FunctionOptions);
    return fn;
  }

  /** The function registered under `name`. */
  get(name: string): RegisteredFunction | undefined {
    return this.#functions.get(name);
  }

  /** Every registered function, in registration order. */
  list(): RegisteredFunction[] {
    return [...this.#functions.values()];
  }

  /** Forgets every registration (for tests and reloads). */
  clear(): void {
    this.#functions.clear();
  }

  /**
   * Checks the registrations against the manifest and compiles each function's input schema.
   * @throws ManifestMismatch when a function has no entry, another mode, or a source changed since
   *   the manifest was written.
   */
  bind(manifest: Manifest, options: BindOptions): BoundRegistry {
    return bindRegistry(this.list(), manifest, options);
  }

  #register(fn: AnyFunction, mode: ExecutionMode, options: FunctionOptions): void {
    if (typeof fn !== 'function')
      throw new RegistryError('registry.add() needs a function', { got: typeof fn });
    const name = options.name ?? fn.name;
    if (!name) throw new RegistryError('An anonymous function needs the `name` option', {});
    checkOptions(name, options);
    const existing = this.#functions.get(name);
    if (existing) {
      if (existing.fn === fn && existing.mode === mode) {
        existing.options = options;
        return;
      }
      throw new RegistryError(`Another function is already registered as ${JSON.stringify(name)}`, { name });
    }
    this.#functions.set(name, { name, fn, mode, options });
  }
}

function checkOptions(name: string, options: FunctionOptions): void {
  const nonNegative = (key: 'retries' | 'timeout' | 'pollEvery') => {
    const value = options[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new RegistryError(`${name}: option ${key} must be a number >= 0`, { name, option: key, value });
    }
  };
  nonNegative('retries');
  nonNegative('timeout');
  nonNegative('pollEvery');
  if (
    options.retention !== undefined &&
    (typeof options.retention !== 'string' || retentionMs(options.retention) === undefined)
  ) {
    throw new RegistryError(
      `${name}: option retention must be a period such as 90d, 12h or 30m, or forever`,
      { name, option: 'retention', value: options.retention },
    );
  }
  checkScheduleOptions(name, options.schedules);
  notifyTargets(name, options.notify);
  for (const hook of ['validate', 'poll', 'cancel', 'onError'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new RegistryError(`${name}: option ${hook} must be a function`, { name, option: hook });
    }
  }
}

/** A new, empty registry, for apps that want their own instead of the default {@link registry}. */
export function createRegistry(): Registry {
  return new Registry();
}

const KEY = Symbol.for('turtle-shell.registry');

/**
 * The default registry. One per process, even when a functions module and the CLI load this module
 * through two paths (source and `dist/`), because it lives on `globalThis`.
 */
export const registry: Registry =
  ((globalThis as Record<symbol, unknown>)[KEY] as Registry | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = createRegistry());
