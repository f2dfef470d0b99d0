import { sql, type Kysely } from 'kysely';

/**
 * The demo's clock, shared by every process on the store: the month its story calls today
 * (DEMO_CLOCK), how many months from it the demo stands (negative while its prehistory is
 * being played), and when the demo's book was prepared. One row, or none outside the demo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE demo_clock (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      starts_on date NOT NULL CHECK (extract(day FROM starts_on) = 1),
      months_advanced integer NOT NULL,
      advanced_at timestamptz,
      prepared_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE demo_clock`.execute(db);
}
