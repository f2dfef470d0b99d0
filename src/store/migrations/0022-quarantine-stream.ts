import { sql, type Kysely } from 'kysely';

/**
 * The stream a quarantined record came in: what its connector's normalizer needs besides the
 * payload, so the record can be normalized again once the connector is fixed. Null for records
 * quarantined before it was kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE quarantined_record ADD COLUMN stream text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE quarantined_record DROP COLUMN stream`.execute(db);
}
