import { formatMonth, monthOfDay, parseDay, parseMonth } from '../common/calendar.js';
import { decimalToFen, fenToDecimal } from '../common/money.js';
import type { EventProfile, ProfileAsOf } from '../store/profiles-as-of.js';
import type { AlertRow, TaxGrade } from '../store/schema.js';
import { GRADES, type Grade } from '../risk/config.js';
import type { SignalConfig } from './config.js';

export type SignalSeverity = AlertRow['severity'];
export type RecommendedAction = AlertRow['recommendedAction'];

/** Something in an enterprise's data that a credit officer should look at, and why. */
export interface Signal {
  code: string;
  severity: SignalSeverity;
  /**
   * What identifies this occurrence (the month that dropped, the case that was filed): seen
   * again on the next refresh, the same key raises no second alert.
   */
  key: string;
  /** The facts behind it, with the source they came from. */
  evidence: Record<string, unknown> & { source: string };
  recommendedAction: RecommendedAction;
}

/** What the detectors need to know of the loan and the book around it. */
export interface LoanContext {
  limitFen: bigint;
  /** The model's grade for the loan's product as the previous refresh saw it (null on the first), and now. */
  grades?: { product: string; previous: Grade | null; current: Grade };
}

/** An enterprise related to the one judged (within the configured depth) that has a CRITICAL alert not resolved. */
export interface RelatedCritical {
  enterpriseId: string;
  uscc: string;
  name: string;
  distance: number;
  /** The related enterprise's alert: its code and signal key. */
  code: string;
  signalKey: string;
}

const ACTION: Record<SignalSeverity, RecommendedAction> = { INFO: 'WATCH', WARNING: 'REDUCE_LIMIT', CRITICAL: 'FREEZE' };
const GRADE_RANK: Record<TaxGrade, number> = { A: 0, B: 1, M: 2, C: 3, D: 4 };
const DAY_MS = 86_400_000;

/** A share as basis points, so comparisons with money stay in integers. */
const bp = (share: number) => BigInt(Math.round(share * 10_000));

/**
 * The early-warning signals of one enterprise: its profile now against the events the previous
 * refresh saw (null on the first), so that "new" means new since then. Pure: the same profiles
 * and configuration always give the same signals, in the same order.
 */
export function detectSignals(previous: EventProfile | null, current: ProfileAsOf, loan: LoanContext, config: SignalConfig): Signal[] {
  return [
    ...invoiceDrop(current, config),
    ...taxGradeDown(previous, current, config),
    ...newEnforcements(previous, current, loan, config),
    ...newLawsuits(previous, current, config),
    ...powerDrop(current, config),
    ...utilityOverdue(current, config),
    ...legalRepresentativeChange(previous, current),
    ...abnormalOperations(previous, current),
    ...scoreGradeDown(current, loan, config),
  ];
}

function signal(code: string, severity: SignalSeverity, key: string, evidence: Signal['evidence'], action = ACTION[severity]): Signal {
  return { code, severity, key: `${code}:${key}`, evidence, recommendedAction: action };
}

/** Last full month's sales against the mean of the three months before it. */
function invoiceDrop(current: ProfileAsOf, config: SignalConfig): Signal[] {
  const lastMonth = monthOfDay(parseDay(current.asOfDay)) - 1;
  const salesOf = (month: number) => current.invoiceMonths.find((m) => parseMonth(m.month) === month)?.salesFen ?? 0n;
  const last = salesOf(lastMonth);
  const trailing = salesOf(lastMonth - 1) + salesOf(lastMonth - 2) + salesOf(lastMonth - 3);
  if (trailing <= 0n) return [];
  // last ≤ mean × (1 − drop), in integers: last × 3 × 10,000 ≤ trailing × (10,000 − drop in bp).
  const fellBy = (share: number) => last * 3n * 10_000n <= trailing * (10_000n - bp(share));
  const severity = fellBy(config.invoiceDrop.criticalDrop) ? 'CRITICAL' : fellBy(config.invoiceDrop.warningDrop) ? 'WARNING' : null;
  if (!severity) return [];
  const mean = trailing / 3n;
  return [
    signal('INVOICE_SALES_DROP', severity, formatMonth(lastMonth), {
      source: 'invoice',
      month: formatMonth(lastMonth),
      sales: fenToDecimal(last),
      trailingThreeMonthMean: fenToDecimal(mean),
      drop: Number(((trailing - last * 3n) * 10_000n) / trailing) / 10_000,
    }),
  ];
}

