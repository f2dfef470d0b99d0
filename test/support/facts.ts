import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';

/** The tables a sync lands facts in (raw payloads and quarantine keep what did not land too, so they are not among them). */
export const FACT_TABLES = ['person', 'relation', 'registry_change', 'abnormal_operation', 'tax_filing', 'tax_rating', 'tax_arrears', 'court_case', 'enforcement', 'utility_bill', 'invoice', 'social_insurance_month'];

/** Each fact table's current versions, as `source externalId` (persons by the hash of their ID number): what two stores are compared by. */
export async function currentFacts(store: Store): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const table of FACT_TABLES) {
    const query = table === 'person' ? sql`SELECT id_hash AS key FROM person` : sql`SELECT source || ' ' || external_id AS key FROM ${sql.table(table)} WHERE superseded_at IS NULL`;
    found[table] = (await sql<{ key: string }>`${query} ORDER BY 1`.execute(store.db)).rows.map((row) => row.key);
  }
  return found;
}
