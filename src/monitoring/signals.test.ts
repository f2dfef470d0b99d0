import { craftProfile, daysBefore, monthBefore, salesMonths } from '../../test/support/profile.js';
import type { Grade } from '../risk/config.js';
import type { ProfileAsOf } from '../store/profiles-as-of.js';
import { loadSignalConfig, signalConfigSchema } from './config.js';
import { detectSignals, relatedCriticalAlerts, type Signal } from './signals.js';

/** Each detector at its threshold: it fires just past it, not just before. */
const config = loadSignalConfig();
const loan = { limitFen: 100_000_000n }; // a line of 1,000,000.00
const codes = (signals: Signal[]) => signals.map((s) => `${s.code}/${s.severity}`);
const detect = (current: Partial<ProfileAsOf>, previous: Partial<ProfileAsOf> | null = {}) =>
  detectSignals(previous === null ? null : craftProfile(previous), craftProfile(current), loan, config);

describe('invoice sales against the prior three months', () => {
  it.each([
    [70.01, []],
    [70, ['INVOICE_SALES_DROP/WARNING']],
    [50.01, ['INVOICE_SALES_DROP/WARNING']],
    [50, ['INVOICE_SALES_DROP/CRITICAL']],
    [0, ['INVOICE_SALES_DROP/CRITICAL']],
  ])('last month at %s against a mean of 100 gives %j', (last, expected) => {
    expect(codes(detect({ invoiceMonths: salesMonths([last, 90, 100, 110]) }))).toEqual(expected);
  });

  it('names the month, the figures and the drop, keyed by the month', () => {
    const [found] = detect({ invoiceMonths: salesMonths([60, 90, 100, 110]) });
    expect(found).toEqual({
      code: 'INVOICE_SALES_DROP',
      severity: 'WARNING',
      key: `INVOICE_SALES_DROP:${monthBefore(1)}`,
      evidence: { source: 'invoice', month: monthBefore(1), sales: '60.00', trailingThreeMonthMean: '100.00', drop: 0.4 },
      recommendedAction: 'REDUCE_LIMIT',
    });
  });

  it('stays quiet without a trailing baseline', () => {
    expect(detect({ invoiceMonths: salesMonths([0, 0, 0, 0]) })).toEqual([]);
  });
});

describe('tax credit grade', () => {
  const rating = (grade: 'A' | 'B' | 'M' | 'C' | 'D', year = 2026) => ({ taxRatings: [{ year, grade, publishedOn: `${year}-04-15` }] });
  it.each([
    ['B', 'C', ['TAX_GRADE_DOWN/WARNING']],
    ['B', 'M', ['TAX_GRADE_DOWN/WARNING']],
    ['C', 'D', ['TAX_GRADE_DOWN/CRITICAL']],
    ['A', 'B', []],
    ['C', 'C', []],
    ['D', 'C', []],
  ] as const)('from %s to %s gives %j', (before, now, expected) => {
    expect(codes(detect(rating(now), rating(before)))).toEqual(expected);
  });

  it('counts a newly published year against the previous one', () => {
    expect(codes(detect({ taxRatings: [...rating('B', 2025).taxRatings, ...rating('D', 2026).taxRatings] }, rating('B', 2025)))).toEqual(['TAX_GRADE_DOWN/CRITICAL']);
  });
});