function latestGrade(profile: EventProfile | null) {
  if (!profile || profile.taxRatings.length === 0) return null;
  return profile.taxRatings.reduce((latest, rating) => (rating.year > latest.year ? rating : latest));
}

/** The latest tax credit grade fell to a watched grade since the previous refresh. */
function taxGradeDown(previous: EventProfile | null, current: ProfileAsOf, config: SignalConfig): Signal[] {
  const now = latestGrade(current);
  if (!now) return [];
  const before = latestGrade(previous);
  if (before && GRADE_RANK[now.grade] <= GRADE_RANK[before.grade]) return [];
  const severity = config.taxGrade.criticalGrades.includes(now.grade) ? 'CRITICAL' : config.taxGrade.warningGrades.includes(now.grade) ? 'WARNING' : null;
  if (!severity) return [];
  return [signal('TAX_GRADE_DOWN', severity, `${now.year}:${now.grade}`, { source: 'tax', year: now.year, grade: now.grade, previousGrade: before?.grade ?? null, publishedOn: now.publishedOn })];
}

/**
 * An open enforcement, dishonest-debtor or consumption-restriction listing against the
 * enterprise, its legal representative or a shareholder of 20% or more, new since the previous
 * refresh; a flag added to a known case is new too.
 */
function newEnforcements(previous: EventProfile | null, current: ProfileAsOf, loan: LoanContext, config: SignalConfig): Signal[] {
  const keyOf = (e: ProfileAsOf['enforcements'][number]) => `${e.subject}:${e.filedOn}:${e.dishonestDebtor ? 'D' : ''}${e.consumptionRestriction ? 'R' : ''}`;
  const known = new Set((previous?.enforcements ?? []).filter((e) => e.status === 'OPEN').map(keyOf));
  return current.enforcements
    .filter((e) => e.status === 'OPEN' && !known.has(keyOf(e)))
    .map((e) => {
      const evidence = {
        source: 'court',
        subject: e.subject,
        filedOn: e.filedOn,
        outstanding: fenToDecimal(e.outstandingFen),
        dishonestDebtor: e.dishonestDebtor,
        consumptionRestriction: e.consumptionRestriction,
      };
      if (e.dishonestDebtor) return signal('DISHONEST_DEBTOR', 'CRITICAL', keyOf(e), evidence, 'RECALL');
      const large = e.outstandingFen * 10_000n > loan.limitFen * bp(config.enforcement.criticalShareOfLimit);
      return signal('ENFORCEMENT', large || e.consumptionRestriction ? 'CRITICAL' : 'WARNING', keyOf(e), evidence);
    });
}

/** A suit against the enterprise from the configured claim up, new since the previous refresh. */
function newLawsuits(previous: EventProfile | null, current: ProfileAsOf, config: SignalConfig): Signal[] {
  const keyOf = (c: ProfileAsOf['courtCases'][number]) => `${c.filedOn}:${c.cause}:${c.amountFen ?? ''}`;
  const known = new Set((previous?.courtCases ?? []).map(keyOf));
  const minimum = decimalToFen(config.lawsuit.minAmount);
  const lastMonth = monthOfDay(parseDay(current.asOfDay)) - 1;
  const sales12m = current.invoiceMonths.filter((m) => parseMonth(m.month) > lastMonth - 12 && parseMonth(m.month) <= lastMonth).reduce((sum, m) => sum + m.salesFen, 0n);
  return current.courtCases
    .filter((c) => c.partyRole === 'DEFENDANT' && c.status === 'OPEN' && c.amountFen !== null && c.amountFen >= minimum && !known.has(keyOf(c)))
    .map((c) => {
      const critical = sales12m > 0n && c.amountFen! * 10_000n > sales12m * bp(config.lawsuit.criticalShareOfSales12m);
      return signal('LAWSUIT_AS_DEFENDANT', critical ? 'CRITICAL' : 'WARNING', keyOf(c), {
        source: 'court',
        filedOn: c.filedOn,
        cause: c.cause,
        claim: fenToDecimal(c.amountFen!),
        sales12m: fenToDecimal(sales12m),
      });
    });
}

