/** An empty MariaDB database for a bench, dropped first if a previous run left it. */
import { openDatabase } from '../../server/storage/database.js';

/** The MariaDB server benches use (`MARIADB_URL`, default mysql://root@127.0.0.1:3306). */
export const MARIADB_URL = (process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/** Creates database `name` afresh on {@link MARIADB_URL}; resolves with its URL. */
export async function freshMysql(name: string): Promise<string> {
  const admin = openDatabase(MARIADB_URL);
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [name]);
  } finally {
    await admin.destroy();
  }
  return `${MARIADB_URL}/${name}`;
}
