import { sql, type Kysely } from 'kysely';

/** The indexes on invoice and relation that were partial on the current version. */
const INDEXES: [name: string, table: string, columns: string][] = [
  ['invoice_seller', 'invoice', 'seller_enterprise_id, issued_on'],
  ['invoice_buyer', 'invoice', 'buyer_enterprise_id, issued_on'],
  ['relation_to', 'relation', 'to_enterprise_id'],
  ['relation_from_person', 'relation', 'from_person_id'],
  ['relation_from_enterprise', 'relation', 'from_enterprise_id'],
];

/**
 * Point-in-time reads (features as of T) need superseded versions too, which indexes partial on
 * `superseded_at IS NULL` cannot serve: every invoice and relation read as of T would scan. One
 * full index serves the current reads as well, at the cost of the few superseded rows in it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await sql.raw(`DROP INDEX ${name}`).execute(db);
    await sql.raw(`CREATE INDEX ${name} ON ${table} (${columns})`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await sql.raw(`DROP INDEX ${name}`).execute(db);
    await sql.raw(`CREATE INDEX ${name} ON ${table} (${columns}) WHERE superseded_at IS NULL`).execute(db);
  }
}
