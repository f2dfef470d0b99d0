import { sql, type Kysely } from 'kysely';

/**
 * A monitoring sweep and its batches. A sweep is one job of the queue (its id is the job's);
 * it splits the loan book into batches, each a job of its own. A batch's row is written in the
 * transaction that raises its alerts, so a batch retried after it committed does nothing, and
 * the sweep is finished when every batch has a row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitoring_sweep (
      id uuid PRIMARY KEY,
      requested_by text NOT NULL,
      started_at timestamptz NOT NULL,
      enterprises integer NOT NULL CHECK (enterprises >= 0),
      batches integer NOT NULL CHECK (batches >= 0)
    )`.execute(db);
  await sql`
    CREATE TABLE monitoring_sweep_batch (
      sweep_id uuid NOT NULL REFERENCES monitoring_sweep (id),
      batch integer NOT NULL CHECK (batch >= 0),
      finished_at timestamptz NOT NULL,
      enterprises integer NOT NULL,
      failed_pulls integer NOT NULL,
      signals integer NOT NULL,
      raised integer NOT NULL,
      PRIMARY KEY (sweep_id, batch)
    )`.execute(db);
  // The model's grade at each refresh, for the next one to compare with.
  await sql`ALTER TABLE monitoring_refresh ADD COLUMN product text, ADD COLUMN grade text CHECK (grade IN ('A', 'B', 'C', 'D', 'E'))`.execute(db);
  // Which sweep raised an alert: how `refresh` lists what it raised. Null for alerts raised before sweeps were jobs.
  await sql`ALTER TABLE alert ADD COLUMN sweep_id uuid REFERENCES monitoring_sweep (id)`.execute(db);
  await sql`CREATE INDEX alert_sweep ON alert (sweep_id, id) WHERE sweep_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE alert DROP COLUMN sweep_id`.execute(db);
  await sql`ALTER TABLE monitoring_refresh DROP COLUMN product, DROP COLUMN grade`.execute(db);
  await sql`DROP TABLE monitoring_sweep_batch`.execute(db);
  await sql`DROP TABLE monitoring_sweep`.execute(db);
}
