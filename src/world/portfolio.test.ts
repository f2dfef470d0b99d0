import { createHash } from 'node:crypto';
import { INDUSTRIES, REGIONS } from './catalog.js';
import { checkResidentId } from '../profile/resident-id.js';
import { isValidDemoUscc } from './identifiers.js';
import { stableStringify } from '../common/payload-hash.js';
import { countPortfolio, generatePortfolio } from './portfolio.js';
import { FACT_KINDS, type EnterpriseBundle, type Portfolio, type RelationRecord } from './types.js';

const CLOCK = '2026-11-01';
const SIZE = 300;
const portfolio = generatePortfolio({ seed: 20261101, enterprises: SIZE, clock: CLOCK });

const digest = (value: Portfolio) => createHash('sha256').update(stableStringify(value)).digest('hex');
const bundles = portfolio.enterprises;
const allFacts = (bundle: EnterpriseBundle) => FACT_KINDS.flatMap((kind) => bundle[kind] as { externalId: string; observedAt: string }[]);

/** The last version of each fact. */
function current<T extends { externalId: string }>(records: readonly T[]): T[] {
  const last = new Map<string, T>();
  for (const record of records) last.set(record.externalId, record);
  return [...last.values()];
}

describe('determinism', () => {
  it('gives an identical portfolio for the same seed and options', () => {
    const again = generatePortfolio({ seed: 20261101, enterprises: SIZE, clock: CLOCK });
    expect(digest(again)).toBe(digest(portfolio));
    expect(JSON.stringify(again.enterprises.slice(0, 5))).toBe(JSON.stringify(portfolio.enterprises.slice(0, 5)));
  });

  it('gives a different portfolio for another seed', () => {
    const other = generatePortfolio({ seed: 20261102, enterprises: SIZE, clock: CLOCK });
    expect(digest(other)).not.toBe(digest(portfolio));
    const usccs = new Set(bundles.map((b) => b.uscc));
    expect(other.enterprises.filter((b) => usccs.has(b.uscc)).length).toBeLessThan(3);
  });

  it('keeps enterprise i the same whatever the portfolio size, apart from its buyers', () => {
    const small = generatePortfolio({ seed: 20261101, enterprises: 120, clock: CLOCK });
    const withoutBuyers = (bundle: EnterpriseBundle) => ({
      ...bundle,
      invoices: bundle.invoices.map(({ buyerUscc: _buyer, ...rest }) => rest),
    });
    for (let i = 0; i < small.enterprises.length; i++) {
      expect(withoutBuyers(small.enterprises[i]!)).toEqual(withoutBuyers(bundles[i]!));
    }
    const keys = new Set(small.persons.map((p) => p.key));
    expect(portfolio.persons.filter((p) => keys.has(p.key))).toEqual(small.persons);
  });

  it('refuses bad options', () => {
    expect(() => generatePortfolio({ seed: 1, enterprises: 0, clock: CLOCK })).toThrow(RangeError);
    expect(() => generatePortfolio({ seed: 1, enterprises: 10, clock: '2026-11-02' })).toThrow(RangeError);
    expect(() => generatePortfolio({ seed: 1.5, enterprises: 10, clock: CLOCK })).toThrow(RangeError);
  });
});

