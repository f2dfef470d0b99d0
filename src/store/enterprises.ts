import { sql } from 'kysely';
import type { Db } from './database.js';
import { parseRelations, relationsInto, type RelationWithHolder } from './relations.js';
import type { EnterpriseRow, EnterpriseStatus } from './schema.js';

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
