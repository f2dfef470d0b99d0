import { sql, type Kysely } from 'kysely';

/**
 * Where each user's last write ended in the primary's write-ahead log: a replica that has
 * replayed that far shows the user their own writes, one that has not must not serve their
 * reads (src/store/read-your-writes.ts). Written only when a replica is configured.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE write_position (
      subject text PRIMARY KEY,
      lsn pg_lsn NOT NULL,
      recorded_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE write_position`.execute(db);
}