describe('identities', () => {
  it('gives every enterprise a valid, unique USCC with a listed region, and outside buyers valid ones too', () => {
    const regionCodes = new Set(REGIONS.map((r) => r.code));
    const all = [...bundles.map((b) => b.uscc), ...portfolio.outsideCounterparties.map((c) => c.uscc)];
    for (const uscc of all) expect(isValidDemoUscc(uscc)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    for (const bundle of bundles) {
      expect(regionCodes.has(bundle.regionCode)).toBe(true);
      expect(bundle.uscc.slice(2, 8)).toBe(bundle.regionCode);
      expect(bundle.uscc.charAt(0)).toBe('9');
      expect(bundle.uscc.charAt(1)).toBe(bundle.legalForm === '个体工商户' ? '2' : '1');
      expect(bundle.externalId).toBe(bundle.uscc);
    }
    expect(new Set(bundles.map((b) => b.name)).size).toBe(SIZE);
  });

  it('gives every person a valid, unique ID number', () => {
    const ids = portfolio.persons.map((p) => p.idNumber);
    for (const id of ids) expect(checkResidentId(id)).toEqual({ valid: true, idNumber: id });
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(portfolio.persons.map((p) => p.key)).size).toBe(ids.length);
    for (const person of portfolio.persons) expect(person.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
  });

  it('describes enterprises plausibly', () => {
    const industries = new Set(INDUSTRIES.map((i) => i.code));
    const clockDay = Date.parse(CLOCK);
    let young = 0;
    for (const b of bundles) {
      expect(industries.has(b.industryCode)).toBe(true);
      expect(b.industryCode).toMatch(/^[A-T]\d{4}$/);
      const ageYears = (clockDay - Date.parse(b.establishedOn)) / (365.25 * 86_400_000);
      expect(ageYears).toBeGreaterThanOrEqual(1);
      expect(ageYears).toBeLessThan(21);
      if (ageYears < 2) young++;
      expect(BigInt(b.registeredCapitalFen)).toBeGreaterThan(0n);
      if (b.paidInCapitalFen !== null) expect(BigInt(b.paidInCapitalFen)).toBeLessThanOrEqual(BigInt(b.registeredCapitalFen));
      expect(['有限责任公司', '股份有限公司', '个人独资企业', '个体工商户']).toContain(b.legalForm);
    }
    expect(young / SIZE).toBeGreaterThan(0.04);
    expect(young / SIZE).toBeLessThan(0.25);
    const statuses = new Set(bundles.map((b) => b.status));
    expect(statuses.has('ACTIVE')).toBe(true);
    expect(bundles.filter((b) => b.status === 'ACTIVE').length / SIZE).toBeGreaterThan(0.85);
  });
});

describe('ownership', () => {
  const inForce = (relations: RelationRecord[]) => current(relations).filter((r) => r.validTo === null);

  it('has 1–4 shareholders per enterprise whose ratios sum to exactly 1, and one legal representative', () => {
    for (const b of bundles) {
      const holders = inForce(b.relations).filter((r) => r.type === 'SHAREHOLDER');
      expect(holders.length).toBeGreaterThanOrEqual(1);
      expect(holders.length).toBeLessThanOrEqual(4);
      const units = holders.reduce((sum, r) => sum + Math.round(Number(r.shareRatio) * 10_000), 0);
      expect(units).toBe(10_000);
      for (const r of holders) expect(r.shareRatio).toMatch(/^(0\.\d{4}|1\.0000)$/);
      expect(inForce(b.relations).filter((r) => r.type === 'LEGAL_REPRESENTATIVE')).toHaveLength(1);
    }
  });

  it('shares persons between enterprises and has enterprise shareholders from the portfolio', () => {
    const enterprisesOf = new Map<string, Set<string>>();
    for (const b of bundles) {
      for (const r of b.relations) {
        if (r.from.kind !== 'PERSON') continue;
        const set = enterprisesOf.get(r.from.personKey) ?? new Set();
        set.add(b.uscc);
        enterprisesOf.set(r.from.personKey, set);
      }
    }
    expect(enterprisesOf.size).toBe(portfolio.persons.length);
    const counts = [...enterprisesOf.values()].map((s) => s.size);
    const shared = counts.filter((n) => n >= 2).length / counts.length;
    expect(shared).toBeGreaterThanOrEqual(0.18);
    expect(shared).toBeLessThanOrEqual(0.32);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);

    const usccs = new Set(bundles.map((b) => b.uscc));
    const enterpriseHolders = bundles.flatMap((b) => b.relations.filter((r) => r.from.kind === 'ENTERPRISE'));
    expect(enterpriseHolders.length).toBeGreaterThan(SIZE * 0.05);
    for (const r of enterpriseHolders) expect(r.from.kind === 'ENTERPRISE' && usccs.has(r.from.uscc)).toBe(true);
  });

  it('records changes of legal representative as an ended relation, a new one and a registry change', () => {
    const changed = bundles.filter((b) => b.registryChanges.some((c) => c.field === 'LEGAL_REPRESENTATIVE'));
    expect(changed.length).toBeGreaterThan(SIZE * 0.05);
    for (const b of changed) {
      const change = b.registryChanges.find((c) => c.field === 'LEGAL_REPRESENTATIVE')!;
      const reps = current(b.relations).filter((r) => r.type === 'LEGAL_REPRESENTATIVE');
      expect(reps.find((r) => r.validTo === change.changedOn)).toBeDefined();
      expect(reps.find((r) => r.validFrom === change.changedOn && r.validTo === null)).toBeDefined();
    }
  });
});

