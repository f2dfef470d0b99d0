import { sql, type Selectable } from 'kysely';
import type { Db } from './database.js';
import type { QuarantinedRecordTable, SyncRunStatus, SyncRunTable } from './schema.js';

export type SyncRunRow = Selectable<SyncRunTable>;
export type QuarantinedRecordRow = Selectable<QuarantinedRecordTable>;

export interface SyncRunFilter {
  source?: string | null;
  enterpriseId?: string | null;
  status?: SyncRunStatus | null;
}

function syncRunsMatching(db: Db, filter: SyncRunFilter) {
  let query = db.selectFrom('syncRun');
  if (filter.source) query = query.where('source', '=', filter.source);
  if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query;
}

/** Latest first: a page of runs with ids below `beforeId`, and whether more follow. */
export async function pageSyncRuns(db: Db, filter: SyncRunFilter, first: number, beforeId: string | undefined) {
  let query = syncRunsMatching(db, filter).selectAll();
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const rows = await query.orderBy('id', 'desc').limit(first + 1).execute();
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export async function countSyncRuns(db: Db, filter: SyncRunFilter): Promise<number> {
  const { count } = await syncRunsMatching(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

/** The latest run of each source. */
export async function findLatestRuns(db: Db, sources: readonly string[]): Promise<SyncRunRow[]> {
  const result = await sql<SyncRunRow>`
    SELECT DISTINCT ON (source) * FROM sync_run WHERE source = any(${sql.val(sources)}::text[]) ORDER BY source, id DESC`.execute(db);
  return result.rows;
}

export interface QuarantineFilter {
  source?: string | null;
  enterpriseId?: string | null;
  /** Only the records still in quarantine (true), or only those resolved since (false). */
  open?: boolean | null;
}

function quarantineMatching(db: Db, filter: QuarantineFilter) {
  let query = db.selectFrom('quarantinedRecord');
  if (filter.source) query = query.where('source', '=', filter.source);
  if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
  if (filter.open != null) query = query.where('resolvedAt', filter.open ? 'is' : 'is not', null);
  return query;
}

export async function findQuarantineByIds(db: Db, ids: readonly string[]): Promise<QuarantinedRecordRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('quarantinedRecord').selectAll().where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).orderBy('id').execute();
}

/**
 * A source's oldest records still in quarantine whose kept payload matches `payload` (a regular
 * expression over its text, negated with `matching: false`), at most `limit`; how many more such
 * there are; and how many open ones do not qualify.
 */
export async function oldestOpenQuarantine(
  db: Db,
  source: string,
  limit: number,
  payload: { pattern: string; matching: boolean },
): Promise<{ records: QuarantinedRecordRow[]; remaining: number; others: number }> {
  const qualifies = sql<boolean>`(stream IS NOT NULL AND enterprise_id IS NOT NULL AND payload IS NOT NULL AND (payload::text ~ ${payload.pattern}) = ${payload.matching})`;
  const records = await db.selectFrom('quarantinedRecord').selectAll().where('source', '=', source).where('resolvedAt', 'is', null).where(qualifies).orderBy('id').limit(limit).execute();
  const { open, qualifying } = await db
    .selectFrom('quarantinedRecord')
    .select((eb) => [eb.fn.countAll<string>().as('open'), sql<string>`count(*) FILTER (WHERE ${qualifies})`.as('qualifying')])
    .where('source', '=', source)
    .where('resolvedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return { records, remaining: Number(qualifying) - records.length, others: Number(open) - Number(qualifying) };
}

export async function pageQuarantine(db: Db, filter: QuarantineFilter, first: number, beforeId: string | undefined) {
  let query = quarantineMatching(db, filter).selectAll();
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const rows = await query.orderBy('id', 'desc').limit(first + 1).execute();
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export async function countQuarantine(db: Db, filter: QuarantineFilter): Promise<number> {
  const { count } = await quarantineMatching(db, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

export async function findSyncRunsByIds(db: Db, ids: readonly string[]): Promise<SyncRunRow[]> {
  return db.selectFrom('syncRun').selectAll().where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`).execute();
}

/** Fact tables and the entity name the API uses for each. */
const FACT_TABLES = [
  ['enterprise', 'enterprise'],
  ['relation', 'relation'],
  ['registry_change', 'registryChange'],
  ['abnormal_operation', 'abnormalOperation'],
  ['tax_filing', 'taxFiling'],
  ['tax_rating', 'taxRating'],
  ['tax_arrears', 'taxArrears'],
  ['court_case', 'courtCase'],
  ['enforcement', 'enforcement'],
  ['utility_bill', 'utilityBill'],
  ['invoice', 'invoice'],
  ['social_insurance_month', 'socialInsuranceMonth'],
] as const;

export interface InventoryModel {
  source: string;
  entity: string;
  records: number;
  lastObservedAt: Date | null;
}

/** Current facts per source and entity, in one statement. */
export async function findInventory(db: Db): Promise<InventoryModel[]> {
  const parts = FACT_TABLES.map(([table, entity]) => {
    const current = table === 'enterprise' ? sql`` : sql`WHERE superseded_at IS NULL`;
    return sql`SELECT source, ${sql.lit(entity)} AS entity, count(*) AS records, max(observed_at) AS last_observed_at
               FROM ${sql.table(table)} ${current} GROUP BY source`;
  });
  const result = await sql<{ source: string; entity: string; records: string; lastObservedAt: Date | null }>`
    SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) inventory ORDER BY source, entity`.execute(db);
  return result.rows.map((row) => ({ ...row, records: Number(row.records) }));
}
