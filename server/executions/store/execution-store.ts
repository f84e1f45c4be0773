/**
 * `ExecutionStore`: everything the lifecycle stores and reads, in its own terms. Every write is one
 * commit with its events, so an execution and its history never disagree; every change is
 * conditional on what the caller expects, so concurrent workers and cancels never overwrite each
 * other. `KnexExecutionStore` is the implementation; nothing else in the lifecycle knows SQL.
 */
import type { ExecutionEvent, ExecutionStatus, ExecutionSummary } from '../../../api/execution.js';
import type {
  EventWithUser,
  ExecutionPage,
  ListEventsOptions,
  ListOptions,
  PendingListOptions,
} from '../executions-service.js';
import type { EventDraft, ExecutionRecord, Expected, RecordPatch } from './execution-record.js';
import type { DeliveryDraft } from '../../webhooks/delivery-rows.js';

/** The answer of {@link ExecutionStore.insert}: the recorded events, or the execution that already holds the idempotency key. */
export type InsertResult = { events: ExecutionEvent[] } | { existing: ExecutionRecord };

/** A conditional change: the new status (a transition) or none (progress, a takeover), other fields, and the events recorded with it. */
export interface Change {
  functionName: string;
  status?: ExecutionStatus;
  patch?: RecordPatch;
  events: readonly EventDraft[];
  /** Completion webhooks of the end, stored in the same commit. Default none. */
  deliveries?: readonly DeliveryDraft[];
}

/** Which finished executions `prune` deletes: finished before `finishedBefore`, of `functionName` (or of any function but `exceptFunctions`). */
export interface PruneCriteria {
  finishedBefore: number;
  functionName?: string;
  exceptFunctions?: readonly string[];
}

export interface ExecutionStore {
  /**
   * Stores a new execution with its first events in one commit. When its `idempotencyKey` is already
   * taken, stores nothing and answers the execution that holds it.
   */
  insert(record: ExecutionRecord, events: readonly EventDraft[]): Promise<InsertResult>;
  /**
   * Sets `patch` (and `status`, when given, and `updatedAt` = `at`) and records `events`, in one
   * commit, only if the execution is still as `expected`. Resolves with the recorded events, or null
   * when it was not (nothing written).
   */
  change(id: string, expected: Expected, at: number, change: Change): Promise<ExecutionEvent[] | null>;
  /** Refreshes `workerId`'s claim on a pending execution; false when it holds none. */
  heartbeat(id: string, workerId: string, at: number): Promise<boolean>;
  /** Drops `workerId`'s claim on a pending execution, so another worker may take it at once; false when it held none. */
  release(id: string, workerId: string): Promise<boolean>;
  /** The execution, or undefined. */
  get(id: string): Promise<ExecutionRecord | undefined>;
  /** The events of one execution, in order. */
  eventsOf(id: string): Promise<ExecutionEvent[]>;
  /** Executions newest first, keyset-paged over (created, id). */
  list(options: ListOptions): Promise<ExecutionPage<ExecutionSummary>>;
  /** Due executions no live worker holds, oldest first. */
  pending(options: PendingListOptions): Promise<ExecutionRecord[]>;
  /** Events after an id, in id order. */
  events(options: ListEventsOptions): Promise<Array<ExecutionEvent | EventWithUser>>;
  /**
   * Deletes up to `limit` finished executions matching `criteria`, oldest first, with their events, in
   * one commit; never one that is pending, whatever its age. Resolves with how many were deleted.
   */
  prune(criteria: PruneCriteria, limit: number): Promise<number>;
  /** How many finished executions match `criteria` (what `prune` would delete, without a limit). */
  countPrunable(criteria: PruneCriteria): Promise<number>;
  /** The newest event id, 0 when there is none. */
  newestEventId(): Promise<number>;
}
