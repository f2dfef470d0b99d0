import { sql, type Kysely } from 'kysely';

/**
 * An audit line may record one delivery to several users (a subscription event pushed to every
 * subscriber at once): `recipients` names them, so a user's trail finds it. Indexed for that filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_event ADD COLUMN recipients text[]`.execute(db);
  await sql`CREATE INDEX audit_event_recipients ON audit_event USING gin (recipients)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_event DROP COLUMN recipients`.execute(db);
}
