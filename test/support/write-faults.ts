/**
 * Real write failures for tests: triggers on the executions table that make the database refuse
 * (with its own error) any write that moves an execution into one of the statuses the test names,
 * until it heals them. Reads, heartbeats and other moves keep working.
 */
import type { Knex } from 'knex';
import { databaseKind } from '../../server/storage/database.js';
import { EXECUTIONS_TABLE } from '../../server/storage/tables.js';

const FAULTS_TABLE = 'turtle_test_faults';

/** Faults a test switches on and off. */
export interface WriteFaults {
  /** From now on, writes into these statuses fail (inserts and updates). */
  fail(...statuses: string[]): Promise<void>;
  /** Writes succeed again. */
  heal(): Promise<void>;
}

/** Installs the triggers on a migrated database (once per database). */
export async function installWriteFaults(knex: Knex): Promise<WriteFaults> {
  await knex.schema.createTable(FAULTS_TABLE, (t) => {
    t.string('status', 16).notNullable();
  });
  if (databaseKind(knex) === 'postgres') {
    await knex.raw(`CREATE FUNCTION turtle_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ${FAULTS_TABLE} WHERE status = NEW.status) THEN
          RAISE EXCEPTION 'injected write fault' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await knex.raw(
      `CREATE TRIGGER turtle_test_fault BEFORE INSERT OR UPDATE ON ${EXECUTIONS_TABLE} FOR EACH ROW EXECUTE FUNCTION turtle_test_fault()`,
    );
  }
  for (const event of databaseKind(knex) === 'postgres' ? [] : ['INSERT', 'UPDATE']) {
    const name = `turtle_test_fault_${event.toLowerCase()}`;
    if (databaseKind(knex) === 'sqlite') {
      await knex.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${EXECUTIONS_TABLE}
        WHEN EXISTS (SELECT 1 FROM ${FAULTS_TABLE} WHERE status = NEW.status)
        BEGIN SELECT RAISE(ABORT, 'injected write fault'); END`);
    } else {
      await knex.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${EXECUTIONS_TABLE} FOR EACH ROW
        BEGIN
          IF EXISTS (SELECT 1 FROM ${FAULTS_TABLE} WHERE status = NEW.status) THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected write fault';
          END IF;
        END`);
    }
  }
  return {
    async fail(...statuses) {
      await knex(FAULTS_TABLE).insert(statuses.map((status) => ({ status })));
    },
    async heal() {
      await knex(FAULTS_TABLE).delete();
    },
  };
}