describe('enforcement', () => {
  const enforcement = (outstandingFen: bigint, flags: { dishonestDebtor?: boolean; consumptionRestriction?: boolean } = {}, subject: 'ENTERPRISE' | 'LEGAL_REPRESENTATIVE' = 'ENTERPRISE') => ({
    subject,
    outstandingFen,
    filedOn: daysBefore(10),
    status: 'OPEN' as const,
    dishonestDebtor: false,
    consumptionRestriction: false,
    ...flags,
  });

  it('is a warning up to 10% of the line outstanding, critical past it', () => {
    expect(codes(detect({ enforcements: [enforcement(10_000_000n)] }))).toEqual(['ENFORCEMENT/WARNING']);
    expect(codes(detect({ enforcements: [enforcement(10_000_001n)] }))).toEqual(['ENFORCEMENT/CRITICAL']);
    expect(codes(detect({ enforcements: [enforcement(1n, { consumptionRestriction: true }, 'LEGAL_REPRESENTATIVE')] }))).toEqual(['ENFORCEMENT/CRITICAL']);
  });

  it('raises a dishonest-debtor listing as critical with a recall, also on a case already known', () => {
    const known = { enforcements: [enforcement(5_000n)] };
    expect(detect(known, known)).toEqual([]);
    const [listed] = detect({ enforcements: [enforcement(5_000n, { dishonestDebtor: true }, 'ENTERPRISE')] }, known);
    expect(listed).toMatchObject({ code: 'DISHONEST_DEBTOR', severity: 'CRITICAL', recommendedAction: 'RECALL', evidence: { source: 'court', subject: 'ENTERPRISE' } });
  });
});

describe('lawsuits as defendant', () => {
  const suit = (amountFen: bigint, partyRole: 'DEFENDANT' | 'PLAINTIFF' = 'DEFENDANT') => ({
    courtCases: [{ caseKind: 'CIVIL' as const, cause: '买卖合同纠纷', partyRole, amountFen, filedOn: daysBefore(5), status: 'OPEN' as const }],
  });
  // 12-month sales of 1,200,000.00: 20% is 240,000.00.
  const sales = { invoiceMonths: salesMonths(Array.from({ length: 12 }, () => 100_000)) };

  it('fire from the configured claim, critical above 20% of 12-month sales', () => {
    expect(codes(detect({ ...sales, ...suit(9_999_999n) }))).toEqual([]);
    expect(codes(detect({ ...sales, ...suit(10_000_000n) }))).toEqual(['LAWSUIT_AS_DEFENDANT/WARNING']);
    expect(codes(detect({ ...sales, ...suit(24_000_000n) }))).toEqual(['LAWSUIT_AS_DEFENDANT/WARNING']);
    expect(codes(detect({ ...sales, ...suit(24_000_001n) }))).toEqual(['LAWSUIT_AS_DEFENDANT/CRITICAL']);
  });

  it('ignore suits the enterprise brings, and suits already seen', () => {
    expect(detect({ ...sales, ...suit(50_000_000n, 'PLAINTIFF') })).toEqual([]);
    expect(detect({ ...sales, ...suit(50_000_000n) }, { ...sales, ...suit(50_000_000n) })).toEqual([]);
  });
});

describe('electricity year on year', () => {
  const bills = (now: number, yearBefore: number) => ({
    utilityBills: [
      { utility: 'ELECTRICITY' as const, period: monthBefore(13), consumption: yearBefore, billedFen: 100_00n, dueOn: daysBefore(380), paidOn: daysBefore(385) },
      { utility: 'ELECTRICITY' as const, period: monthBefore(1), consumption: now, billedFen: 100_00n, dueOn: daysBefore(5), paidOn: daysBefore(6) },
    ],
  });
  it.each([
    [601, []],
    [600, ['POWER_DROP/WARNING']],
    [401, ['POWER_DROP/WARNING']],
    [400, ['POWER_DROP/CRITICAL']],
  ])('%s kWh against 1,000 a year before gives %j', (now, expected) => {
    expect(codes(detect(bills(now, 1000)))).toEqual(expected);
  });
});

describe('utility bills overdue', () => {
  const bill = (dueDaysAgo: number, paidOn: string | null = null) => ({
    utilityBills: [{ utility: 'WATER' as const, period: monthBefore(3), consumption: 30, billedFen: 12_345n, dueOn: daysBefore(dueDaysAgo), paidOn }],
  });
  it('fire from 60 days past due, unpaid', () => {
    expect(detect(bill(59))).toEqual([]);
    expect(codes(detect(bill(60)))).toEqual(['UTILITY_OVERDUE/WARNING']);
    expect(detect(bill(90, daysBefore(1)))).toEqual([]);
    expect(detect(bill(90))[0]!.evidence).toMatchObject({ source: 'utility', billed: '123.45', daysOverdue: 90 });
  });
});

