import { sql, type Kysely } from 'kysely';

/**
 * Points users have spent on expensive operations in the current minute, shared by every hub
 * process on the store: rate-limiter-flexible's PostgreSQL table, in its own layout (key,
 * points, expire in epoch milliseconds), created here so that no process creates it at run time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rate_limit (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE rate_limit`.execute(db);
}
