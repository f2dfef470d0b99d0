import { sql, type Kysely } from 'kysely';

/**
 * One person is one identity however the name is spelt. `canonical_user` is the hub's
 * canonical form of a user's name (src/auth/identity.ts, the same steps and character class):
 * NFKC, invisible characters removed, lower case, white space collapsed and trimmed. Every
 * column that names a user holds only canonical names, so the maker-checker constraints compare
 * people, not spellings: "Alice" can no longer check alice's work by a direct write either.
 * NOT VALID: rows written before are not rechecked (a store may hold older spellings).
 */
const USER_COLUMNS: readonly (readonly [table: string, column: string])[] = [
  ['application', 'created_by'],
  ['application', 'submitted_by'],
  ['application', 'decided_by'],
  ['application', 'assignee'],
  ['limit_action', 'proposed_by'],
  ['limit_action', 'decided_by'],
  ['alert', 'assignee'],
  ['consent', 'granted_by'],
  ['consent', 'revoked_by'],
  ['audit_event', 'actor'],
  ['monitoring_sweep', 'requested_by'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION canonical_user(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT btrim(regexp_replace(
        normalize(lower(regexp_replace(normalize(name, NFKC),
          '[\\u0001-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff]', '', 'g')), NFKC),
        '[\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+', ' ', 'g'))
    $$`.execute(db);
  for (const [table, column] of USER_COLUMNS) {
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.ref(`${column}_is_canonical`)} CHECK (${sql.ref(column)} = canonical_user(${sql.ref(column)})) NOT VALID`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of USER_COLUMNS) await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(`${column}_is_canonical`)}`.execute(db);
  await sql`DROP FUNCTION canonical_user(text)`.execute(db);
}
