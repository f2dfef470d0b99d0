import { sql, type Kysely } from 'kysely';

/**
 * A raw payload is kept as the very text its hash was taken of, so anyone can check it:
 * sha256(payload::text) = payload_hash. jsonb re-encodes what it is given (keys reordered,
 * spaces added), which left the hash unverifiable from the store; json keeps the text, and
 * reading it in only validates it, where jsonb builds a binary form — raw payloads are the
 * ingest's largest insert. Payloads stored earlier keep jsonb's text form.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE raw_payload ALTER COLUMN payload TYPE json USING payload::json`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE raw_payload ALTER COLUMN payload TYPE jsonb USING payload::jsonb`.execute(db);
}