describe('provenance and time', () => {
  it('observes nothing at or after the clock, and every fact has an external id', () => {
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;
    const facts = bundles.flatMap((b) => [b as { externalId: string; observedAt: string }, ...allFacts(b)]);
    expect(facts.length).toBeGreaterThan(SIZE * 200);
    expect(facts.filter((f) => !(f.observedAt < portfolio.clockInstant) || !stamp.test(f.observedAt) || f.externalId.length < 6)).toEqual([]);
    expect(portfolio.clockInstant).toBe('2026-11-01T00:00:00.000Z');
    expect(portfolio.months).toHaveLength(36);
    expect(portfolio.months[0]).toBe('2023-11-01');
    expect(portfolio.months[35]).toBe('2026-10-01');
  });

  it('keeps each fact’s versions together, in observation order, and external ids unique per source', () => {
    const seen = new Map<string, Set<string>>();
    const problems: string[] = [];
    let versioned = 0;
    for (const b of bundles) {
      for (const kind of FACT_KINDS) {
        const records = b[kind] as { externalId: string; observedAt: string }[];
        const ids = seen.get(kind) ?? new Set<string>();
        seen.set(kind, ids);
        let previous: { externalId: string; observedAt: string } | null = null;
        for (const record of records) {
          if (previous && previous.externalId === record.externalId) {
            if (record.observedAt < previous.observedAt) problems.push(`${record.externalId} out of order`);
            versioned++;
          } else {
            if (ids.has(record.externalId)) problems.push(`${kind} ${record.externalId} twice`);
            ids.add(record.externalId);
          }
          previous = record;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(versioned).toBeGreaterThan(100);
  });

  it('emits state changes as versions: cases and enforcements that close, arrears settled, listings removed', () => {
    const last = <T extends { externalId: string }>(kind: 'courtCases' | 'enforcements' | 'taxArrears' | 'abnormalOperations') =>
      bundles.flatMap((b) => b[kind] as unknown as T[]);
    const cases = last<{ externalId: string; status: string }>('courtCases');
    const closedLater = cases.filter((c, i) => c.status === 'CLOSED' && cases[i - 1]?.externalId === c.externalId);
    expect(closedLater.length).toBeGreaterThan(0);
    for (const c of closedLater) expect(cases[cases.indexOf(c) - 1]!.status).toBe('OPEN');
    const enforcements = last<{ externalId: string; dishonestDebtor: boolean }>('enforcements');
    expect(enforcements.some((e) => e.dishonestDebtor)).toBe(true);
    expect(enforcements.some((e, i) => e.dishonestDebtor && enforcements[i - 1]?.externalId === e.externalId)).toBe(true);
    const arrears = last<{ externalId: string; status: string }>('taxArrears');
    expect(arrears.some((a) => a.status === 'OUTSTANDING')).toBe(true);
    const listings = last<{ externalId: string; removedOn: string | null }>('abnormalOperations');
    expect(listings.some((a, i) => a.removedOn !== null && listings[i - 1]?.externalId === a.externalId)).toBe(true);
  });
});

describe('money and numbers', () => {
  it('keeps money in integer fen strings and quantities as decimal strings', () => {
    const integer = /^-?\d+$/;
    const amounts = bundles.flatMap((b) => [
      ...b.taxFilings.flatMap((f) => [f.declaredRevenueFen, f.taxPayableFen, f.taxPaidFen, f.lateFeeFen]),
      ...b.utilityBills.flatMap((u) => [u.billedFen, u.paidFen]),
      ...b.invoices.flatMap((i) => [i.netAmountFen, i.taxFen]),
      ...b.socialInsuranceMonths.map((m) => m.contributionsPaidFen),
      ...b.courtCases.flatMap((c) => (c.amountFen === null ? [] : [c.amountFen])),
      ...b.enforcements.flatMap((e) => [e.amountFen, e.outstandingFen]),
      ...b.taxArrears.map((a) => a.amountFen),
    ]);
    expect(amounts.filter((a) => !integer.test(a))).toEqual([]);
    const consumption = bundles.flatMap((b) => b.utilityBills.map((u) => u.consumption));
    expect(consumption.filter((c) => !/^\d+(\.\d{1,3})?$/.test(c))).toEqual([]);
  });

  it('taxes every invoice at its rate, rounded to the fen', () => {
    const rates = new Map(INDUSTRIES.map((i) => [i.code, i.vatRate]));
    const wrong = bundles.flatMap((b) => {
      const rate = b.taxpayerType === 'GENERAL' ? rates.get(b.industryCode)! : 3;
      return b.invoices.filter((i) => {
        const net = Number(i.netAmountFen);
        return Number(i.taxFen) !== Math.sign(net) * Math.round((Math.abs(net) * rate) / 100);
      });
    });
    expect(wrong).toEqual([]);
  });
});

describe('invoices', () => {
  const invoices = bundles.flatMap((b) => b.invoices);

  it('has about 3–4 sales invoices per enterprise and month, numbered uniquely', () => {
    const perMonth = invoices.length / (SIZE * 36);
    expect(perMonth).toBeGreaterThan(2.5);
    expect(perMonth).toBeLessThan(5);
    const keys = new Set(invoices.map((i) => `${i.invoiceCode}-${i.invoiceNumber}`));
    expect(keys.size).toBe(invoices.length);
    const malformed = invoices.filter(
      (i) => !/^\d{10,12}$/.test(i.invoiceCode) || !(i.kind === 'DIGITAL' ? /^\d{20}$/ : /^\d{8}$/).test(i.invoiceNumber),
    );
    expect(malformed).toEqual([]);
    const kinds = new Set(invoices.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['DIGITAL', 'NORMAL', 'SPECIAL']);
  });

  it('sells mostly inside the portfolio, each enterprise to a few regular customers', () => {
    const usccs = new Set(bundles.map((b) => b.uscc));
    const inside = invoices.filter((i) => usccs.has(i.buyerUscc)).length / invoices.length;
    expect(inside).toBeGreaterThan(0.6);
    expect(inside).toBeLessThan(0.98);
    const outside = new Set(portfolio.outsideCounterparties.map((c) => c.uscc));
    expect(invoices.filter((i) => !(usccs.has(i.buyerUscc) || outside.has(i.buyerUscc)) || i.buyerUscc === i.sellerUscc)).toEqual([]);
    const topShares = bundles
      .filter((b) => b.invoices.length > 50)
      .map((b) => {
        const byBuyer = new Map<string, number>();
        for (const i of b.invoices) byBuyer.set(i.buyerUscc, (byBuyer.get(i.buyerUscc) ?? 0) + Number(i.netAmountFen));
        const total = [...byBuyer.values()].reduce((a, v) => a + v, 0);
        return Math.max(...byBuyer.values()) / total;
      });
    expect(topShares.some((s) => s > 0.4)).toBe(true);
    expect(topShares.some((s) => s < 0.3)).toBe(true);
  });

  it('voids some invoices and reverses some with red-letter invoices that point at an earlier one of the seller', () => {
    const voids = invoices.filter((i) => i.status === 'VOID');
    const reds = invoices.filter((i) => i.status === 'RED_LETTER');
    expect(voids.length).toBeGreaterThan(0);
    expect(reds.length).toBeGreaterThan(0);
    expect((voids.length + reds.length) / invoices.length).toBeLessThan(0.05);
    for (const b of bundles) {
      const byNumber = new Map(b.invoices.map((i) => [i.invoiceNumber, i]));
      for (const red of b.invoices.filter((i) => i.status === 'RED_LETTER')) {
        const original = byNumber.get(red.originalInvoiceNumber!)!;
        expect(original).toBeDefined();
        expect(original.status).toBe('NORMAL');
        expect(original.issuedOn <= red.issuedOn).toBe(true);
        expect(Number(red.netAmountFen)).toBeLessThan(0);
        expect(-Number(red.netAmountFen)).toBeLessThanOrEqual(Number(original.netAmountFen));
      }
    }
  });
});

describe('distress', () => {
  const sales = (b: EnterpriseBundle, from: string, to: string) =>
    b.invoices.filter((i) => i.status !== 'VOID' && i.issuedOn >= from && i.issuedOn < to).reduce((sum, i) => sum + Number(i.netAmountFen), 0);
  const ratio = (group: EnterpriseBundle[]) => {
    const established = group.filter((b) => b.establishedOn < '2024-10-01');
    const recent = established.reduce((s, b) => s + sales(b, '2026-05-01', '2026-11-01'), 0);
    const yearBefore = established.reduce((s, b) => s + sales(b, '2025-05-01', '2025-11-01'), 0);
    return recent / yearBefore;
  };
  const distressed = bundles.filter((b) => b.truth.distressed);
  const healthy = bundles.filter((b) => !b.truth.distressed);

  it('puts about 10% of enterprises into distress, starting in the last 18 months', () => {
    expect(Math.abs(distressed.length / SIZE - 0.1)).toBeLessThanOrEqual(0.02);
    const counts = countPortfolio(portfolio);
    expect(counts.distressed).toBe(distressed.length);
    for (const b of distressed) {
      expect(b.truth.distressStartMonth! >= '2025-05-01').toBe(true);
      expect(b.truth.distressStartMonth! < CLOCK).toBe(true);
      expect(b.truth.severity).toBeGreaterThan(0);
    }
    for (const b of healthy) expect(b.truth.distressStartMonth).toBeNull();
    for (const b of bundles) expect(b.truth.healthByMonth).toHaveLength(36);
  });

  it('makes distressed sales in the last 6 months clearly lower than a year earlier, and healthy ones not', () => {
    expect(ratio(distressed)).toBeLessThan(0.7);
    expect(ratio(healthy)).toBeGreaterThan(0.85);
    expect(ratio(healthy)).toBeLessThan(1.3);
  });

  it('shows distress in the other sources too', () => {
    const share = (group: EnterpriseBundle[], predicate: (b: EnterpriseBundle) => boolean) => group.filter(predicate).length / group.length;
    const recentLate = (b: EnterpriseBundle) => b.taxFilings.some((f) => f.late && f.periodEnd >= '2025-06-01');
    expect(share(distressed, recentLate)).toBeGreaterThan(2 * share(healthy, recentLate));
    const defendant = (b: EnterpriseBundle) => b.courtCases.some((c) => c.partyRole === 'DEFENDANT');
    expect(share(distressed, defendant)).toBeGreaterThan(0.8);
    expect(share(healthy, defendant)).toBeLessThan(0.1);
    const overdue = (b: EnterpriseBundle) => b.utilityBills.some((u) => u.daysOverdue > 0);
    expect(share(distressed, overdue)).toBeGreaterThan(2 * share(healthy, overdue));
    const badGrade = (b: EnterpriseBundle) => current(b.taxRatings).some((r) => r.grade === 'C' || r.grade === 'D');
    expect(share(distressed, badGrade)).toBeGreaterThan(share(healthy, badGrade));
    const grades = new Set(bundles.flatMap((b) => b.taxRatings.map((r) => r.grade)));
    expect([...grades].sort()).toEqual(['A', 'B', 'C', 'D', 'M']);
    expect(distressed.some((b) => b.enforcements.some((e) => e.personKey !== null))).toBe(true);
    // Electricity falls with health.
    const kwh = (b: EnterpriseBundle, from: string, to: string) =>
      b.utilityBills.filter((u) => u.utility === 'ELECTRICITY' && u.period >= from && u.period < to).reduce((s, u) => s + Number(u.consumption), 0);
    const drop = (group: EnterpriseBundle[]) =>
      group.reduce((s, b) => s + kwh(b, '2026-04-01', '2026-10-01'), 0) / group.reduce((s, b) => s + kwh(b, '2025-04-01', '2025-10-01'), 0);
    expect(drop(distressed.filter((b) => b.establishedOn < '2024-10-01'))).toBeLessThan(0.8);
  });

  it('declares about what it invoices, except for a few', () => {
    let close = 0;
    let compared = 0;
    for (const b of healthy) {
      const vat = b.taxFilings.filter((f) => f.taxType === 'VAT' && f.periodStart >= '2025-01-01' && f.periodEnd < '2026-01-01');
      if (vat.length < 4) continue;
      const declared = vat.reduce((s, f) => s + Number(f.declaredRevenueFen), 0);
      const invoiced = sales(b, '2025-01-01', '2026-01-01');
      compared++;
      if (Math.abs(declared / invoiced - 1) < 0.1) close++;
    }
    expect(close / compared).toBeGreaterThan(0.8);
  });
});
