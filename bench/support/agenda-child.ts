/**
 * A baseline worker process of the Agenda benches: runs no-op `job`s once the parent says `start`,
 * reports completions (`{ done }`) over IPC, exits on `stop`.
 */
import type { Agenda } from 'agenda';

export async function runAgendaChild(agenda: Agenda, job: string): Promise<void> {
  let done = 0;
  let reported = 0;
  agenda.define(job, async () => {});
  agenda.on(`complete:${job}`, () => {
    done++;
  });
  const report = setInterval(() => {
    if (done !== reported) {
      reported = done;
      process.send!({ done });
    }
  }, 5);
  process.on('message', (message) => {
    if (message === 'start') void agenda.start();
    if (message === 'stop') {
      clearInterval(report);
      void agenda.stop().then(() => process.exit(0));
    }
  });
  await agenda.ready;
  process.send!('ready');
}
