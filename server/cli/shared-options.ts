/**
 * The flags `turtle serve` and `turtle worker` both take, defined once so their names and help
 * stay the same in both commands.
 */
import { InvalidArgumentError, Option } from 'commander';

/** `--functions <module>`: the module that registers the functions. */
export function functionsOption(): Option {
  return new Option(
    '--functions <module>',
    'the module that registers the functions (TypeScript is fine) [TURTLE_FUNCTIONS]',
  );
}

/** `--manifest <file>`: the manifest written by `turtle schema`. */
export function manifestOption(): Option {
  return new Option(
    '--manifest <file>',
    'the manifest written by `turtle schema` [TURTLE_MANIFEST] (default turtle.schema.json)',
  );
}

/** `--concurrency <n>`, checked to be a whole number of at least 1; `whose` names the worker in the help. */
export function concurrencyOption(whose: string): Option {
  return new Option(
    '--concurrency <n>',
    `executions run at once by ${whose} [TURTLE_CONCURRENCY] (default 4)`,
  ).argParser(positiveInt);
}

/** `--redis-url <url>`: announce new jobs to every process's workers through Redis. */
export function redisUrlOption(): Option {
  return new Option(
    '--redis-url <url>',
    'notify the workers of every process of new jobs through this Redis server [TURTLE_REDIS_URL]',
  );
}

/** `--no-notify`: polling only. */
export function noNotifyOption(): Option {
  return new Option(
    '--no-notify',
    'send no notifications: workers find new jobs by polling only [TURTLE_NOTIFY=0]',
  );
}

/** `--webhook-urls <urls>`: server-wide completion webhooks. */
export function webhookUrlsOption(): Option {
  return new Option(
    '--webhook-urls <urls>',
    'POST every execution that ends done or errored to these URLs, comma-separated, signed with TURTLE_WEBHOOK_SECRET [TURTLE_WEBHOOK_URLS]',
  );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}
