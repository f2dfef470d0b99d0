import { sql, type Kysely } from 'kysely';

/**
 * A quarantined record stays open until it lands: the engine resolves it LANDED when a later
 * run (a sync that fetched it again, or a replay of its kept payload) stores the record under
 * its key, and SUPERSEDED when a later run quarantines it again (the newer row is then the open
 * one). At most one row per record key is open, so the quarantine lists what is still missing.
 * Runs say whether they fetched (SYNC) or re-normalized kept payloads (REPLAY).
 *
 * Rows already there are resolved as the engine would have: SUPERSEDED by a later row of the
 * same key, LANDED where a fact of the source now holds the key, stored after the quarantine.
 */
const FACT_TABLES = ['registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'social_insurance_month'];
/** Tables whose synced enterprise is in another column: a relation's is the enterprise it is to, an invoice's its seller. */
const SYNCED_BY = [['relation', 'to_enterprise_id'], ['invoice', 'seller_enterprise_id']] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE quarantined_record
      ADD COLUMN resolution text CHECK (resolution IN ('LANDED', 'SUPERSEDED')),
      ADD COLUMN resolved_at timestamptz,
      ADD COLUMN resolved_by_sync_run_id bigint REFERENCES sync_run (id),
      ADD CHECK ((resolution IS NULL) = (resolved_at IS NULL))`.execute(db);
  await sql`ALTER TABLE sync_run ADD COLUMN kind text NOT NULL DEFAULT 'SYNC' CHECK (kind IN ('SYNC', 'REPLAY'))`.execute(db);

  await sql`
    UPDATE quarantined_record q SET resolution = 'SUPERSEDED', resolved_at = later.quarantined_at, resolved_by_sync_run_id = later.sync_run_id
    FROM (
      SELECT id, lead(id) OVER key AS next_id, lead(quarantined_at) OVER key AS quarantined_at, lead(sync_run_id) OVER key AS sync_run_id
      FROM quarantined_record WHERE external_id IS NOT NULL
      WINDOW key AS (PARTITION BY source, enterprise_id, external_id ORDER BY id)) later
    WHERE q.id = later.id AND later.next_id IS NOT NULL`.execute(db);
  const landed = [...FACT_TABLES.map((table) => [table, 'enterprise_id'] as const), ...SYNCED_BY].map(
    ([table, enterprise]) => sql`SELECT source, ${sql.ref(enterprise)} AS enterprise_id, external_id, observed_at, sync_run_id FROM ${sql.table(table)} WHERE superseded_at IS NULL`,
  );
  await sql`
    UPDATE quarantined_record q SET resolution = 'LANDED', resolved_at = fact.observed_at, resolved_by_sync_run_id = fact.sync_run_id
    FROM (${sql.join(landed, sql` UNION ALL `)}
          UNION ALL SELECT source, id, external_id, observed_at, sync_run_id FROM enterprise) fact
    WHERE q.resolution IS NULL AND fact.source = q.source AND fact.enterprise_id = q.enterprise_id AND fact.external_id = q.external_id
      AND fact.observed_at > q.quarantined_at`.execute(db);

  await sql`CREATE INDEX quarantined_record_open ON quarantined_record (source, enterprise_id, external_id) WHERE resolved_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX quarantined_record_open`.execute(db);
  await sql`ALTER TABLE sync_run DROP COLUMN kind`.execute(db);
  await sql`ALTER TABLE quarantined_record DROP COLUMN resolution, DROP COLUMN resolved_at, DROP COLUMN resolved_by_sync_run_id`.execute(db);
}
