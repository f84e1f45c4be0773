/** What the lifecycle modules share: the store, the event bus, the functions, and this process's runs. */
import type { BoundRegistry } from '../../registry/bound-registry.js';
import type { Logger } from '../executions-service.js';
import type { FinalWriteRetry } from '../final-write.js';
import type { RunAbort } from '../run-abort.js';
import type { ExecutionStore } from '../store/execution-store.js';
import type { UnwrittenEnds } from '../unwritten-ends.js';
import type { EventBus } from './event-bus.js';
import type { Move } from './move.js';
import type { ExecutionRecord } from '../store/execution-record.js';
import type { WebhookTargets } from '../../webhooks/webhook-targets.js';

/** The end of a run's step that could not be written yet, with the record it ends. */
export interface KeptEnd {
  record: ExecutionRecord;
  move: Move;
}

export interface Lifecycle {
  store: ExecutionStore;
  bus: EventBus;
  functions: BoundRegistry;
  logger: Logger | undefined;
  /** Executions running in this process, to abort them on cancel. */
  running: Map<string, RunAbort>;
  /** Ends of runs this process could not write yet (see `UnwrittenEnds`). */
  unwritten: UnwrittenEnds<KeptEnd>;
  /** Resolves once this process's function versions are stored (written once, tried again after a failure). */
  versionsRecorded: () => Promise<void>;
  /** Who hears of each end: its completion webhooks are stored with it. */
  webhooks: WebhookTargets;
  /** The worker id of runs in the request: this process. */
  syncWorkerId: string;
  limits: {
    maxInputBytes: number;
    maxOutputBytes: number;
    progressThrottleMs: number;
    finalWriteRetry: FinalWriteRetry;
  };
}
