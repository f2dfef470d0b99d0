import { sql } from 'kysely';
import type { Db } from './database.js';
import { findLastSeen } from './profiles-as-of.js';
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

/** The latest observation per source up to `now`, the hub's today (see findLastSeen). */
export async function findSourceFreshness(db: Db, enterpriseIds: readonly string[], now: Date): Promise<SourceFreshnessRow[]> {
  const rows = await findLastSeen(db, enterpriseIds, now);
  return rows.map(({ enterpriseId, source, lastSeen }) => ({ enterpriseId, source, lastObservedAt: lastSeen }));
}
