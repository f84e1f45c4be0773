/**
 * Why a `waiting` execution waits: `poll` (its `poll` hook is called next), `call` (the function is
 * called again, having no `poll`), or `retry` (an attempt failed and another one is due).
 */
export type WaitKind = 'poll' | 'call' | 'retry';
