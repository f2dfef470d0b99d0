import { sql, type Kysely } from 'kysely';

/**
 * A natural person's own authorization (credit reporting regulation art. 13: a person's credit
 * information needs their written consent for an agreed purpose), separate from the enterprise's
 * consent: the legal representative or a guarantor of an enterprise allows the pulls that bring
 * their own data, for the enterprise's credit. Kept by the salted hash of the ID number they
 * signed with (the clear number is never stored), so it can be recorded before any source has
 * named them. Never edited: granted, then expired or revoked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person_consent (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id_hash text NOT NULL,
      masked_id_number text NOT NULL,
      name text NOT NULL,
      enterprise_id bigint NOT NULL REFERENCES enterprise (id),
      role text NOT NULL CHECK (role IN ('LEGAL_REPRESENTATIVE', 'GUARANTOR')),
      scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
      purpose text NOT NULL,
      evidence_ref text NOT NULL,
      granted_by text NOT NULL CHECK (granted_by = canonical_user(granted_by)),
      granted_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_by text CHECK (revoked_by = canonical_user(revoked_by)),
      CHECK (expires_at > granted_at)
    )`.execute(db);
  await sql`CREATE INDEX person_consent_person ON person_consent (person_id_hash, enterprise_id, expires_at)`.execute(db);
  await sql`CREATE INDEX person_consent_enterprise ON person_consent (enterprise_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE person_consent`.execute(db);
}
