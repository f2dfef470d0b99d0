import { sql, type Kysely } from 'kysely';

/**
 * The demo's clock, shared by every process on the store: the story it belongs to (DEMO_CLOCK,
 * the seed, the number of enterprises), how many months from DEMO_CLOCK the upstreams stand
 * (negative while the prehistory is played), the hub's today at a real instant, and when the
 * demo's book was prepared. One row, or none outside the demo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE demo_clock (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      starts_on date NOT NULL CHECK (extract(day FROM starts_on) = 1),
      seed bigint NOT NULL,
      enterprises integer NOT NULL,
      months_advanced integer NOT NULL,
      today_anchor timestamptz NOT NULL,
      anchored_at timestamptz NOT NULL,
      prepared_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE demo_clock`.execute(db);
}
