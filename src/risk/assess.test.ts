import fc from 'fast-check';
import { craftProfile, daysBefore, monthBefore, salesMonths, withoutSource } from '../../test/support/profile.js';
import type { ProfileAsOf } from '../store/profiles-as-of.js';
import { assess } from './assess.js';
import { sizeLimit } from './limits.js';
import { checkRiskConfig, loadRiskConfig } from './config.js';
import { evaluateRules } from './rules.js';

const config = loadRiskConfig();
const product = (id: string) => config.products.find((p) => p.id === id)!;

/** A sound enterprise: six years old, steady sales and tax, grade A, nothing adverse. */
function soundProfile(overrides: Partial<ProfileAsOf> = {}): ProfileAsOf {
  return craftProfile({
    relations: [{ type: 'LEGAL_REPRESENTATIVE', fromPersonId: 'p1', fromEnterpriseId: null, shareRatio: null, validFrom: '2020-05-20' }],
    taxRatings: [
      { year: 2024, grade: 'A', publishedOn: '2025-04-15' },
      { year: 2025, grade: 'A', publishedOn: '2026-04-15' },
    ],
    taxFilings: Array.from({ length: 24 }, (_, i) => {
      const start = monthBefore(i + 1);
      const end = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return { taxType: 'VAT' as const, periodStart: start, periodEnd: end, declaredRevenueFen: 1_000_000_00n, taxPaidFen: 30_000_00n, late: false, zeroFiling: false };
    }),
    invoiceMonths: salesMonths(Array(24).fill(1_000_000)),
    firstSalesInvoiceOn: '2020-07-01',
    buyers: ['A', 'B', 'C', 'D', 'E'].map((buyerUscc) => ({ buyerUscc, last12Fen: 2_400_000_00n, prior12Fen: 2_400_000_00n })),
    utilityBills: Array.from({ length: 15 }, (_, i) => ({
      utility: 'ELECTRICITY' as const,
      period: monthBefore(i + 1),
      consumption: 10_000,
      billedFen: 8_000_00n,
      dueOn: daysBefore(i * 30 + 5),
      paidOn: daysBefore(i * 30 + 10),
    })),
    socialInsuranceMonths: Array.from({ length: 13 }, (_, i) => ({ month: monthBefore(13 - i), insuredHeadcount: 20 })),
    ...overrides,
  });
}

describe('policy rules', () => {
  it('hit just past each configured threshold and not before it; a null value never hits', () => {
    for (const rule of config.rules.values()) {
      const { feature, op, threshold } = rule.when;
      const step = Math.abs(threshold) > 10 ? 1 : 0.001;
      const hitting = op === '<' ? threshold - step : op === '<=' ? threshold : op === '>' ? threshold + step : threshold;
      const missing = op === '<' ? threshold : op === '<=' ? threshold + step : op === '>' ? threshold : threshold - step;
      const hits = (value: number | null) => evaluateRules([rule], new Map([[feature, value]]), 'ACTIVE').length;
      expect([rule.code, hits(hitting), hits(missing), hits(null)]).toEqual([rule.code, 1, 0, 0]);
    }
  });

  it('refuse, at load, a text that does not show its evidence', () => {
    const rule = config.rules.get('KO_TAX_ARREARS')!;
    const withText = (en: string) => () => checkRiskConfig({ ...config, rules: new Map([...config.rules, [rule.code, { ...rule, text: { ...rule.text, en } }]]) });
    expect(withText('Tax arrears outstanding')).toThrow(/KO_TAX_ARREARS: its texts must show \{value\}/);
    expect(withText('Tax arrears of {value} since {date}')).toThrow(/nothing else in braces/);
    expect(withText('Tax arrears of {value}')).not.toThrow();
  });

  it('say what the evidence shows, in both languages', () => {
    const shown = new Map([
      ['KO_TAX_ARREARS', [12_345.6, 'Tax arrears of ¥12,346 outstanding', '欠税 ¥12,346 未缴']],
      ['KO_SALES_DOWN_30_12M', [-0.456, 'Invoice sales −46% year on year over 12 months, down more than 30%', '近12个月开票销售额同比 −46%，下降超过30%']],
      ['KO_TAX_GRADE_C_D', [0, 'Tax credit grade D', '纳税信用等级为 D']],
      ['KO_UNDER_24_MONTHS', [7, 'In business for 7 months, less than 24', '成立仅 7 个月，不满24个月']],
      ['KO_NOT_ACTIVE', [0, "The enterprise's registered status is revoked: not active", '企业登记状态为吊销，非存续']],
    ] as const);
    for (const [code, [value, en, zh]] of shown) {
      const [hit] = evaluateRules([config.rules.get(code)!], new Map([[config.rules.get(code)!.when.feature, value]]), 'REVOKED');
      expect([code, hit!.text]).toEqual([code, { en, 'zh-CN': zh }]);
    }
    for (const rule of config.rules.values()) {
      const { op, threshold } = rule.when;
      const value = op === '<' ? threshold - 1 : op === '>' ? threshold + 1 : threshold;
      const [hit] = evaluateRules([rule], new Map([[rule.when.feature, value]]), 'CANCELLED');
      expect([rule.code, /[{}]/.test(hit!.text.en + hit!.text['zh-CN'])]).toEqual([rule.code, false]);
    }
  });
});

