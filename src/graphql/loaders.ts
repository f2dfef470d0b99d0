import DataLoader from 'dataloader';
import { findConsents, findPersonConsents, type ConsentRow, type PersonConsentRow } from '../ingest/consents.js';
import type { Db } from '../store/database.js';
import { findLatestRuns, findSyncRunsByIds, type SyncRunRow } from '../store/ingest-records.js';
import { findEnterprisesByIds, findEnterprisesByUsccs, findEnterpriseWithRelations } from '../store/enterprises.js';
import {
  findCourtCases,
  findEnforcements,
  findSourceFreshness,
  findTaxFilings,
  findTaxRatings,
  findUtilityBills,
  type AsOf,
  type DateRange,
  type SourceFreshnessRow,
} from '../store/facts.js';
import { findInvoiceMonths, type InvoiceMonthRow } from '../store/invoices.js';
import { findFrozenAssessments, findLoans } from '../origination/service.js';
import type { FrozenAssessment } from '../origination/snapshot.js';
import { loadProfilesAsOf, type ProfileAsOf } from '../store/profiles-as-of.js';
import { findRelatedEnterprises, type RelatedEnterpriseRow } from '../store/related-enterprises.js';
import {
  findPersonNamesOfEnterprises,
  findPersonsByIds,
  findRelationsFromPersons,
  findRelationsToEnterprises,
  type RelationWithHolder,
} from '../store/relations.js';
import type {
  AlertOccurrenceRow,
  AlertRow,
  CourtCaseRow,
  EnforcementRow,
  EnterpriseRow,
  LimitActionRow,
  LoanRow,
  PersonRow,
  RelationRow,
  TaxFilingRow,
  TaxRatingRow,
  UtilityBillRow,
} from '../store/schema.js';

/**
 * One DataLoader per entity per request: every reference between entities goes through
 * one of these, so a page of N enterprises costs a fixed number of statements, not N.
 */