describe('registry', () => {
  const representative = (personId: string) => ({
    relations: [{ type: 'LEGAL_REPRESENTATIVE' as const, fromPersonId: personId, fromEnterpriseId: null, shareRatio: null, validFrom: '2020-05-20' }],
  });

  it('notices a new legal representative, not a first sighting', () => {
    expect(codes(detect(representative('2'), representative('1')))).toEqual(['LEGAL_REPRESENTATIVE_CHANGED/WARNING']);
    expect(detect(representative('1'), representative('1'))).toEqual([]);
    expect(detect(representative('2'), null)).toEqual([]);
  });

  it('notices a new abnormal-operations listing while it stands', () => {
    const listed = { abnormalOperations: [{ listedOn: daysBefore(3), removedOn: null }] };
    expect(codes(detect(listed))).toEqual(['ABNORMAL_OPERATIONS/WARNING']);
    expect(detect(listed, listed)).toEqual([]);
    expect(detect({ abnormalOperations: [{ listedOn: daysBefore(3), removedOn: daysBefore(1) }] })).toEqual([]);
  });
});

describe("the model's grade", () => {
  const graded = (previous: Grade | null, current: Grade) => detectSignals(craftProfile({}), craftProfile({}), { ...loan, grades: { product: 'invoice-loan', previous, current } }, config);
  it.each([
    ['B', 'B', []],
    ['C', 'B', []],
    ['B', 'C', ['SCORE_GRADE_DOWN/WARNING']],
    ['B', 'D', ['SCORE_GRADE_DOWN/CRITICAL']],
    ['D', 'E', ['SCORE_GRADE_DOWN/CRITICAL']],
  ] as const)('from %s to %s gives %j', (previous, current, expected) => {
    expect(codes(graded(previous, current))).toEqual(expected);
  });

  it('is not compared on a first refresh, and names the product and both grades', () => {
    expect(graded(null, 'E')).toEqual([]);
    expect(graded('A', 'B')[0]).toMatchObject({ recommendedAction: 'REDUCE_LIMIT', evidence: { source: 'model', product: 'invoice-loan', previousGrade: 'A', grade: 'B', grades: 1 } });
  });
});

describe('related enterprises', () => {
  it('each CRITICAL alert of a related enterprise is a signal to watch, once per alert', () => {
    const related = { enterpriseId: '7', uscc: '91320505MA1XXXXXX1', name: '苏州某某有限公司', distance: 2, code: 'DISHONEST_DEBTOR', signalKey: 'DISHONEST_DEBTOR:ENTERPRISE:2026-10-12:D' };
    const found = relatedCriticalAlerts([related]);
    expect(found).toEqual([
      {
        code: 'RELATED_CRITICAL_ALERT',
        severity: 'WARNING',
        key: `RELATED_CRITICAL_ALERT:${related.uscc}:DISHONEST_DEBTOR:ENTERPRISE:2026-10-12:D`,
        evidence: { source: 'monitoring', relatedUscc: related.uscc, relatedName: related.name, distance: 2, alertCode: 'DISHONEST_DEBTOR' },
        recommendedAction: 'WATCH',
      },
    ]);
  });
});

describe('configuration', () => {
  it('is validated', () => {
    expect(signalConfigSchema.safeParse({ ...config, invoiceDrop: { warningDrop: 1.3, criticalDrop: 0.5 } }).success).toBe(false);
    expect(signalConfigSchema.safeParse({ ...config, lawsuit: { minAmount: 'a lot', criticalShareOfSales12m: 0.2 } }).success).toBe(false);
  });
});
