import { sql } from 'kysely';
import type { Db } from './database.js';
import { parseRelations, relationsInto, type RelationWithHolder } from './relations.js';
import type { EnterpriseRow, EnterpriseStatus } from './schema.js';

/** An enterprise's record, current or (with `asOf`) as the hub knew it at that instant. */
export type EnterpriseAsOfRow = EnterpriseRow & { asOf?: Date };

export interface EnterpriseFilter {
  name?: string | null;
  regionCode?: string | null;
  industryCode?: string | null;
  status?: EnterpriseStatus | null;
}

export async function findEnterprisesByIds(db: Db, ids: readonly string[]): Promise<EnterpriseRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('enterprise').selectAll().where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).execute();
}

export async function findEnterprisesByUsccs(db: Db, usccs: readonly string[]): Promise<EnterpriseRow[]> {
  if (usccs.length === 0) return [];
  return db.selectFrom('enterprise').selectAll().where('uscc', '=', sql<string>`any(${sql.val(usccs)}::text[])`).execute();
}

/** Escapes LIKE's wildcards so a user's `%` or `_` matches itself. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function filtered(db: Db, filter: EnterpriseFilter) {
  let query = db.selectFrom('enterprise');
  if (filter.name) query = query.where('name', 'ilike', `%${likeLiteral(filter.name)}%`);
  if (filter.regionCode) query = query.where('regionCode', 'like', `${likeLiteral(filter.regionCode)}%`);
  if (filter.industryCode) query = query.where('industryCode', 'like', `${likeLiteral(filter.industryCode)}%`);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query;
}

/** One page in id order, starting after `afterId`; fetches one extra row to tell whether more follow. */
export async function pageEnterprises(
  db: Db,
  filter: EnterpriseFilter,
  first: number,
  afterId: string | undefined,
): Promise<{ rows: EnterpriseRow[]; hasNextPage: boolean }> {
  let query = filtered(db, filter).selectAll();
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  const rows = await query.orderBy('id').limit(first + 1).execute();
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export async function countEnterprises(db: Db, filter: EnterpriseFilter): Promise<number> {
  const { count } = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * One enterprise, by id or USCC, with its relations in force and their holders, in one
 * statement: the profile's hot path.
 */
export async function findEnterpriseWithRelations(
  db: Db,
  key: { id: string } | { uscc: string },
): Promise<{ enterprise: EnterpriseRow; relations: RelationWithHolder[] } | undefined> {
  const where = 'id' in key ? sql`e.id = ${key.id}::bigint` : sql`e.uscc = ${key.uscc}`;
  const result = await sql<EnterpriseRow & { profileRelations: Parameters<typeof parseRelations>[0] }>`
    SELECT e.*, ${relationsInto(sql`e.id`)} AS profile_relations FROM enterprise e WHERE ${where}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const { profileRelations, ...enterprise } = row;
  return { enterprise, relations: parseRelations(profileRelations) };
}

/**
 * The enterprise's record as the hub knew it at `asOf`: its identity, with the master data of
 * the version visible then; undefined when the hub had not observed it by then.
 */
export async function findEnterpriseAsOf(db: Db, key: { id: string } | { uscc: string }, asOf: Date): Promise<EnterpriseAsOfRow | undefined> {
  const where = 'id' in key ? sql`e.id = ${key.id}::bigint` : sql`e.uscc = ${key.uscc}`;
  const result = await sql<EnterpriseRow>`
    SELECT e.id, e.uscc, v.name, v.legal_form, v.industry_code, v.region_code, v.status, v.established_on,
           v.registered_capital_fen, v.registered_capital_currency, v.paid_in_capital_fen,
           v.source, v.external_id, v.sync_run_id, v.payload_hash, v.observed_at
    FROM enterprise e
    JOIN LATERAL (
      SELECT * FROM enterprise_version v
      WHERE v.enterprise_id = e.id AND v.observed_at <= ${asOf} AND (v.superseded_at IS NULL OR v.superseded_at > ${asOf})
      ORDER BY v.observed_at DESC, v.id DESC LIMIT 1) v ON true
    WHERE ${where}`.execute(db);
  const row = result.rows[0];
  return row && { ...row, asOf };
}
