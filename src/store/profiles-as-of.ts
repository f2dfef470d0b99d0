import { sql, type RawBuilder } from 'kysely';
import type { Db } from './database.js';
import type { CaseKind, EnterpriseStatus, PartyRole, RelationType, TaxGrade, Utility } from './schema.js';

/**
 * The facts about an enterprise that the hub knew at an instant T, about periods up to T: the
 * input of every point-in-time feature. A fact version is visible at T when it was observed at
 * or before T and not yet superseded then; a fact about a day after T (a filing for a later
 * period, an invoice issued later) is left out even if it was somehow observed earlier.
 *
 * Money is integer fen as bigint. Days are `YYYY-MM-DD`, months `YYYY-MM-01`.
 */
export interface ProfileAsOf {
  enterpriseId: string;
  uscc: string;
  /** The instant T and its UTC calendar day. */
  asOf: Date;
  asOfDay: string;
  enterprise: {
    establishedOn: string | null;
    /**
     * The status and capital of the registry record, which is kept current in place: the
     * features correct them back to T with the STATUS and CAPITAL changes visible at T.
     */
    currentStatus: EnterpriseStatus;
    currentRegisteredCapitalFen: bigint | null;
  };
  registryChanges: { field: string; before: string | null; after: string | null; changedOn: string }[];
  abnormalOperations: { listedOn: string; removedOn: string | null }[];
  /** Relations in force at T that point to the enterprise. */
  relations: {
    type: RelationType;
    fromPersonId: string | null;
    fromEnterpriseId: string | null;
    shareRatio: number | null;
    validFrom: string | null;
  }[];
  /** VAT returns: the features read revenue and tax paid from these. */
  taxFilings: {
    taxType: 'VAT' | 'CORPORATE_INCOME';
    periodStart: string;
    periodEnd: string;
    declaredRevenueFen: bigint;
    taxPaidFen: bigint;
    late: boolean;
    zeroFiling: boolean;
  }[];
  taxRatings: { year: number; grade: TaxGrade; publishedOn: string }[];
  taxArrears: { amountFen: bigint; since: string; status: 'OUTSTANDING' | 'SETTLED' }[];
  courtCases: {
    caseKind: CaseKind;
    cause: string;
    partyRole: PartyRole;
    amountFen: bigint | null;
    filedOn: string;
    status: 'OPEN' | 'CLOSED';
  }[];
  /** Enforcement against the enterprise, its legal representative or a shareholder of 20% or more. */
  enforcements: {
    subject: 'ENTERPRISE' | 'LEGAL_REPRESENTATIVE' | 'MAJOR_SHAREHOLDER';
    outstandingFen: bigint;
    filedOn: string;
    status: 'OPEN' | 'CLOSED';
    dishonestDebtor: boolean;
    consumptionRestriction: boolean;
  }[];
  utilityBills: {
    utility: Utility;
    period: string;
    consumption: number;
    billedFen: bigint;
    dueOn: string;
    /** Only if paid at or before T. */
    paidOn: string | null;
  }[];
  /** Sales and purchase invoices per calendar month, over the 25 months up to T. */
  invoiceMonths: {
    month: string;
    salesFen: bigint;
    salesCount: number;
    voidCount: number;
    redLetterCount: number;
    /** Gross amount of red-letter invoices, positive. */
    redLetterFen: bigint;
    purchasesFen: bigint;
    /** The days of the month normal sales invoices were issued on: bit d − 1 for day d. */
    salesDayMask: number;
  }[];
  /** The first sales invoice ever issued, at or before T. */
  firstSalesInvoiceOn: string | null;
  /** Net sales per buyer over the 12 months before T's month and the 12 before those. */
  buyers: { buyerUscc: string; last12Fen: bigint; prior12Fen: bigint }[];
  socialInsuranceMonths: { month: string; insuredHeadcount: number }[];
  /** Enterprises related at depth 1 or 2 (shared shareholder or legal representative, or shares held) with open enforcement at T. */
  relatedWithEnforcement: { depth1: number; depth2: number };
  /** Per source: the latest instant at or before T the hub heard from it about this enterprise. */
  lastSeen: Record<string, Date>;
}

