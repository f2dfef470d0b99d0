import { sql, type Kysely } from 'kysely';

/**
 * A sync run is held by a process (`holder`), which shows it is alive by its heartbeat (real
 * time). A RUNNING run whose heartbeat is older than the lease has no live holder: it is marked
 * ABANDONED and its source resumes from the last checkpoint. Runs written before this have no
 * heartbeat, and count as abandoned once a reaper looks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sync_run ADD COLUMN holder text, ADD COLUMN heartbeat_at timestamptz`.execute(db);
  await sql`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`.execute(db);
  await sql`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'REFUSED', 'ABANDONED'))`.execute(db);
  await sql`CREATE INDEX sync_run_running ON sync_run (heartbeat_at) WHERE status = 'RUNNING'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX sync_run_running`.execute(db);
  await sql`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`.execute(db);
  await sql`ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'REFUSED'))`.execute(db);
  await sql`ALTER TABLE sync_run DROP COLUMN holder, DROP COLUMN heartbeat_at`.execute(db);
}
