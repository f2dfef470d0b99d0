import { sql, type Kysely } from 'kysely';

/**
 * One alert per condition: while an enterprise's alert of a signal code is not resolved, what
 * later refreshes find of the same code (next month's drop, a second enforcement) is new
 * evidence in its history, and its severity can rise; a new alert comes only once it was
 * resolved and the condition is seen again. Each occurrence (the signal key: the month that
 * dropped, the case filed) is recorded once per enterprise, whatever alert holds it, so a
 * refresh run twice or resumed raises nothing twice and a resolved occurrence is not raised again.
 *
 * Alerts already there: each becomes its own first occurrence; of several unresolved ones of an
 * enterprise and code, the earliest stands, takes the others' occurrences and their highest
 * severity, and the others are resolved as merged into it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE alert_occurrence (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      alert_id bigint NOT NULL REFERENCES alert (id),
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      signal_key text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
      evidence jsonb NOT NULL,
      recommended_action text NOT NULL CHECK (recommended_action IN ('WATCH', 'REDUCE_LIMIT', 'FREEZE', 'RECALL')),
      detected_at timestamptz NOT NULL,
      sweep_id uuid REFERENCES monitoring_sweep (id),
      UNIQUE (enterprise_id, signal_key)
    )`.execute(db);
  await sql`CREATE INDEX alert_occurrence_alert ON alert_occurrence (alert_id, id)`.execute(db);
  await sql`
    INSERT INTO alert_occurrence (alert_id, enterprise_id, signal_key, severity, evidence, recommended_action, detected_at, sweep_id)
    SELECT id, enterprise_id, signal_key, severity, evidence, recommended_action, detected_at, sweep_id FROM alert ORDER BY id`.execute(db);

  // Merge the unresolved alerts of one enterprise and code into the earliest (statuses change last, so `merging` holds throughout).
  const merging = sql`(SELECT id, into_id FROM (
      SELECT id, first_value(id) OVER (PARTITION BY enterprise_id, code ORDER BY id) AS into_id FROM alert WHERE status <> 'RESOLVED') standing
    WHERE id <> into_id)`;
  await sql`UPDATE alert_occurrence o SET alert_id = m.into_id FROM ${merging} m WHERE o.alert_id = m.id`.execute(db);
  await sql`
    UPDATE alert a SET severity = top.severity, recommended_action = top.recommended_action, evidence = latest.evidence
    FROM (SELECT DISTINCT ON (alert_id) alert_id, severity, recommended_action FROM alert_occurrence
          ORDER BY alert_id, CASE severity WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 ELSE 1 END DESC,
            CASE recommended_action WHEN 'RECALL' THEN 4 WHEN 'FREEZE' THEN 3 WHEN 'REDUCE_LIMIT' THEN 2 ELSE 1 END DESC) top,
         (SELECT DISTINCT ON (alert_id) alert_id, evidence FROM alert_occurrence ORDER BY alert_id, id DESC) latest
    WHERE a.id IN (SELECT into_id FROM ${merging} m) AND top.alert_id = a.id AND latest.alert_id = a.id`.execute(db);
  await sql`
    UPDATE alert a SET status = 'RESOLVED', resolution_note = 'merged into alert ' || m.into_id || ': one alert per condition (migration 0024)'
    FROM ${merging} m WHERE a.id = m.id`.execute(db);

  await sql`ALTER TABLE alert DROP CONSTRAINT alert_enterprise_id_signal_key_key`.execute(db);
  await sql`CREATE UNIQUE INDEX alert_standing ON alert (enterprise_id, code) WHERE status <> 'RESOLVED'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX alert_standing`.execute(db);
  await sql`DROP TABLE alert_occurrence`.execute(db);
  await sql`ALTER TABLE alert ADD CONSTRAINT alert_enterprise_id_signal_key_key UNIQUE (enterprise_id, signal_key)`.execute(db);
}
