/**
 * A MariaDB server of the test's own, on a free port and a temporary data directory, to break on
 * purpose: kill it (SIGKILL), freeze it (SIGSTOP / SIGCONT) and start it again on the same data and
 * port. Never the shared server on 3306.
 *
 * On the development machines `mariadb-install-db` takes about 0.5 s and a start about 0.2 s.
 * @example
 * let mariadb: PrivateMariadb;
 * before(async () => { mariadb = await startPrivateMariadb(); });
 * after(() => mariadb.destroy());
 * test('…', async () => { const url = await mariadb.createDatabase('outage'); … await mariadb.kill(); … await mariadb.start(); });
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/storage/database.js';

/** A running (or killed, or frozen) private MariaDB. */
export interface PrivateMariadb {
  readonly port: number;
  /** `mysql://root@127.0.0.1:<port>`: the server, no database. */
  readonly url: string;
  /** The data directory (kept across restarts, removed by {@link destroy}). */
  readonly dataDir: string;
  /** Creates a database and returns its `DATABASE_URL`. */
  createDatabase(name: string): Promise<string>;
  /** SIGKILL, like a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /**
   * SIGSTOP: the process stops but its connections stay up (the kernel still accepts and acknowledges).
   * Resolves once every thread of the server is stopped: a signal is delivered asynchronously, and a
   * thread still running could answer one more statement.
   */
  freeze(): Promise<void>;
  /** SIGCONT after {@link freeze}. */
  thaw(): void;
  /** Starts the server again on the same data directory and port; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Kills the server (frozen or not) and removes its data directory. Idempotent. */
  destroy(): Promise<void>;
}

/** The server binary and its data-directory tool: MariaDB names first, the MySQL-compatible aliases as a fallback. */
const SERVER = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((file) => fs.existsSync(file)) ?? 'mariadbd';
const INSTALL_DB =
  ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((file) => fs.existsSync(file)) ??
  'mariadb-install-db';
const READY_TIMEOUT_MS = 30_000;

/** Creates a data directory and starts a private MariaDB on a free port. */
export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-mariadb-'));
  const dataDir = path.join(baseDir, 'data');
  const user = os.userInfo().username;
  try {
    await promisify(execFile)(INSTALL_DB, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--user=${user}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  } catch (err) {
    fs.rmSync(baseDir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const url = `mysql://root@127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let destroyed = false;
  // A test that crashes before `after` runs must not leave a server behind.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null)
      throw new Error('the private MariaDB is already running');
    child = spawn(
      SERVER,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        `--socket=${path.join(baseDir, 'mysqld.sock')}`,
        '--bind-address=127.0.0.1',
        '--skip-networking=0',
        `--user=${user}`,
        `--pid-file=${path.join(baseDir, 'mysqld.pid')}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
        '--max-connections=200',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await ready(child);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await gone;
  };

  const signal = (name: NodeJS.Signals): void => {
    if (!child || child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the private MariaDB is not running (cannot send ${name})`);
    child.kill(name);
  };

  try {
    await start();
  } catch (err) {
    await kill();
    process.off('exit', killOnExit);
    fs.rmSync(baseDir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    url,
    dataDir,
    async createDatabase(name) {
      const admin = openDatabase(url);
      try {
        await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      } finally {
        await admin.destroy();
      }
      return `${url}/${name}`;
    },
    kill,
    async freeze() {
      signal('SIGSTOP');
      await allThreadsStopped(child!.pid!);
    },
    thaw: () => signal('SIGCONT'),
    start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await kill(); // SIGKILL ends a stopped process too
      process.off('exit', killOnExit);
      fs.rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the server logs that it accepts connections; rejects with its log if it exits or takes too long. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => finish(new Error(`the private MariaDB was not ready within ${READY_TIMEOUT_MS} ms:\n${log}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      log = (log + chunk.toString()).slice(-20_000);
      if (/ready for connections/.test(log)) finish();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`the private MariaDB exited (${code ?? signal}) before it was ready:\n${log}`));
    function finish(err?: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep reading its log (so the pipe never fills up), without keeping it.
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      if (err) reject(err);
      else resolve();
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once every thread of process `pid` is in the stopped state (`T` in /proc/<pid>/task/<tid>/stat). */
async function allThreadsStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tasks = fs.readdirSync(`/proc/${pid}/task`);
    const running = tasks.filter((tid) => {
      // The state follows the command name in parentheses, which may itself contain spaces.
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3).toUpperCase() !== 'T';
    });
    if (running.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the private MariaDB did not stop: ${running.length} thread(s) still running`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