/**
 * Loads the profiles of many enterprises as of T in a fixed number of statements (one per
 * kind of fact), whatever the number of enterprises. Unknown ids are absent from the result.
 */
export async function loadProfilesAsOf(db: Db, enterpriseIds: readonly string[], asOf: Date): Promise<Map<string, ProfileAsOf>> {
  const profiles = new Map<string, ProfileAsOf>();
  if (enterpriseIds.length === 0) return profiles;
  const asOfDay = asOf.toISOString().slice(0, 10);
  const ids = sql`any(${sql.val(enterpriseIds)}::bigint[])`;
  const t = sql`${asOf.toISOString()}::timestamptz`;
  const day = sql`${asOfDay}::date`;
  const visible = visibleAt(t);
  const inForce = (alias: string) =>
    sql`${visible(alias)} AND (${sql.ref(`${alias}.valid_from`)} IS NULL OR ${sql.ref(`${alias}.valid_from`)} <= ${day}) AND (${sql.ref(`${alias}.valid_to`)} IS NULL OR ${sql.ref(`${alias}.valid_to`)} > ${day})`;
  // Every statement also reports, per source, the latest observation it saw.
  const rows = <R>(query: RawBuilder<unknown>) => query.execute(db).then((result) => result.rows as (R & { enterpriseId: string })[]);

  const [enterprises, changes, abnormal, relations, filings, ratings, arrears, cases, enforcements, bills, invoiceMonths, firstInvoices, buyers, insurance, related, seen] =
    await Promise.all([
      rows<{ uscc: string; establishedOn: string | null; status: EnterpriseStatus; registeredCapitalFen: string | null }>(sql`
        SELECT id::text AS enterprise_id, uscc, established_on, status, registered_capital_fen FROM enterprise WHERE id = ${ids}`),
      rows<{ field: string; beforeValue: string | null; afterValue: string | null; changedOn: string }>(sql`
        SELECT enterprise_id::text AS enterprise_id, field, before_value, after_value, changed_on FROM registry_change c
        WHERE enterprise_id = ${ids} AND ${visible('c')} AND changed_on <= ${day} ORDER BY changed_on, id`),
      rows<{ listedOn: string; removedOn: string | null }>(sql`
        SELECT enterprise_id::text AS enterprise_id, listed_on, CASE WHEN removed_on <= ${day} THEN removed_on END AS removed_on
        FROM abnormal_operation a WHERE enterprise_id = ${ids} AND ${visible('a')} AND listed_on <= ${day}`),
      rows<{ type: RelationType; fromPersonId: string | null; fromEnterpriseId: string | null; shareRatio: string | null; validFrom: string | null }>(sql`
        SELECT to_enterprise_id::text AS enterprise_id, type, from_person_id::text AS from_person_id,
               from_enterprise_id::text AS from_enterprise_id, share_ratio::text AS share_ratio, valid_from
        FROM relation r WHERE to_enterprise_id = ${ids} AND ${inForce('r')} ORDER BY id`),
      rows<{ taxType: 'VAT' | 'CORPORATE_INCOME'; periodStart: string; periodEnd: string; declaredRevenueFen: string; taxPaidFen: string; late: boolean; zeroFiling: boolean }>(sql`
        SELECT enterprise_id::text AS enterprise_id, tax_type, period_start, period_end, declared_revenue_fen, tax_paid_fen, late, zero_filing
        FROM tax_filing f WHERE enterprise_id = ${ids} AND ${visible('f')} AND period_end <= ${day} AND tax_type = 'VAT'`),
      rows<{ year: number; grade: TaxGrade; publishedOn: string }>(sql`
        SELECT enterprise_id::text AS enterprise_id, year, grade, published_on FROM tax_rating r
        WHERE enterprise_id = ${ids} AND ${visible('r')} AND published_on <= ${day} ORDER BY year`),
      rows<{ amountFen: string; since: string; status: 'OUTSTANDING' | 'SETTLED' }>(sql`
        SELECT enterprise_id::text AS enterprise_id, amount_fen, since, status FROM tax_arrears a
        WHERE enterprise_id = ${ids} AND ${visible('a')} AND since <= ${day}`),
      rows<{ caseKind: CaseKind; cause: string; partyRole: PartyRole; amountFen: string | null; filedOn: string; status: 'OPEN' | 'CLOSED' }>(sql`
        SELECT enterprise_id::text AS enterprise_id, case_kind, cause, party_role, amount_fen, filed_on, status FROM court_case c
        WHERE enterprise_id = ${ids} AND ${visible('c')} AND filed_on <= ${day}`),
      rows<{ subject: ProfileAsOf['enforcements'][number]['subject']; outstandingFen: string; filedOn: string; status: 'OPEN' | 'CLOSED'; dishonestDebtor: boolean; consumptionRestriction: boolean }>(sql`
        WITH key_party AS (
          SELECT to_enterprise_id AS enterprise_id, from_person_id, from_enterprise_id,
                 CASE WHEN type = 'LEGAL_REPRESENTATIVE' THEN 'LEGAL_REPRESENTATIVE' ELSE 'MAJOR_SHAREHOLDER' END AS subject
          FROM relation r WHERE to_enterprise_id = ${ids} AND ${inForce('r')}
            AND (type = 'LEGAL_REPRESENTATIVE' OR (type = 'SHAREHOLDER' AND share_ratio >= 0.2))
        ),
        hit AS (
          SELECT f.enterprise_id, 'ENTERPRISE' AS subject, f.id FROM enforcement f
          WHERE f.enterprise_id = ${ids} AND f.person_id IS NULL AND ${visible('f')}
          UNION
          SELECT k.enterprise_id, k.subject, f.id FROM key_party k JOIN enforcement f ON f.person_id = k.from_person_id WHERE ${visible('f')}
          UNION
          SELECT k.enterprise_id, k.subject, f.id FROM key_party k JOIN enforcement f ON f.enterprise_id = k.from_enterprise_id AND f.person_id IS NULL
          WHERE ${visible('f')}
        )
        SELECT h.enterprise_id::text AS enterprise_id, h.subject, f.outstanding_fen, f.filed_on,
               CASE WHEN f.closed_on > ${day} THEN 'OPEN' ELSE f.status END AS status,
               f.dishonest_debtor, f.consumption_restriction
        FROM hit h JOIN enforcement f ON f.id = h.id WHERE f.filed_on <= ${day}`),
      rows<{ utility: Utility; period: string; consumption: string; billedFen: string; dueOn: string; paidOn: string | null }>(sql`
        SELECT enterprise_id::text AS enterprise_id, utility, period, consumption::text AS consumption, billed_fen, due_on,
               CASE WHEN paid_on <= ${day} THEN paid_on END AS paid_on
        FROM utility_bill b WHERE enterprise_id = ${ids} AND ${visible('b')} AND period <= ${day}`),
      rows<{ month: string; salesFen: string; salesCount: number; voidCount: number; redLetterCount: number; redLetterFen: string; purchasesFen: string; salesDayMask: number | null }>(sql`
        WITH side AS (
          SELECT seller_enterprise_id AS enterprise_id, true AS sale, issued_on, status, net_amount_fen FROM invoice i
          WHERE seller_enterprise_id = ${ids} AND ${visible('i')} AND issued_on <= ${day}
            AND issued_on >= date_trunc('month', ${day}) - interval '24 months'
          UNION ALL
          SELECT buyer_enterprise_id, false, issued_on, status, net_amount_fen FROM invoice i
          WHERE buyer_enterprise_id = ${ids} AND ${visible('i')} AND issued_on <= ${day}
            AND issued_on >= date_trunc('month', ${day}) - interval '24 months'
        ),
        months AS (
          SELECT enterprise_id, date_trunc('month', issued_on)::date AS month,
                 coalesce(sum(net_amount_fen) FILTER (WHERE sale AND status <> 'VOID'), 0) AS sales_fen,
                 (count(*) FILTER (WHERE sale))::int AS sales_count,
                 (count(*) FILTER (WHERE sale AND status = 'VOID'))::int AS void_count,
                 (count(*) FILTER (WHERE sale AND status = 'RED_LETTER'))::int AS red_letter_count,
                 coalesce(-sum(net_amount_fen) FILTER (WHERE sale AND status = 'RED_LETTER'), 0) AS red_letter_fen,
                 coalesce(sum(net_amount_fen) FILTER (WHERE NOT sale AND status <> 'VOID'), 0) AS purchases_fen,
                 bit_or(1 << (extract(day FROM issued_on)::int - 1)) FILTER (WHERE sale AND status = 'NORMAL') AS sales_day_mask
          FROM side GROUP BY 1, 2
        )
        SELECT enterprise_id::text AS enterprise_id, month, sales_fen::text AS sales_fen, sales_count, void_count, red_letter_count,
               red_letter_fen::text AS red_letter_fen, purchases_fen::text AS purchases_fen, sales_day_mask
        FROM months ORDER BY month`),
      rows<{ firstOn: string }>(sql`
        SELECT e.id::text AS enterprise_id, first.issued_on AS first_on FROM enterprise e
        CROSS JOIN LATERAL (
          SELECT issued_on FROM invoice i
          WHERE i.seller_enterprise_id = e.id AND ${visible('i')} AND i.issued_on <= ${day} AND i.status = 'NORMAL'
          ORDER BY issued_on LIMIT 1
        ) first
        WHERE e.id = ${ids}`),
      rows<{ buyerUscc: string; last12Fen: string; prior12Fen: string }>(sql`
        SELECT seller_enterprise_id::text AS enterprise_id, buyer_uscc,
               coalesce(sum(net_amount_fen) FILTER (WHERE issued_on >= date_trunc('month', ${day}) - interval '12 months'), 0)::text AS last12_fen,
               coalesce(sum(net_amount_fen) FILTER (WHERE issued_on < date_trunc('month', ${day}) - interval '12 months'), 0)::text AS prior12_fen
        FROM invoice i
        WHERE seller_enterprise_id = ${ids} AND ${visible('i')} AND status <> 'VOID'
          AND issued_on >= date_trunc('month', ${day}) - interval '24 months' AND issued_on < date_trunc('month', ${day})
        GROUP BY 1, 2`),
      rows<{ month: string; insuredHeadcount: number }>(sql`
        SELECT enterprise_id::text AS enterprise_id, month, insured_headcount FROM social_insurance_month m
        WHERE enterprise_id = ${ids} AND ${visible('m')} AND month <= ${day} ORDER BY month`),
      rows<{ depth1: number; depth2: number }>(relatedWithEnforcement(ids, visible, inForce, day)),
      rows<{ source: string; lastSeen: Date }>(lastSeen(ids, t)),
    ]);

  for (const row of enterprises) {
    profiles.set(
      row.enterpriseId,
      emptyProfile(row.enterpriseId, row.uscc, asOf, {
        establishedOn: row.establishedOn,
        currentStatus: row.status,
        currentRegisteredCapitalFen: row.registeredCapitalFen === null ? null : BigInt(row.registeredCapitalFen),
      }),
    );
  }
  const each = <R extends { enterpriseId: string }>(list: R[], add: (profile: ProfileAsOf, row: R) => void) => {
    for (const row of list) {
      const profile = profiles.get(row.enterpriseId);
      if (profile) add(profile, row);
    }
  };
  each(changes, (p, r) => p.registryChanges.push({ field: r.field, before: r.beforeValue, after: r.afterValue, changedOn: r.changedOn }));
  each(abnormal, (p, r) => p.abnormalOperations.push({ listedOn: r.listedOn, removedOn: r.removedOn }));
  each(relations, (p, r) =>
    p.relations.push({
      type: r.type,
      fromPersonId: r.fromPersonId,
      fromEnterpriseId: r.fromEnterpriseId,
      shareRatio: r.shareRatio === null ? null : Number(r.shareRatio),
      validFrom: r.validFrom,
    }),
  );
  each(filings, (p, r) =>
    p.taxFilings.push({
      taxType: r.taxType,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      declaredRevenueFen: BigInt(r.declaredRevenueFen),
      taxPaidFen: BigInt(r.taxPaidFen),
      late: r.late,
      zeroFiling: r.zeroFiling,
    }),
  );
  each(ratings, (p, r) => p.taxRatings.push({ year: r.year, grade: r.grade, publishedOn: r.publishedOn }));
  each(arrears, (p, r) => p.taxArrears.push({ amountFen: BigInt(r.amountFen), since: r.since, status: r.status }));
  each(cases, (p, r) =>
    p.courtCases.push({
      caseKind: r.caseKind,
      cause: r.cause,
      partyRole: r.partyRole,
      amountFen: r.amountFen === null ? null : BigInt(r.amountFen),
      filedOn: r.filedOn,
      status: r.status,
    }),
  );
  each(enforcements, (p, r) =>
    p.enforcements.push({
      subject: r.subject,
      outstandingFen: BigInt(r.outstandingFen),
      filedOn: r.filedOn,
      status: r.status,
      dishonestDebtor: r.dishonestDebtor,
      consumptionRestriction: r.consumptionRestriction,
    }),
  );
  each(bills, (p, r) =>
    p.utilityBills.push({
      utility: r.utility,
      period: r.period,
      consumption: Number(r.consumption),
      billedFen: BigInt(r.billedFen),
      dueOn: r.dueOn,
      paidOn: r.paidOn,
    }),
  );
  each(invoiceMonths, (p, r) =>
    p.invoiceMonths.push({
      month: r.month,
      salesFen: BigInt(r.salesFen),
      salesCount: r.salesCount,
      voidCount: r.voidCount,
      redLetterCount: r.redLetterCount,
      redLetterFen: BigInt(r.redLetterFen),
      purchasesFen: BigInt(r.purchasesFen),
      salesDayMask: r.salesDayMask ?? 0,
    }),
  );
  each(firstInvoices, (p, r) => (p.firstSalesInvoiceOn = r.firstOn));
  each(buyers, (p, r) => p.buyers.push({ buyerUscc: r.buyerUscc, last12Fen: BigInt(r.last12Fen), prior12Fen: BigInt(r.prior12Fen) }));
  each(insurance, (p, r) => p.socialInsuranceMonths.push({ month: r.month, insuredHeadcount: r.insuredHeadcount }));
  each(related, (p, r) => (p.relatedWithEnforcement = { depth1: r.depth1, depth2: r.depth2 }));
  each(seen, (p, r) => (p.lastSeen[r.source] = new Date(r.lastSeen)));
  // Buyers in a stable order, so ties in concentration features resolve the same way each time.
  for (const profile of profiles.values()) profile.buyers.sort((a, b) => (a.buyerUscc < b.buyerUscc ? -1 : a.buyerUscc > b.buyerUscc ? 1 : 0));
  return profiles;
}

