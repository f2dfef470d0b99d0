import { sql } from 'kysely';
import type { Db } from './database.js';
import { findLastSeen } from './profiles-as-of.js';
import type { CourtCaseRow, EnforcementRow, TaxFilingRow, TaxRatingRow, UtilityBillRow } from './schema.js';

/**
 * Facts about many enterprises at once, for the per-request loaders: each function is one
 * statement whatever the number of enterprises. What the hub knows now, or, with `asOf`, what it
 * knew at that instant: the versions visible then, about days up to then.
 */
export interface DateRange {
  from?: string | null;
  to?: string | null;
}

/** The instant the facts are as of; none for the current ones. */
export interface AsOf {
  asOf?: Date | null;
}

const anyId = (ids: readonly string[]) => sql<string>`any(${sql.val(ids)}::bigint[])`;

/** The fact versions known at `asOf` about days up to it (`day` is the fact's own date column), or the current ones. */
export function knownAt(asOf: Date | null | undefined, day: string) {
  return asOf
    ? sql<boolean>`observed_at <= ${asOf} AND (superseded_at IS NULL OR superseded_at > ${asOf}) AND ${sql.raw(day)} <= ${asOf.toISOString().slice(0, 10)}::date`
    : sql<boolean>`superseded_at IS NULL`;
}

export async function findTaxFilings(db: Db, enterpriseIds: readonly string[], range: DateRange & AsOf): Promise<TaxFilingRow[]> {
  let query = db
    .selectFrom('taxFiling')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where(knownAt(range.asOf, 'period_end'));
  if (range.from) query = query.where('periodEnd', '>=', range.from);
  if (range.to) query = query.where('periodEnd', '<=', range.to);
  return query.orderBy('periodEnd', 'desc').orderBy('formCode').orderBy('id').execute();
}

export async function findTaxRatings(db: Db, enterpriseIds: readonly string[], { asOf }: AsOf = {}): Promise<TaxRatingRow[]> {
  return db
    .selectFrom('taxRating')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where(knownAt(asOf, 'published_on'))
    .orderBy('year', 'desc')
    .execute();
}

export async function findCourtCases(db: Db, enterpriseIds: readonly string[], { asOf }: AsOf = {}): Promise<CourtCaseRow[]> {
  return db
    .selectFrom('courtCase')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where(knownAt(asOf, 'filed_on'))
    .orderBy('filedOn', 'desc')
    .orderBy('id')
    .execute();
}

export async function findEnforcements(db: Db, enterpriseIds: readonly string[], { asOf }: AsOf = {}): Promise<EnforcementRow[]> {
  return db
    .selectFrom('enforcement')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where(knownAt(asOf, 'filed_on'))
    .orderBy('filedOn', 'desc')
    .orderBy('id')
    .execute();
}

export async function findUtilityBills(db: Db, enterpriseIds: readonly string[], range: DateRange & AsOf): Promise<UtilityBillRow[]> {
  let query = db
    .selectFrom('utilityBill')
    .selectAll()
    .where('enterpriseId', '=', anyId(enterpriseIds))
    .where(knownAt(range.asOf, 'period'));
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