export function createLoaders(db: Db) {
  const enterpriseById = new DataLoader<string, EnterpriseRow | null>(async (ids) => {
    const rows = await findEnterprisesByIds(db, ids);
    rows.forEach((row) => enterpriseByUscc.prime(row.uscc, row));
    return byKey(ids, rows, (row) => row.id);
  });
  const enterpriseByUscc = new DataLoader<string, EnterpriseRow | null>(async (usccs) => {
    const rows = await findEnterprisesByUsccs(db, usccs);
    rows.forEach((row) => enterpriseById.prime(row.id, row));
    return byKey(usccs, rows, (row) => row.uscc);
  });
  const primeEnterprise = (row: EnterpriseRow) => {
    enterpriseById.prime(row.id, row);
    enterpriseByUscc.prime(row.uscc, row);
  };

  const personById = new DataLoader<string, PersonRow | null>(async (ids) =>
    byKey(ids, await findPersonsByIds(db, ids), (row) => row.id),
  );

  const relationsToEnterprise = new DataLoader<string, RelationWithHolder[]>(async (ids) => {
    const rows = await findRelationsToEnterprises(db, ids);
    rows.forEach(primeHolder);
    return groupBy(ids, rows, (row) => row.toEnterpriseId);
  });
  const primeHolder = ({ holder }: RelationWithHolder) => {
    if ('uscc' in holder) primeEnterprise(holder);
    else personById.prime(holder.id, holder);
  };

  return {
    enterpriseById,
    enterpriseByUscc,
    primeEnterprise,
    personById,
    relationsToEnterprise,
    /** An enterprise with its relations in one statement; primes the loaders with both. */
    async enterpriseWithRelations(key: { id: string } | { uscc: string }): Promise<EnterpriseRow | null> {
      const found = await findEnterpriseWithRelations(db, key);
      if (!found) return null;
      primeEnterprise(found.enterprise);
      relationsToEnterprise.prime(found.enterprise.id, found.relations);
      found.relations.forEach(primeHolder);
      return found.enterprise;
    },
    /** Relations in force into enterprises as the hub knew them at an instant. */
    relationsToEnterpriseAsOf: withArguments<Date, RelationWithHolder>(async (ids, asOf) =>
      groupBy(ids, await findRelationsToEnterprises(db, ids, asOf), (row) => row.toEnterpriseId),
    ),
    personNamesOfEnterprise: new DataLoader<string, string[]>(async (ids) => {
      const rows = await findPersonNamesOfEnterprises(db, ids);
      return ids.map((id) => rows.filter((row) => row.enterpriseId === id).map((row) => row.name));
    }),
    relationsFromPerson: new DataLoader<string, RelationRow[]>(async (ids) =>
      groupBy(ids, await findRelationsFromPersons(db, ids), (row) => row.fromPersonId),
    ),
    relatedEnterprises: withArguments<{ depth: number } & AsOf, RelatedEnterpriseRow>(async (ids, { depth, asOf }) => {
      const rows = await findRelatedEnterprises(db, ids, depth, asOf ?? undefined);
      rows.forEach((row) => primeEnterprise(row.enterprise));
      return groupBy(ids, rows, (row) => row.rootId);
    }),
    taxFilings: withArguments<DateRange & AsOf, TaxFilingRow>(async (ids, range) =>
      groupBy(ids, await findTaxFilings(db, ids, range), (row) => row.enterpriseId),
    ),
    taxRatings: withArguments<AsOf, TaxRatingRow>(async (ids, asOf) =>
      groupBy(ids, await findTaxRatings(db, ids, asOf), (row) => row.enterpriseId),
    ),
    courtCases: withArguments<AsOf, CourtCaseRow>(async (ids, asOf) =>
      groupBy(ids, await findCourtCases(db, ids, asOf), (row) => row.enterpriseId),
    ),
    enforcements: withArguments<AsOf, EnforcementRow>(async (ids, asOf) =>
      groupBy(ids, await findEnforcements(db, ids, asOf), (row) => row.enterpriseId),
    ),
    utilityBills: withArguments<DateRange & AsOf, UtilityBillRow>(async (ids, range) =>
      groupBy(ids, await findUtilityBills(db, ids, range), (row) => row.enterpriseId),
    ),
    invoiceMonths: withArguments<DateRange & AsOf, InvoiceMonthRow>(async (ids, range) =>
      groupBy(ids, await findInvoiceMonths(db, ids, range), (row) => row.enterpriseId),
    ),
    syncRunById: new DataLoader<string, SyncRunRow | null>(async (ids) =>
      byKey(ids, await findSyncRunsByIds(db, ids), (row) => row.id),
    ),
    latestRunOfSource: new DataLoader<string, SyncRunRow | null>(async (sources) =>
      byKey(sources, await findLatestRuns(db, sources), (row) => row.source),
    ),
    consents: new DataLoader<string, ConsentRow[]>(async (ids) =>
      groupBy(ids, await findConsents(db, ids), (row) => row.enterpriseId),
    ),
    personConsents: new DataLoader<string, PersonConsentRow[]>(async (ids) =>
      groupBy(ids, await findPersonConsents(db, ids), (row) => row.enterpriseId),
    ),
    /** Profiles as of an instant (ISO 8601): the risk views of a page of enterprises share one batch. */
    profilesAsOf: withArguments<string, ProfileAsOf>(async (ids, asOf) => {
      const profiles = await loadProfilesAsOf(db, ids, new Date(asOf));
      return ids.map((id) => (profiles.has(id) ? [profiles.get(id)!] : []));
    }),
    /** Each source's latest observation up to an instant (ISO 8601): the hub's today, or the instant a record is as of. */
    sourceFreshness: withArguments<string, SourceFreshnessRow>(async (ids, at) =>
      groupBy(ids, await findSourceFreshness(db, ids, new Date(at)), (row) => row.enterpriseId),
    ),
    assessmentOfApplication: new DataLoader<string, FrozenAssessment | null>(async (ids) => {
      const found = await findFrozenAssessments(db, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    loanOfApplication: new DataLoader<string, LoanRow | null>(async (ids) => {
      const found = await findLoans(db, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    loanById: new DataLoader<string, LoanRow | null>(async (ids) => {
      const rows = await db.selectFrom('loan').selectAll().where('id', 'in', [...ids]).execute();
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    limitActionsOfLoan: new DataLoader<string, LimitActionRow[]>(async (ids) => {
      const rows = await db.selectFrom('limitAction').selectAll().where('loanId', 'in', [...ids]).orderBy('id', 'desc').execute();
      return ids.map((id) => rows.filter((row) => row.loanId === id));
    }),
    alertById: new DataLoader<string, AlertRow | null>(async (ids) => {
      const rows = await db.selectFrom('alert').selectAll().where('id', 'in', [...ids]).execute();
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    alertHistory: new DataLoader<string, AlertOccurrenceRow[]>(async (ids) => {
      const rows = await db.selectFrom('alertOccurrence').selectAll().where('alertId', 'in', [...ids]).orderBy('id').execute();
      return ids.map((id) => rows.filter((row) => row.alertId === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * A loader for a list field with arguments: keys are (enterprise id, arguments); a batch
 * runs one statement per distinct set of arguments, which in practice is one.
 */
function withArguments<A, T>(load: (ids: string[], args: A) => Promise<T[][]>) {
  const loader = new DataLoader<{ id: string; args: A }, T[], string>(
    async (keys) => {
      const byArguments = new Map<string, { args: A; ids: string[] }>();
      for (const { id, args } of keys) {
        const signature = JSON.stringify(args);
        const group = byArguments.get(signature) ?? { args, ids: [] };
        group.ids.push(id);
        byArguments.set(signature, group);
      }
      const results = new Map<string, T[]>();
      for (const [signature, { args, ids }] of byArguments) {
        const groups = await load(ids, args);
        ids.forEach((id, index) => results.set(`${id}|${signature}`, groups[index] ?? []));
      }
      return keys.map(({ id, args }) => results.get(`${id}|${JSON.stringify(args)}`) ?? []);
    },
    { cacheKeyFn: ({ id, args }) => `${id}|${JSON.stringify(args)}` },
  );
  return { load: (id: string, args: A) => loader.load({ id, args }) };
}
