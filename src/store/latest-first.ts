import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * A page of rows, latest first, keyset-paged on their `id` (identity columns grow with time):
 * at most `size` rows older than `beforeId`, and whether more follow.
 */
export async function latestFirst<DB, TB extends keyof DB, O extends { id: string }>(query: SelectQueryBuilder<DB, TB, O>, size: number, beforeId: string | undefined) {
  const id = sql.ref<string>('id');
  const rows = await (beforeId ? query.where(id, '<', beforeId) : query).orderBy(id, 'desc').limit(size + 1).execute();
  return { rows: rows.slice(0, size), hasNextPage: rows.length > size };
}
