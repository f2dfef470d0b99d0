import { sql, type Kysely } from 'kysely';

/**
 * Where each (source, enterprise) sync left off. Written in the same transaction as the page
 * it follows, so a run killed between pages resumes after the last page that was stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sync_checkpoint (
      source text NOT NULL,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      state jsonb NOT NULL,
      sync_run_id bigint NOT NULL REFERENCES sync_run (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, enterprise_id)
    )`.execute(db);
  await sql`CREATE INDEX consent_scopes ON consent USING gin (scopes)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX consent_scopes`.execute(db);
  await sql`DROP TABLE sync_checkpoint`.execute(db);
}
