import { monthOfDay, parseDay } from '../../common/calendar.js';
import type { ProfileAsOf } from '../../store/profiles-as-of.js';
import type { EnterpriseStatus } from '../../store/schema.js';

/**
 * A profile as of T prepared for the feature functions: calendar positions as numbers and the
 * monthly series indexed by month, computed once per profile. Months are numbered as in
 * src/common/calendar.ts (year × 12 + month − 1); `month` is T's month, so the last full month
 * is `month - 1`.
 */
export interface FeatureInput {
  profile: ProfileAsOf;
  day: number;
  month: number;
  /** The latest month whose VAT return was due (the 15th of the next month) by T. */
  lastDueTaxMonth: number;
  salesByMonth: Map<number, bigint>;
  purchasesByMonth: Map<number, bigint>;
  /** Electricity consumption (kWh) per billing month, all accounts together. */
  kwhByMonth: Map<number, number>;
  statusAtT: EnterpriseStatus;
  registeredCapitalFen: bigint | null;
}

export function deriveInput(profile: ProfileAsOf): FeatureInput {
  const day = parseDay(profile.asOfDay);
  const month = monthOfDay(day);
  const dayOfMonth = Number(profile.asOfDay.slice(8, 10));
  const salesByMonth = new Map<number, bigint>();
  const purchasesByMonth = new Map<number, bigint>();
  for (const row of profile.invoiceMonths) {
    const m = monthOfDay(parseDay(row.month));
    salesByMonth.set(m, row.salesFen);
    purchasesByMonth.set(m, row.purchasesFen);
  }
  const kwhByMonth = new Map<number, number>();
  for (const bill of profile.utilityBills) {
    if (bill.utility !== 'ELECTRICITY') continue;
    const m = monthOfDay(parseDay(bill.period));
    kwhByMonth.set(m, (kwhByMonth.get(m) ?? 0) + bill.consumption);
  }
  return {
    profile,
    day,
    month,
    lastDueTaxMonth: dayOfMonth > 15 ? month - 1 : month - 2,
    salesByMonth,
    purchasesByMonth,
    kwhByMonth,
    statusAtT: profile.enterprise.status,
    registeredCapitalFen: profile.enterprise.registeredCapitalFen,
  };
}

/** The sum of a monthly series over `count` months ending with `last`. */
export function sumMonths(series: Map<number, bigint>, last: number, count: number): bigint {
  let total = 0n;
  for (let m = last - count + 1; m <= last; m++) total += series.get(m) ?? 0n;
  return total;
}

export function yuan(fen: bigint): number {
  return Number(fen) / 100;
}

/** a / b − 1, or null where b is not positive (growth from nothing is undefined, not infinite). */
export function growth(current: bigint | number, base: bigint | number): number | null {
  const b = Number(base);
  return b > 0 ? Number(current) / b - 1 : null;
}

export function ratio(numerator: bigint | number, denominator: bigint | number): number | null {
  const d = Number(denominator);
  return d > 0 ? Number(numerator) / d : null;
}

/** Whole days from one `YYYY-MM-DD` to a day number. */
export function daysSince(date: string, day: number): number {
  return day - parseDay(date);
}

/** Whole calendar months from a `YYYY-MM-DD` to T (a month counts once its day is reached). */
export function monthsSince(date: string, input: FeatureInput): number {
  const from = parseDay(date);
  const months = input.month - monthOfDay(from);
  return Number(input.profile.asOfDay.slice(8, 10)) >= Number(date.slice(8, 10)) ? months : months - 1;
}