/** A profile with no facts: what the hub knows of an enterprise before any source spoke. */
export function emptyProfile(enterpriseId: string, uscc: string, asOf: Date, enterprise: ProfileAsOf['enterprise']): ProfileAsOf {
  return {
    enterpriseId,
    uscc,
    asOf,
    asOfDay: asOf.toISOString().slice(0, 10),
    enterprise,
    registryChanges: [],
    abnormalOperations: [],
    relations: [],
    taxFilings: [],
    taxRatings: [],
    taxArrears: [],
    courtCases: [],
    enforcements: [],
    utilityBills: [],
    invoiceMonths: [],
    firstSalesInvoiceOn: null,
    buyers: [],
    socialInsuranceMonths: [],
    relatedWithEnforcement: { depth1: 0, depth2: 0 },
    lastSeen: {},
  };
}

type Visible = (alias: string) => RawBuilder<unknown>;

/** A fact version is visible at T when observed at or before T and not superseded by then. */
const visibleAt =
  (t: RawBuilder<unknown>): Visible =>
  (alias) =>
    sql`${sql.ref(`${alias}.observed_at`)} <= ${t} AND (${sql.ref(`${alias}.superseded_at`)} IS NULL OR ${sql.ref(`${alias}.superseded_at`)} > ${t})`;

