import { sql } from 'kysely';
import type { Db } from './database.js';
import type { CourtCaseRow, EnforcementRow, TaxFilingRow, TaxRatingRow, UtilityBillRow } from './schema.js';

/**
 * Current facts about many enterprises at once, for the per-request loaders: each function is
 * one statement whatever the number of enterprises.
 */
export interface DateRange {
  from?: string | null;
  to?: string | null;
}

const anyId = (ids: readonly string[]) => sql<string>`any(${sql.val(ids)}::bigint[])`;

export async function findTaxFilings(db: Db, enterpriseIds: readonly string[], range: DateRange): Promise<TaxFilingRow[]> {
  let query = db
    .selectFrom('taxFiling')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where('supersededAt', 'is', null);
  if (range.from) query = query.where('periodEnd', '>=', range.from);
  if (range.to) query = query.where('periodEnd', '<=', range.to);
  return query.orderBy('periodEnd', 'desc').orderBy('formCode').orderBy('id').execute();
}

export async function findTaxRatings(db: Db, enterpriseIds: readonly string[]): Promise<TaxRatingRow[]> {
  return db
    .selectFrom('taxRating')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where('supersededAt', 'is', null)
    .orderBy('year', 'desc')
    .execute();
}

export async function findCourtCases(db: Db, enterpriseIds: readonly string[]): Promise<CourtCaseRow[]> {
  return db
    .selectFrom('courtCase')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where('supersededAt', 'is', null)
    .orderBy('filedOn', 'desc')
    .orderBy('id')
    .execute();
}

export async function findEnforcements(db: Db, enterpriseIds: readonly string[]): Promise<EnforcementRow[]> {
  return db
    .selectFrom('enforcement')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where('supersededAt', 'is', null)
    .orderBy('filedOn', 'desc')
    .orderBy('id')
    .execute();
}

export async function findUtilityBills(db: Db, enterpriseIds: readonly string[], range: DateRange): Promise<UtilityBillRow[]> {
  let query = db
    .selectFrom('utilityBill')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where('supersededAt', 'is', null);
  if (range.from) query = query.where('period', '>=', range.from);
  if (range.to) query = query.where('period', '<=', range.to);
  return query.orderBy('period', 'desc').orderBy('utility').orderBy('id').execute();
}

export interface SourceFreshnessRow {
  enterpriseId: string;
  source: string;
  lastObservedAt: Date;
}

/**
 * The latest observation per source: the newest fact from it, or the end of the last
 * successful sync of it (a sync that found nothing new still says the data is fresh).
 */
export async function findSourceFreshness(db: Db, enterpriseIds: readonly string[]): Promise<SourceFreshnessRow[]> {
  const ids = anyId(enterpriseIds);
  const perTable = (table: string, column = 'enterprise_id') =>
    sql`SELECT ${sql.ref(column)} AS enterprise_id, source, max(observed_at) AS observed_at
        FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${ids} GROUP BY 1, 2`;
  const result = await sql<SourceFreshnessRow>`
    SELECT enterprise_id::text AS enterprise_id, source, max(observed_at) AS last_observed_at FROM (
      SELECT id AS enterprise_id, source, observed_at FROM enterprise WHERE id = ${ids}
      UNION ALL ${perTable('relation', 'to_enterprise_id')}
      UNION ALL ${perTable('registry_change')}
      UNION ALL ${perTable('abnormal_operation')}
      UNION ALL ${perTable('tax_filing')}
      UNION ALL ${perTable('tax_rating')}
      UNION ALL ${perTable('tax_arrears')}
      UNION ALL ${perTable('court_case')}
      UNION ALL ${perTable('enforcement')}
      UNION ALL ${perTable('utility_bill')}
      UNION ALL ${perTable('invoice', 'seller_enterprise_id')}
      UNION ALL ${perTable('invoice', 'buyer_enterprise_id')}
      UNION ALL ${perTable('social_insurance_month')}
      UNION ALL
      SELECT enterprise_id, source, max(finished_at) FROM sync_run
      WHERE enterprise_id = ${ids} AND status = 'SUCCEEDED' GROUP BY 1, 2
    ) observations
    GROUP BY 1, 2
    ORDER BY 1, 2`.execute(db);
  return result.rows;
}