describe('data sufficiency', () => {
  it('refers a profile with a stale required source to review with no limit or price, naming the source and when it was last heard from', () => {
    const stale = new Date(Date.parse('2026-11-20T00:00:00Z') - 90 * 86_400_000);
    const profile = soundProfile();
    const view = assess({ ...profile, lastSeen: { ...profile.lastSeen, court: stale } }, product('tax-loan'), config);
    expect(view.decision).toBe('REVIEW');
    expect(view.ruleHits.map((hit) => [hit.rule.code, hit.evidence])).toEqual([
      ['DATA_STALE', { sources: [{ source: 'court', state: 'STALE', lastSeenAt: stale.toISOString(), maxAgeDays: 45 }] }],
    ]);
    expect(view.reasonCodes[0]).toMatchObject({ code: 'DATA_STALE', text: { en: 'Sources the product requires are stale: court (last 2026-08-22, at most 45 days old)' } });
    expect(view.reasonCodes[0]!.text['zh-CN']).toContain('司法（最近 2026-08-22，限 45 天）');
    expect([view.recommendedLimitFen, view.pricingRateBps]).toEqual([null, null]);
    expect(view.features.find((f) => f.name === 'lawsuits_open_defendant')!.value).toBeNull();
  });

  it('refers an enterprise the hub has no data on to review, naming every source, and declines on a knockout that holds on the data there is', () => {
    for (const id of ['tax-loan', 'invoice-loan']) {
      const nothing = { ...craftProfile(), lastSeen: {} };
      const view = assess(nothing, product(id), config);
      expect([view.decision, view.recommendedLimitFen, view.pricingRateBps]).toEqual(['REVIEW', null, null]);
      expect(view.ruleHits).toEqual([expect.objectContaining({ evidence: { sources: product(id).requiredSources.map((source) => ({ source, state: 'MISSING' })) } })]);
      expect(view.reasonCodes[0]!.code).toBe('DATA_MISSING');
    }
    const revoked = soundProfile({ enterprise: { establishedOn: '2020-05-20', status: 'REVOKED', registeredCapitalFen: 100_000_000n } });
    const view = assess(withoutSource(revoked, 'tax'), product('tax-loan'), config);
    expect(view.decision).toBe('DECLINE');
    expect(view.reasonCodes.map((reason) => reason.code).slice(0, 2)).toEqual(['KO_NOT_ACTIVE', 'DATA_MISSING']);
  });

  it("takes the registry's 'no record' as a fact of its own: the enterprise not found, referred, not declined as inactive", () => {
    const unknown = soundProfile({ enterprise: { establishedOn: null, status: 'UNVERIFIED', registeredCapitalFen: null } });
    for (const id of ['tax-loan', 'invoice-loan']) {
      const view = assess(unknown, product(id), config);
      expect(view.sources.registry).toBe('NOT_FOUND');
      expect([view.decision, view.recommendedLimitFen]).toEqual(['REVIEW', null]);
      expect(view.ruleHits.map((hit) => hit.rule.code)).toEqual(['ENTERPRISE_NOT_FOUND']);
      expect(view.reasonCodes[0]!.text.en).toBe(`The business registry answered it has no record of this enterprise (USCC ${unknown.uscc}): check the code, or whether the enterprise is registered`);
      expect(view.features.find((f) => f.name === 'status_active')!.value).toBeNull();
    }
  });

  it('never lets a source that is not there turn a decision into an approval or raise a limit', () => {
    const sources = ['registry', 'tax', 'court', 'invoice', 'utility', 'social-insurance'] as const;
    const arbitrary = fc.record({
      sales: fc.array(fc.integer({ min: 0, max: 3_000_000 }), { minLength: 24, maxLength: 24 }),
      kwh: fc.integer({ min: 1000, max: 20_000 }),
      drop: fc.double({ min: 0, max: 0.9, noNaN: true }),
      headcount: fc.integer({ min: 1, max: 60 }),
      late: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitrary, fc.constantFrom(...sources), fc.constantFrom('tax-loan', 'invoice-loan'), (draw, source, id) => {
        const profile = soundProfile({
          invoiceMonths: salesMonths(draw.sales),
          utilityBills: soundProfile().utilityBills.map((bill, i) => ({ ...bill, consumption: i < 3 ? draw.kwh * (1 - draw.drop) : draw.kwh, paidOn: draw.late ? null : bill.paidOn })),
          socialInsuranceMonths: soundProfile().socialInsuranceMonths.map((month, i) => ({ ...month, insuredHeadcount: i < 6 ? draw.headcount : 30 })),
        });
        // Whatever the data said, the profile without one source's is no approval and has no limit.
        const after = assess(withoutSource(profile, source), product(id), config);
        expect([after.decision === 'APPROVE', after.recommendedLimitFen]).toEqual([false, null]);
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });
});

describe('the risk view', () => {
  it('approves a sound enterprise with a limit from its declared revenue and the price of its grade', () => {
    const view = assess(soundProfile(), product('tax-loan'), config);
    expect(view.ruleHits).toEqual([]);
    expect(['A', 'B', 'C']).toContain(view.grade);
    // Steady sales and power, no suits, a long-serving representative: nothing below average but growth.
    expect(view.reasonCodes.map((reason) => reason.code).filter((code) => !/^(INV_YOY|INV_LATEST|UTL_POWER|SI_)/.test(code))).toEqual([]);
    expect(view.decision).toBe(view.grade === 'D' ? 'REVIEW' : 'APPROVE');
    // 12 months × 30,000 yuan of tax paid, times the grade's multiple, capped at 3,000,000.
    const factor = Number(product('tax-loan').limit.factorByGrade[view.grade]);
    expect(view.recommendedLimitFen).toBe(BigInt(Math.min(360_000 * factor, 3_000_000) * 100));
    expect(view.limitComponents.map((component) => component.kind)).toEqual(['PRODUCT_MAXIMUM', 'REVENUE_MULTIPLE', 'AFTER_EXISTING_DEBT', 'GROUP_CAP']);
    expect(view.limitComponents[1]!.text.en).toBe(`12-month tax paid ¥360,000.00 × ${factor} (grade ${view.grade}) = ¥${(360_000 * factor).toLocaleString('en-US')}.00`);
    // The LPR of 2025-05-20 on, the expected loss at a 60% LGD, the operating cost, the capital's return.
    expect(view.pricing).toEqual({ baseRateBps: 300, expectedLossBps: Math.ceil(view.probabilityOfDefault * 0.6 * 10_000), fundingBps: 0, operatingBps: 30, capitalBps: 63, rateBps: 393 + Math.ceil(view.probabilityOfDefault * 0.6 * 10_000) });
    expect(view.pricingRateBps).toBe(view.pricing.rateBps);
    expect(view.model).toEqual({ id: 'sme-general', version: config.scorecards.get('sme-general')!.version });
  });

  it('declines a dishonest debtor, with the knockout first among the reasons and no limit', () => {
    const profile = soundProfile({
      enforcements: [{ subject: 'ENTERPRISE', outstandingFen: 10_000_00n, filedOn: daysBefore(40), status: 'OPEN', dishonestDebtor: true, consumptionRestriction: false }],
    });
    const view = assess(profile, product('invoice-loan'), config);
    expect(view.decision).toBe('DECLINE');
    expect(view.ruleHits.map((hit) => hit.rule.code)).toEqual(expect.arrayContaining(['KO_DISHONEST_ENTERPRISE', 'KO_ENFORCEMENT_OPEN']));
    expect(view.reasonCodes[0]).toMatchObject({ code: 'KO_DISHONEST_ENTERPRISE', feature: 'dishonest_or_restricted_enterprise', contribution: null });
    expect(view.reasonCodes[0]!.text.en).toMatch(/dishonest debtor/);
    expect(view.recommendedLimitFen).toBeNull();
    expect(view.pricingRateBps).toBeNull();
  });

  it('declines when the revenue supports less than the product minimum, saying so', () => {
    // 30% of a year's 96,000 yuan of invoice sales is below the 30,000 minimum.
    const profile = soundProfile({ invoiceMonths: salesMonths(Array(24).fill(8_000)) });
    const view = assess(profile, product('invoice-loan'), config);
    expect(view.decision).toBe('DECLINE');
    expect(view.reasonCodes.map((r) => r.code)).toContain('LIMIT_BELOW_MINIMUM');
  });

  it('sizes limits exactly as the least of their caps: fen times a decimal factor, less existing debt, within the group, rounded down', () => {
    const [tax, invoice] = [product('tax-loan'), product('invoice-loan')];
    const none = { ownLinesFen: 0n, groupLinesFen: 0n, groupEnterprises: 1 };
    expect(sizeLimit(tax, 'B', 123_456_789_01n, none).limitFen).toBe(3_000_000_00n);
    expect(sizeLimit(tax, 'B', 1_234_567_89n, none).limitFen).toBe(3_000_000_00n); // 8 × 1,234,567.89 is above the maximum
    expect(sizeLimit(invoice, 'A', 1_234_567_89n, none).limitFen).toBe(370_000_00n); // 30% = 370,370.36 → 370,000
    expect(sizeLimit(tax, 'A', 9_007_199_254_740_993n, none).limitFen).toBe(3_000_000_00n);
    expect(sizeLimit(tax, 'E', 1_000_000_00n, none)).toEqual({ components: [], limitFen: null });
    expect(sizeLimit(tax, 'C', -5n, none).limitFen).toBe(0n);
    // The bank's open lines come off the multiple; the group's, off the group cap.
    const indebted = sizeLimit(invoice, 'A', 1_234_567_89n, { ownLinesFen: 100_000_00n, groupLinesFen: 100_000_00n, groupEnterprises: 1 });
    expect(indebted.limitFen).toBe(270_000_00n);
    expect(indebted.components.find((c) => c.kind === 'AFTER_EXISTING_DEBT')!.text.en).toBe("¥270,370.36 after this bank's open lines of ¥100,000.00 (other lenders': no credit-report source)");
    const grouped = sizeLimit(invoice, 'A', 1_234_567_89n, { ownLinesFen: 0n, groupLinesFen: 3_900_000_00n, groupEnterprises: 3 });
    expect(grouped.limitFen).toBe(100_000_00n);
    expect(grouped.components.find((c) => c.kind === 'GROUP_CAP')!.text.en).toBe('A group of 3 enterprises under common control: cap ¥4,000,000.00, used ¥3,900,000.00, left ¥100,000.00');
    expect(sizeLimit(invoice, 'A', 1_234_567_89n, { ownLinesFen: 0n, groupLinesFen: 5_000_000_00n, groupEnterprises: 2 }).limitFen).toBe(0n);
  });

  it('recommends the least of the caps shown, never more than any of them, never less than nothing', () => {
    const draw = fc.record({
      grade: fc.constantFrom('A', 'B', 'C', 'D'),
      basis: fc.bigInt({ min: -1_000_00n, max: 100_000_000_00n }),
      own: fc.bigInt({ min: 0n, max: 5_000_000_00n }),
      group: fc.bigInt({ min: 0n, max: 8_000_000_00n }),
      id: fc.constantFrom('tax-loan', 'invoice-loan'),
    });
    fc.assert(
      fc.property(draw, ({ grade, basis, own, group, id }) => {
        const { components, limitFen } = sizeLimit(product(id), grade as 'A', basis, { ownLinesFen: own, groupLinesFen: own + group, groupEnterprises: 2 });
        const least = components.reduce((min, c) => (c.amountFen < min ? c.amountFen : min), components[0]!.amountFen);
        expect(limitFen! >= 0n && components.every((c) => limitFen! <= c.amountFen || limitFen === 0n)).toBe(true);
        expect(least - limitFen! < 1_000_000n || least < 0n).toBe(true); // within a rounding step of the least cap
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('prices the risk: declines where the risk-based rate is above the product cap, never priced at a loss', () => {
    const sound = soundProfile();
    const view = assess(sound, product('tax-loan'), config);
    expect(view.decision).toBe('APPROVE');
    // The same enterprise under a cap below its price: declined, saying why.
    const capped = { ...product('tax-loan'), maxRateBps: view.pricing.rateBps - 1 };
    const refused = assess(sound, capped, config);
    expect([refused.decision, refused.recommendedLimitFen, refused.pricingRateBps]).toEqual(['DECLINE', null, null]);
    expect(refused.pricing).toEqual(view.pricing);
    expect(refused.reasonCodes[0]).toMatchObject({ code: 'PRICE_ABOVE_CAP' });
    expect(refused.reasonCodes[0]!.text.en).toContain(`The risk-based rate of ${(view.pricing.rateBps / 100).toFixed(2)}% is above the product's cap of ${((view.pricing.rateBps - 1) / 100).toFixed(2)}%`);
  });

  it('always gives a decline at least one reason, and the same inputs the same view', () => {
    const arbitraryProfile = fc
      .record({
        sales: fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 24, maxLength: 24 }),
        paid: fc.integer({ min: 0, max: 100_000 }),
        grade: fc.constantFrom('A', 'B', 'M', 'C', 'D'),
        listed: fc.boolean(),
        arrears: fc.integer({ min: 0, max: 50_000 }),
        established: fc.integer({ min: 100, max: 5000 }),
        staleCourt: fc.boolean(),
      })
      .map((draw) =>
        soundProfile({
          enterprise: { establishedOn: daysBefore(draw.established), status: 'ACTIVE', registeredCapitalFen: 100_000_000n },
          invoiceMonths: salesMonths(draw.sales),
          taxFilings: soundProfile().taxFilings.map((f) => ({ ...f, taxPaidFen: BigInt(draw.paid * 100) })),
          taxRatings: [{ year: 2025, grade: draw.grade as 'A', publishedOn: '2026-04-15' }],
          enforcements: draw.listed ? [{ subject: 'LEGAL_REPRESENTATIVE', outstandingFen: 1n, filedOn: daysBefore(10), status: 'OPEN', dishonestDebtor: true, consumptionRestriction: true }] : [],
          taxArrears: draw.arrears > 0 ? [{ amountFen: BigInt(draw.arrears * 100), since: daysBefore(30), status: 'OUTSTANDING' }] : [],
          ...(draw.staleCourt ? { lastSeen: { ...craftProfile().lastSeen, court: new Date('2026-01-01T00:00:00Z') } } : {}),
        }),
      );
    fc.assert(
      fc.property(arbitraryProfile, fc.constantFrom('tax-loan', 'invoice-loan'), (profile, id) => {
        const view = assess(profile, product(id), config);
        if (view.decision === 'DECLINE') expect(view.reasonCodes.length).toBeGreaterThan(0);
        // Scorecard reasons only for what scores below an average enterprise, at most four.
        const scored = view.reasonCodes.filter((reason) => reason.contribution !== null);
        expect(scored.length).toBeLessThanOrEqual(4);
        for (const reason of scored) expect(reason.contribution).toBeGreaterThan(0);
        if (view.decision === 'APPROVE') expect(view.recommendedLimitFen! >= 3_000_000n).toBe(true);
        expect(assess(structuredClone(profile), product(id), config)).toEqual(view);
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });
});