/**
 * Related enterprises at depth 1 and 2 with an open enforcement at T, by one recursive walk
 * over the relations in force at T (the hops of src/store/related-enterprises.ts).
 */
function relatedWithEnforcement(ids: RawBuilder<unknown>, visible: Visible, inForce: Visible, day: RawBuilder<unknown>) {
  const live = (alias: string) => sql`${inForce(alias)} AND ${sql.ref(`${alias}.type`)} IN ('SHAREHOLDER', 'LEGAL_REPRESENTATIVE')`;
  return sql`
    WITH RECURSIVE walk (root_id, enterprise_id, distance, path) AS (
      SELECT id, id, 0, ARRAY[id] FROM enterprise WHERE id = ${ids}
      UNION ALL
      SELECT w.root_id, n.next_id, w.distance + 1, w.path || n.next_id
      FROM walk w
      CROSS JOIN LATERAL (
        SELECT r2.to_enterprise_id AS next_id FROM relation r1 JOIN relation r2 ON r2.from_person_id = r1.from_person_id
        WHERE r1.to_enterprise_id = w.enterprise_id AND ${live('r1')} AND ${live('r2')}
        UNION
        SELECT r2.to_enterprise_id FROM relation r1 JOIN relation r2 ON r2.from_enterprise_id = r1.from_enterprise_id
        WHERE r1.to_enterprise_id = w.enterprise_id AND ${live('r1')} AND ${live('r2')}
        UNION
        SELECT r.to_enterprise_id FROM relation r WHERE r.from_enterprise_id = w.enterprise_id AND ${live('r')}
        UNION
        SELECT r.from_enterprise_id FROM relation r WHERE r.to_enterprise_id = w.enterprise_id AND r.from_enterprise_id IS NOT NULL AND ${live('r')}
      ) n
      WHERE w.distance < 2 AND NOT n.next_id = any(w.path)
    ),
    nearest AS (
      SELECT root_id, enterprise_id, min(distance) AS distance FROM walk WHERE distance > 0 GROUP BY 1, 2
    )
    SELECT n.root_id::text AS enterprise_id,
           (count(*) FILTER (WHERE n.distance = 1))::int AS depth1,
           (count(*) FILTER (WHERE n.distance = 2))::int AS depth2
    FROM nearest n
    WHERE EXISTS (
      SELECT 1 FROM enforcement f WHERE f.enterprise_id = n.enterprise_id AND f.person_id IS NULL AND ${visible('f')}
        AND f.filed_on <= ${day} AND (f.status = 'OPEN' OR f.closed_on > ${day}))
    GROUP BY 1`;
}

