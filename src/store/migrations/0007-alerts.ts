import { sql, type Kysely } from 'kysely';

/**
 * Post-loan monitoring: what each enterprise's last refresh saw, and the alerts it raised. An
 * alert is unique per enterprise and signal key (the occurrence: the month that dropped, the case
 * filed), so a refresh run twice, or resumed after a crash, raises it once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE monitoring_refresh (
      enterprise_id bigint PRIMARY KEY REFERENCES enterprise (id),
      refreshed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE alert (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      code text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
      signal_key text NOT NULL,
      evidence jsonb NOT NULL,
      recommended_action text NOT NULL CHECK (recommended_action IN ('WATCH', 'REDUCE_LIMIT', 'FREEZE', 'RECALL')),
      detected_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'ESCALATED')),
      assignee text,
      resolution_note text,
      updated_at timestamptz NOT NULL,
      UNIQUE (enterprise_id, signal_key),
      CONSTRAINT resolved_has_note CHECK (status <> 'RESOLVED' OR resolution_note IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX alert_status ON alert (status, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE alert`.execute(db);
  await sql`DROP TABLE monitoring_refresh`.execute(db);
}
