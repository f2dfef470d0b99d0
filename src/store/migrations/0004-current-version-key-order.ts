import { sql, type Kysely } from 'kysely';

const FACT_TABLES = [
  'relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears',
  'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month',
];

/**
 * The current-version index leads with the external id. Led by the source, a sync's lookup
 * of "the current versions of these external ids" could be planned — on a table whose
 * statistics still say it is small, as they do while a first fill runs — as a scan of every
 * row of the source filtered by id, which made ingest quadratic; led by the external id, the
 * lookup is always a probe per id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of FACT_TABLES) {
    await sql.raw(`DROP INDEX ${table}_current_version`).execute(db);
    await sql.raw(`CREATE UNIQUE INDEX ${table}_current_version ON ${table} (external_id, source) WHERE superseded_at IS NULL`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of FACT_TABLES) {
    await sql.raw(`DROP INDEX ${table}_current_version`).execute(db);
    await sql.raw(`CREATE UNIQUE INDEX ${table}_current_version ON ${table} (source, external_id) WHERE superseded_at IS NULL`).execute(db);
  }
}
