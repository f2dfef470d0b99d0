import fc from 'fast-check';
import { craftProfile, daysBefore, monthBefore, salesMonths } from '../../../test/support/profile.js';
import type { ProfileAsOf } from '../../store/profiles-as-of.js';
import { FEATURES, FEATURES_BY_NAME, SOURCES } from './catalog.js';
import { computeFeatures } from './compute.js';

const value = (profile: ProfileAsOf, name: string) => {
  if (!FEATURES_BY_NAME.has(name)) throw new Error(`no feature ${name}`);
  return computeFeatures(profile).values.find((item) => item.name === name)!.value;
};
const person = (id: string, type: 'SHAREHOLDER' | 'LEGAL_REPRESENTATIVE', shareRatio: number | null, validFrom: string | null = null) => ({
  type,
  fromPersonId: id,
  fromEnterpriseId: null,
  shareRatio,
  validFrom,
});
const vat = (monthsBack: number, paidYuan: number, extra: Partial<ProfileAsOf['taxFilings'][number]> = {}) => {
  const start = monthBefore(monthsBack);
  const end = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 0)).toISOString().slice(0, 10);
  return { taxType: 'VAT' as const, periodStart: start, periodEnd: end, declaredRevenueFen: 80_000n * 100n, taxPaidFen: BigInt(paidYuan * 100), late: false, zeroFiling: false, ...extra };
};
const kwhBill = (monthsBack: number, kwh: number, extra: Partial<ProfileAsOf['utilityBills'][number]> = {}) => ({
  utility: 'ELECTRICITY' as const,
  period: monthBefore(monthsBack),
  consumption: kwh,
  billedFen: 100_00n,
  dueOn: daysBefore(monthsBack * 30 - 20),
  paidOn: daysBefore(monthsBack * 30 - 15),
  ...extra,
});

