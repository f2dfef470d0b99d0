import { sql, type Kysely } from 'kysely';

/**
 * An enterprise the bank knows by USCC and name (an applicant, a watched name) before the
 * business registry has been synced for it: status UNVERIFIED until the registry says.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enterprise DROP CONSTRAINT enterprise_status_check`.execute(db);
  await sql`
    ALTER TABLE enterprise ADD CONSTRAINT enterprise_status_check
    CHECK (status IN ('UNVERIFIED', 'ACTIVE', 'ABNORMAL_OPERATIONS', 'LIQUIDATING', 'REVOKED', 'CANCELLED'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enterprise DROP CONSTRAINT enterprise_status_check`.execute(db);
  await sql`
    ALTER TABLE enterprise ADD CONSTRAINT enterprise_status_check
    CHECK (status IN ('ACTIVE', 'ABNORMAL_OPERATIONS', 'LIQUIDATING', 'REVOKED', 'CANCELLED'))`.execute(db);
}