/**
 * The latest instant at or before T each source told the hub about each enterprise: the end of
 * its last successful sync (one that found nothing new still says the data is current), or of a
 * bulk load of all enterprises (a run without one); for the registry also the registry record.
 * A run that failed midway may have stored some facts, but does not vouch for the rest.
 */
export async function findLastSeen(db: Db, enterpriseIds: readonly string[], asOf: Date): Promise<{ enterpriseId: string; source: string; lastSeen: Date }[]> {
  const t = sql`${asOf.toISOString()}::timestamptz`;
  const result = await lastSeen(sql`any(${sql.val(enterpriseIds)}::bigint[])`, t).execute(db);
  return (result.rows as { enterpriseId: string; source: string; lastSeen: Date }[]).map((row) => ({ ...row, lastSeen: new Date(row.lastSeen) }));
}

function lastSeen(ids: RawBuilder<unknown>, t: RawBuilder<unknown>) {
  return sql`
    SELECT enterprise_id::text AS enterprise_id, source, max(seen) AS last_seen FROM (
      SELECT id AS enterprise_id, source, observed_at AS seen FROM enterprise WHERE id = ${ids} AND observed_at <= ${t}
      UNION ALL
      SELECT enterprise_id, source, max(finished_at) FROM sync_run
      WHERE enterprise_id = ${ids} AND status = 'SUCCEEDED' AND finished_at <= ${t} GROUP BY 1, 2
      UNION ALL
      SELECT e.id, bulk.source, bulk.seen FROM enterprise e CROSS JOIN (
        SELECT source, max(finished_at) AS seen FROM sync_run
        WHERE enterprise_id IS NULL AND status = 'SUCCEEDED' AND finished_at <= ${t} GROUP BY 1) bulk
      WHERE e.id = ${ids}
    ) observations
    GROUP BY 1, 2
    ORDER BY 1, 2`;
}
