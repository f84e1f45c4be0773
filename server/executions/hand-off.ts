/**
 * How the executions service hands a new background execution to whatever runs it (the scheduler):
 * a port injected into `createExecutions`, so the domain decides when to enqueue without knowing
 * the scheduler.
 */
import type { Execution } from '../../api/execution.js';
import type { Logger } from './executions-service.js';

/** Receives each background execution the service creates with `submit` or `rerun` (e.g. the scheduler). */
export interface EnqueuePort {
  enqueue(execution: Execution): unknown;
}

/**
 * Gives `execution` to `port` (nothing without one). A failure is logged, not thrown: the execution
 * is stored, and the scheduler's periodic sweep enqueues anything pending that it has not seen.
 */
export async function handOff(
  port: EnqueuePort | undefined,
  execution: Execution,
  logger: Logger | undefined,
): Promise<void> {
  if (!port) return;
  try {
    await port.enqueue(execution);
  } catch (err) {
    logger?.warn(
      { err, executionId: execution.id },
      'could not enqueue the execution; the sweep will pick it up',
    );
  }
}