describe('the feature catalog', () => {
  it('has at least 30 features, each named once, described, with a unit, a version and a stable reason code', () => {
    expect(FEATURES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
    expect(new Set(FEATURES.map((f) => f.reason.code)).size).toBe(FEATURES.length);
    for (const feature of FEATURES) {
      expect(feature.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(feature.description.length).toBeGreaterThan(20);
      expect(feature.version).toBeGreaterThanOrEqual(1);
      for (const source of feature.sources) expect(SOURCES).toContain(source);
      expect(feature.reason.text(1)).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
    }
    // Every source feeds some feature.
    for (const source of SOURCES) expect(FEATURES.some((f) => f.sources.includes(source))).toBe(true);
  });
});

describe('registry features', () => {
  it('counts months in business and reads status and capital from the record as the hub knew it at T', () => {
    expect(value(craftProfile(), 'months_in_business')).toBe(78);
    expect(value(craftProfile({ enterprise: { establishedOn: '2020-05-21', status: 'ACTIVE', registeredCapitalFen: null } }), 'months_in_business')).toBe(77);
    expect(value(craftProfile(), 'registered_capital')).toBe(5_000_000);
    expect(value(craftProfile(), 'status_active')).toBe(1);
    const revoked = craftProfile({ enterprise: { establishedOn: '2020-05-20', status: 'REVOKED', registeredCapitalFen: 800_000_000n } });
    expect(value(revoked, 'registered_capital')).toBe(8_000_000);
    expect(value(revoked, 'status_active')).toBe(0);
    // The changes are events, not the record: the record's version at T says what was true then.
    const changed = craftProfile({
      registryChanges: [{ field: 'STATUS', before: '存续（在营、开业、在册）', after: '吊销，未注销', changedOn: daysBefore(10) }],
    });
    expect(value(changed, 'status_active')).toBe(1);
  });

  it('counts open abnormal-operations listings and recent changes by kind and window', () => {
    const profile = craftProfile({
      abnormalOperations: [
        { listedOn: daysBefore(100), removedOn: null },
        { listedOn: daysBefore(300), removedOn: daysBefore(200) },
      ],
      registryChanges: [
        { field: 'LEGAL_REPRESENTATIVE', before: '张三', after: '李四', changedOn: daysBefore(800) },
        { field: 'LEGAL_REPRESENTATIVE', before: '李四', after: '王五', changedOn: daysBefore(100) },
        { field: 'NAME', before: '甲', after: '乙', changedOn: daysBefore(150) },
        { field: 'SHAREHOLDER', before: null, after: '赵六', changedOn: daysBefore(190) },
      ],
    });
    expect(value(profile, 'abnormal_operations_open')).toBe(1);
    expect(value(profile, 'legal_rep_changes_24m')).toBe(1);
    expect(value(profile, 'registry_changes_12m')).toBe(3);
    expect(value(profile, 'name_change_6m')).toBe(1);
    expect(value(profile, 'shareholder_changes_6m')).toBe(0);
  });

  it("measures the legal representative's tenure and own shareholding", () => {
    const profile = craftProfile({
      relations: [person('p1', 'LEGAL_REPRESENTATIVE', null, '2025-11-20'), person('p1', 'SHAREHOLDER', 0.35), person('p2', 'SHAREHOLDER', 0.65)],
    });
    expect(value(profile, 'legal_rep_tenure_months')).toBe(12);
    expect(value(profile, 'legal_rep_share')).toBeCloseTo(0.35);
    expect(value(craftProfile(), 'legal_rep_share')).toBe(0);
  });
});

describe('invoice features', () => {
  const months = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 50, 100, 150, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];

  it('sums sales over 3, 6 and 12 full months and compares them with a year earlier', () => {
    const profile = craftProfile({ invoiceMonths: salesMonths(months) });
    expect(value(profile, 'invoice_sales_3m')).toBe(600);
    expect(value(profile, 'invoice_sales_6m')).toBe(2100);
    expect(value(profile, 'invoice_sales_12m')).toBe(7800);
    expect(value(profile, 'invoice_sales_growth_yoy_3m')).toBeCloseTo(600 / 300 - 1);
    expect(value(profile, 'invoice_sales_growth_yoy_6m')).toBeCloseTo(2100 / 1800 - 1);
    expect(value(profile, 'invoice_sales_growth_yoy_12m')).toBeCloseTo(7800 / 7500 - 1);
    expect(value(profile, 'invoice_last3_share_of_12m')).toBeCloseTo(600 / 7800);
    expect(value(profile, 'invoice_latest_vs_prior3')).toBeCloseTo(100 / 300);
    expect(value(profile, 'invoicing_months_24m')).toBe(24);
  });

  it('gives growth from nothing as null, not infinity, and steady sales no volatility', () => {
    expect(value(craftProfile({ invoiceMonths: salesMonths([100, 100, 100]) }), 'invoice_sales_growth_yoy_3m')).toBeNull();
    expect(value(craftProfile({ invoiceMonths: salesMonths(Array(12).fill(500)) }), 'invoice_sales_volatility_12m')).toBe(0);
    expect(value(craftProfile({ invoiceMonths: salesMonths([0, 1000, ...Array(10).fill(0)]) }), 'invoice_sales_volatility_12m')).toBeCloseTo(Math.sqrt(11));
  });

  it('finds the longest gap between sales invoices, counting the days up to T', () => {
    // One invoice on the 10th of each of the 12 months before November 2026; the last on 10 October.
    expect(value(craftProfile({ invoiceMonths: salesMonths(Array(12).fill(100)) }), 'invoice_longest_gap_days_12m')).toBe(41);
    expect(value(craftProfile({ invoiceMonths: salesMonths([100, 0, 0, 0, ...Array(8).fill(100)]) }), 'invoice_longest_gap_days_12m')).toBe(122);
    // From the window's start to the first invoice counts too.
    expect(value(craftProfile({ invoiceMonths: salesMonths([100, 0, 0, 0, 100]) }), 'invoice_longest_gap_days_12m')).toBe(202);
    expect(value(craftProfile(), 'invoice_longest_gap_days_12m')).toBe(365);
  });

  it('rates red-letter amounts against gross sales and voids against invoices issued', () => {
    const profile = craftProfile({ invoiceMonths: salesMonths(Array(12).fill(950), { redLetterFen: 5000n, voidCount: 1, salesCount: 20 }) });
    expect(value(profile, 'red_letter_rate_12m')).toBeCloseTo(0.05);
    expect(value(profile, 'void_rate_12m')).toBeCloseTo(0.05);
  });

  it('measures buyer concentration, churn of last year’s top ten and the margin over purchases', () => {
    const profile = craftProfile({
      invoiceMonths: salesMonths(Array(12).fill(1000), { purchasesFen: 60_000n }),
      buyers: [
        { buyerUscc: 'A', last12Fen: 500_00n, prior12Fen: 100_00n },
        { buyerUscc: 'B', last12Fen: 300_00n, prior12Fen: 100_00n },
        { buyerUscc: 'C', last12Fen: 200_00n, prior12Fen: 100_00n },
        { buyerUscc: 'D', last12Fen: 0n, prior12Fen: 100_00n },
      ],
    });
    expect(value(profile, 'top_buyer_share_12m')).toBeCloseTo(0.5);
    expect(value(profile, 'buyer_hhi_12m')).toBeCloseTo(0.25 + 0.09 + 0.04);
    expect(value(profile, 'active_buyers_12m')).toBe(3);
    expect(value(profile, 'top10_buyer_churn')).toBeCloseTo(0.25);
    expect(value(profile, 'sales_purchase_margin_12m')).toBeCloseTo(0.4);
  });

  it('counts months since the first sales invoice', () => {
    expect(value(craftProfile({ firstSalesInvoiceOn: '2025-05-20' }), 'months_since_first_sales_invoice')).toBe(18);
    expect(value(craftProfile(), 'months_since_first_sales_invoice')).toBe(0);
  });
});

describe('tax features', () => {
  it('reads the grade now and a year ago as ordinals', () => {
    const profile = craftProfile({
      taxRatings: [
        { year: 2024, grade: 'A', publishedOn: '2025-04-15' },
        { year: 2025, grade: 'C', publishedOn: '2026-04-15' },
      ],
    });
    expect(value(profile, 'tax_grade')).toBe(1);
    expect(value(profile, 'tax_grade_1y_ago')).toBe(4);
    expect(value(profile, 'tax_grade_change_1y')).toBe(-3);
    expect(value(craftProfile(), 'tax_grade')).toBeNull();
  });

  it('sums tax paid and declared revenue over the 12 returns due by T, and counts late, missing and zero months', () => {
    // T is 20 November: October's return was due on the 15th, so the window is November 2025 to October 2026.
    const filings = Array.from({ length: 13 }, (_, i) => vat(i + 1, 1000, { late: i === 2 || i === 5, zeroFiling: i === 3 }));
    const profile = craftProfile({ taxFilings: filings });
    expect(value(profile, 'tax_paid_12m')).toBe(12_000);
    expect(value(profile, 'declared_revenue_12m')).toBe(12 * 80_000);
    expect(value(profile, 'tax_months_late_12m')).toBe(2);
    // 24 months from November 2024: 11 without any return, one with a zero return.
    expect(value(profile, 'tax_months_missing_or_zero_24m')).toBe(12);
    expect(value(craftProfile({ taxFilings: filings.slice(0, 12) }), 'tax_paid_growth_yoy')).toBeNull();
    const twoYears = craftProfile({ taxFilings: Array.from({ length: 24 }, (_, i) => vat(i + 1, i < 12 ? 1200 : 1000)) });
    expect(value(twoYears, 'tax_paid_growth_yoy')).toBeCloseTo(0.2);
  });

  it('on 10 November, before the October return is due, ends the window at September', () => {
    const profile = craftProfile({ asOf: new Date('2026-11-10T00:00:00Z'), asOfDay: '2026-11-10', taxFilings: Array.from({ length: 13 }, (_, i) => vat(i + 1, i === 0 ? 5000 : 1000)) });
    expect(value(profile, 'tax_paid_12m')).toBe(12_000);
  });

  it('adds up outstanding arrears only, and compares invoice sales with declared revenue', () => {
    const profile = craftProfile({
      taxArrears: [
        { amountFen: 500_00n, since: daysBefore(100), status: 'OUTSTANDING' },
        { amountFen: 300_00n, since: daysBefore(300), status: 'SETTLED' },
      ],
      taxFilings: Array.from({ length: 12 }, (_, i) => vat(i + 1, 1000)),
      invoiceMonths: salesMonths(Array(12).fill(100_000)),
    });
    expect(value(profile, 'tax_arrears_outstanding')).toBe(500);
    expect(value(profile, 'invoice_to_declared_ratio_12m')).toBeCloseTo(1.25);
  });
});

describe('judicial and graph features', () => {
  const courtCase = (partyRole: 'DEFENDANT' | 'PLAINTIFF' | 'THIRD_PARTY', status: 'OPEN' | 'CLOSED', cause: string, yuan: number, days: number) => ({
    caseKind: 'CIVIL' as const,
    cause,
    partyRole,
    amountFen: BigInt(yuan * 100),
    filedOn: daysBefore(days),
    status,
  });
  const enforcement = (subject: ProfileAsOf['enforcements'][number]['subject'], status: 'OPEN' | 'CLOSED', listed: boolean, yuan = 20_000) => ({
    subject,
    outstandingFen: BigInt(yuan * 100),
    filedOn: daysBefore(50),
    status,
    dishonestDebtor: listed,
    consumptionRestriction: false,
  });

  it('counts open suits as defendant, their amounts, loan and equity disputes, and suits in 12 months by role', () => {
    const profile = craftProfile({
      courtCases: [
        courtCase('DEFENDANT', 'OPEN', '金融借款合同纠纷', 100_000, 30),
        courtCase('DEFENDANT', 'OPEN', '买卖合同纠纷', 50_000, 400),
        courtCase('DEFENDANT', 'CLOSED', '股权转让纠纷', 70_000, 200),
        courtCase('PLAINTIFF', 'OPEN', '买卖合同纠纷', 10_000, 10),
        courtCase('PLAINTIFF', 'CLOSED', '买卖合同纠纷', 20_000, 100),
        courtCase('THIRD_PARTY', 'OPEN', '民间借贷纠纷', 30_000, 50),
      ],
      invoiceMonths: salesMonths(Array(12).fill(50_000)),
    });
    expect(value(profile, 'lawsuits_open_defendant')).toBe(2);
    expect(value(profile, 'lawsuits_open_defendant_amount')).toBe(150_000);
    expect(value(profile, 'loan_or_equity_disputes_open')).toBe(1);
    expect(value(profile, 'lawsuits_12m')).toBe(2);
    expect(value(profile, 'plaintiff_suits_12m')).toBe(2);
    expect(value(profile, 'third_party_cases_12m')).toBe(1);
    expect(value(profile, 'defendant_claims_12m_to_sales')).toBeCloseTo(170_000 / 600_000);
  });

  it('never counts a suit the enterprise brought, or one it is only a third party to, in an adverse feature', () => {
    const adverse = ['lawsuits_12m', 'lawsuits_open_defendant', 'lawsuits_open_defendant_amount', 'loan_or_equity_disputes_open', 'defendant_claims_12m_to_sales'];
    const roles = fc.array(fc.tuple(fc.constantFrom('PLAINTIFF' as const, 'THIRD_PARTY' as const), fc.constantFrom('OPEN' as const, 'CLOSED' as const), fc.constantFrom('金融借款合同纠纷', '买卖合同纠纷', '股权转让纠纷'), fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 700 })), { maxLength: 8 });
    fc.assert(
      fc.property(roles, (cases) => {
        const base = { invoiceMonths: salesMonths(Array(12).fill(50_000)) };
        const suing = craftProfile({ ...base, courtCases: cases.map(([role, status, cause, amount, days]) => courtCase(role, status, cause, amount, days)) });
        const quiet = craftProfile(base);
        return adverse.every((name) => value(suing, name) === value(quiet, name));
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it('separates enforcement against the enterprise, its legal representative and major shareholders', () => {
    const profile = craftProfile({
      enforcements: [enforcement('ENTERPRISE', 'OPEN', false), enforcement('LEGAL_REPRESENTATIVE', 'OPEN', true), enforcement('MAJOR_SHAREHOLDER', 'CLOSED', true)],
      relatedWithEnforcement: { depth1: 1, depth2: 2 },
    });
    expect(value(profile, 'enforcement_outstanding')).toBe(20_000);
    expect(value(profile, 'dishonest_or_restricted_enterprise')).toBe(0);
    expect(value(profile, 'dishonest_or_restricted_legal_rep')).toBe(1);
    expect(value(profile, 'dishonest_or_restricted_shareholder')).toBe(0);
    expect(value(profile, 'related_with_enforcement_d2')).toBe(3);
  });
});

describe('utility and social-insurance features', () => {
  it('compares electricity use over 3 months with the 3 before, a year before, and the 12-month peak', () => {
    const kwh = [60, 60, 60, 100, 100, 100, 100, 100, 100, 100, 100, 200, 100, 80, 80, 80];
    const profile = craftProfile({ utilityBills: kwh.map((k, i) => kwhBill(i + 1, k)) });
    expect(value(profile, 'electricity_trend_3v3')).toBeCloseTo(180 / 300 - 1);
    expect(value(profile, 'electricity_yoy_3m')).toBeCloseTo(180 / 260 - 1);
    expect(value(profile, 'electricity_latest_vs_peak12')).toBeCloseTo(60 / 200);
    expect(value(profile, 'electricity_kwh_mean_12m')).toBeCloseTo((180 + 800 + 200) / 12);
  });

  it('compares no consumption without an electricity bill in the 13 months before T', () => {
    const old = craftProfile({ utilityBills: Array.from({ length: 12 }, (_, i) => kwhBill(i + 14, 100)) });
    for (const name of ['electricity_kwh_mean_12m', 'electricity_trend_3v3', 'electricity_yoy_3m', 'electricity_latest_vs_peak12']) {
      expect([name, value(old, name)]).toEqual([name, null]);
    }
    expect(value(craftProfile({ utilityBills: [kwhBill(13, 100), kwhBill(14, 50)] }), 'electricity_kwh_mean_12m')).toBeCloseTo(150 / 12);
  });

  it('counts days overdue of unpaid bills at T and late payments in 12 months', () => {
    const profile = craftProfile({
      utilityBills: [
        kwhBill(1, 10, { dueOn: daysBefore(5), paidOn: null }),
        kwhBill(3, 10, { dueOn: daysBefore(70), paidOn: null }),
        kwhBill(4, 10, { dueOn: daysBefore(100), paidOn: daysBefore(90) }),
        kwhBill(5, 10),
      ],
    });
    expect(value(profile, 'utility_days_overdue')).toBe(70);
    expect(value(profile, 'utility_late_payments_12m')).toBe(3);
  });

  it('reads the insured headcount and its change on a year before', () => {
    const months = Array.from({ length: 13 }, (_, i) => ({ month: monthBefore(13 - i), insuredHeadcount: i === 0 ? 8 : 10 }));
    expect(value(craftProfile({ socialInsuranceMonths: months }), 'insured_headcount')).toBe(10);
    expect(value(craftProfile({ socialInsuranceMonths: months }), 'insured_headcount_growth_yoy')).toBeCloseTo(0.25);
  });
});

describe('data coverage', () => {
  it('gives null, not zero, for features of a stale or missing source, and reports coverage and age', () => {
    const stale = new Date(Date.parse('2026-11-20T00:00:00Z') - 50 * 86_400_000);
    const profile = craftProfile({
      lastSeen: { registry: new Date('2026-11-19T00:00:00Z'), tax: stale, invoice: new Date('2026-11-19T00:00:00Z') },
      invoiceMonths: salesMonths(Array(12).fill(100)),
      taxFilings: Array.from({ length: 12 }, (_, i) => vat(i + 1, 1000)),
    });
    const vector = computeFeatures(profile);
    expect(vector.sources).toEqual({ registry: 'CURRENT', tax: 'STALE', court: 'MISSING', invoice: 'CURRENT', utility: 'MISSING', 'social-insurance': 'MISSING' });
    expect(value(profile, 'tax_paid_12m')).toBeNull();
    expect(value(profile, 'invoice_to_declared_ratio_12m')).toBeNull();
    expect(value(profile, 'lawsuits_open_defendant')).toBeNull();
    expect(value(profile, 'dishonest_or_restricted_legal_rep')).toBeNull();
    expect(value(profile, 'invoice_sales_12m')).toBe(1200);
    expect(value(profile, 'data_coverage')).toBeCloseTo(2 / 6);
    expect(value(profile, 'days_since_tax_data')).toBe(50);
    expect(value(profile, 'days_since_court_data')).toBeNull();
  });
});
