import { sql, type Kysely } from 'kysely';

/**
 * The users the hub has seen: each verified token's user and the roles it carried, so work is
 * assigned only to people who exist and may do it. One row per user, kept by canonical name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE hub_user (
      name text PRIMARY KEY CHECK (name = canonical_user(name) AND name <> ''),
      roles text[] NOT NULL,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE hub_user`.execute(db);
}
