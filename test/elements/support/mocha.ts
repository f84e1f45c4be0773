/**
 * Mocha's `describe` and `it` (web-test-runner runs the browser tests with Mocha), imported
 * explicitly: installing `@types/mocha` would make them global for the whole project, whose other
 * tests use `node:test`.
 */
interface MochaGlobals {
  describe(title: string, body: () => void): void;
  it(title: string, body: () => void | Promise<unknown>): void;
}

const mocha = globalThis as unknown as MochaGlobals;

/** Mocha's `describe`. */
export const describe: MochaGlobals['describe'] = (title, body) => mocha.describe(title, body);
/** Mocha's `it`. */
export const it: MochaGlobals['it'] = (title, body) => mocha.it(title, body);
