import { formatMonth, monthOfDay, parseDay } from '../../src/common/calendar.js';
import { emptyProfile, type ProfileAsOf } from '../../src/store/profiles-as-of.js';
import type { SourceId } from '../../src/risk/features/catalog.js';

/** A day `days` before T (2026-11-20), as YYYY-MM-DD. */
export const T_DAY = '2026-11-20';
export const daysBefore = (days: number) => new Date(Date.parse(`${T_DAY}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
/** The first day of the month `months` before T's month. */
export const monthBefore = (months: number) => formatMonth(monthOfDay(parseDay(T_DAY)) - months);

/**
 * A crafted profile as of T = 2026-11-20 with every source heard from the day before, and no
 * facts: tests add exactly the facts a feature needs.
 */
export function craftProfile(overrides: Partial<ProfileAsOf> = {}): ProfileAsOf {
  const asOf = new Date(`${T_DAY}T00:00:00Z`);
  const seen = new Date(asOf.getTime() - 86_400_000);
  return {
    ...emptyProfile('1', '91320505MA1XXXXXXX', asOf, { establishedOn: '2020-05-20', status: 'ACTIVE', registeredCapitalFen: 500_000_000n }),
    lastSeen: { registry: seen, tax: seen, court: seen, invoice: seen, utility: seen, 'social-insurance': seen },
    ...overrides,
  };
}

/** Invoice months with the given net sales (yuan) for the months before T's month: index 0 is the last full month. */
export function salesMonths(yuanByMonthsBack: readonly number[], extra: Partial<ProfileAsOf['invoiceMonths'][number]> = {}): ProfileAsOf['invoiceMonths'] {
  return yuanByMonthsBack
    .map((yuan, i) => ({
      month: monthBefore(i + 1),
      salesFen: BigInt(Math.round(yuan * 100)),
      salesCount: yuan > 0 ? 10 : 0,
      voidCount: 0,
      redLetterCount: 0,
      redLetterFen: 0n,
      purchasesFen: 0n,
      // Sales invoices on the 10th.
      salesDayMask: yuan > 0 ? 1 << 9 : 0,
      ...extra,
    }))
    .reverse();
}

/** The facts of one source, and the hub's having heard from it, gone from a profile. */
export function withoutSource(profile: ProfileAsOf, source: SourceId): ProfileAsOf {
  const { [source]: _gone, ...lastSeen } = profile.lastSeen;
  const facts: Record<SourceId, Partial<ProfileAsOf>> = {
    registry: { registryChanges: [], abnormalOperations: [], relations: [] },
    tax: { taxFilings: [], taxRatings: [], taxArrears: [] },
    court: { courtCases: [], enforcements: [] },
    invoice: { invoiceMonths: [], firstSalesInvoiceOn: null, buyers: [] },
    utility: { utilityBills: [] },
    'social-insurance': { socialInsuranceMonths: [] },
  };
  return { ...profile, ...facts[source], lastSeen };
}
