/** What the HTTP layer needs of the schedules service (`createSchedules`). */
import type { Schedules } from '../scheduler/schedules-service.js';

/** The schedules service as the API uses it. */
export type SchedulesPort = Pick<Schedules, 'create' | 'list' | 'get' | 'pause' | 'resume' | 'remove'>;
