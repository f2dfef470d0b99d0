import { sql, type Kysely } from 'kysely';

/**
 * Every time the hub records comes from its clock (src/common/clock.ts), given with the row: a
 * column that filled itself from the server's `now()` dated a row on another clock than its
 * neighbours (a demo's raw payload received in December beside facts observed in November, a
 * test's consent granted on the day the suite ran). Without the defaults, a write that forgets
 * its time is refused instead of dated wrong.
 */
const CLOCK_COLUMNS: readonly (readonly [table: string, column: string])[] = [
  ['sync_run', 'started_at'],
  ['consent', 'granted_at'],
  ['raw_payload', 'received_at'],
  ['quarantined_record', 'quarantined_at'],
  ['sync_checkpoint', 'updated_at'],
  ['audit_event', 'at'],
  ['application', 'created_at'],
  ['application', 'updated_at'],
  ['application_assessment', 'assessed_at'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of CLOCK_COLUMNS) await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} DROP DEFAULT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // eslint-disable-next-line no-restricted-syntax -- restores the defaults this migration dropped
  for (const [table, column] of CLOCK_COLUMNS) await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} SET DEFAULT now()`.execute(db);
}