/** Electricity of the latest billed month against the same month a year before. */
function powerDrop(current: ProfileAsOf, config: SignalConfig): Signal[] {
  const byMonth = new Map<number, number>();
  for (const bill of current.utilityBills) {
    if (bill.utility !== 'ELECTRICITY') continue;
    const month = monthOfDay(parseDay(bill.period));
    byMonth.set(month, (byMonth.get(month) ?? 0) + bill.consumption);
  }
  if (byMonth.size === 0) return [];
  const latest = Math.max(...byMonth.keys());
  const now = byMonth.get(latest)!;
  const yearBefore = byMonth.get(latest - 12);
  if (!yearBefore || yearBefore <= 0) return [];
  const drop = 1 - now / yearBefore;
  // In basis points, so whole kWh meet the threshold exactly.
  const fellBy = (share: number) => now * 10_000 <= yearBefore * (10_000 - Math.round(share * 10_000));
  const severity = fellBy(config.powerDrop.criticalDrop) ? 'CRITICAL' : fellBy(config.powerDrop.warningDrop) ? 'WARNING' : null;
  if (!severity) return [];
  return [
    signal('POWER_DROP', severity, formatMonth(latest), {
      source: 'utility',
      month: formatMonth(latest),
      kwh: now,
      kwhYearBefore: yearBefore,
      drop: Math.round(drop * 10_000) / 10_000,
    }),
  ];
}

/** A utility bill still unpaid the configured number of days past its due date. */
function utilityOverdue(current: ProfileAsOf, config: SignalConfig): Signal[] {
  const today = Date.parse(`${current.asOfDay}T00:00:00Z`);
  return current.utilityBills
    .filter((bill) => bill.paidOn === null && (today - Date.parse(`${bill.dueOn}T00:00:00Z`)) / DAY_MS >= config.utilityOverdue.warningDays)
    .map((bill) =>
      signal('UTILITY_OVERDUE', 'WARNING', `${bill.utility}:${bill.period}`, {
        source: 'utility',
        utility: bill.utility,
        period: bill.period,
        billed: fenToDecimal(bill.billedFen),
        dueOn: bill.dueOn,
        daysOverdue: Math.floor((today - Date.parse(`${bill.dueOn}T00:00:00Z`)) / DAY_MS),
      }),
    );
}

function legalRepresentative(profile: EventProfile): string | null {
  return profile.relations.find((r) => r.type === 'LEGAL_REPRESENTATIVE' && r.fromPersonId !== null)?.fromPersonId ?? null;
}

/** The legal representative is someone else than at the previous refresh. */
function legalRepresentativeChange(previous: EventProfile | null, current: ProfileAsOf): Signal[] {
  const before = previous && legalRepresentative(previous);
  const now = legalRepresentative(current);
  if (!before || !now || before === now) return [];
  return [signal('LEGAL_REPRESENTATIVE_CHANGED', 'WARNING', now, { source: 'registry', previousPersonId: before, personId: now })];
}

/** A listing for abnormal operations that the previous refresh did not see. */
function abnormalOperations(previous: EventProfile | null, current: ProfileAsOf): Signal[] {
  const known = new Set((previous?.abnormalOperations ?? []).map((listing) => listing.listedOn));
  return current.abnormalOperations
    .filter((listing) => listing.removedOn === null && !known.has(listing.listedOn))
    .map((listing) => signal('ABNORMAL_OPERATIONS', 'WARNING', listing.listedOn, { source: 'registry', listedOn: listing.listedOn }));
}

/** The model's grade for the loan's product fell by a grade or more since the previous refresh. */
function scoreGradeDown(current: ProfileAsOf, loan: LoanContext, config: SignalConfig): Signal[] {
  if (!loan.grades?.previous) return [];
  const { product, previous, current: now } = loan.grades;
  const fell = GRADES.indexOf(now) - GRADES.indexOf(previous);
  if (fell < 1) return [];
  const severity = fell >= config.scoreGrade.criticalDrop || now === GRADES.at(-1) ? 'CRITICAL' : 'WARNING';
  return [signal('SCORE_GRADE_DOWN', severity, `${product}:${current.asOfDay.slice(0, 7)}:${previous}>${now}`, { source: 'model', product, previousGrade: previous, grade: now, grades: fell })];
}

/**
 * Related enterprises with a CRITICAL alert: trouble travels along shareholdings and shared
 * people. Judged once a sweep has raised every enterprise's own alerts, not with the others.
 */
export function relatedCriticalAlerts(relatedCritical: readonly RelatedCritical[]): Signal[] {
  return relatedCritical.map((related) =>
    signal('RELATED_CRITICAL_ALERT', 'WARNING', `${related.uscc}:${related.signalKey}`, { source: 'monitoring', relatedUscc: related.uscc, relatedName: related.name, distance: related.distance, alertCode: related.code }, 'WATCH'),
  );
}
