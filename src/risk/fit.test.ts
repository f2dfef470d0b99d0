import { createRandom } from '../world/index.js';
import { auc, fitScorecard, ks, logisticRegression, type TrainingRow } from './fit.js';
import { score } from './scorecard.js';

const GRADES = [
  { grade: 'A' as const, maxProbabilityOfDefault: 0.02 },
  { grade: 'B' as const, maxProbabilityOfDefault: 0.04 },
  { grade: 'C' as const, maxProbabilityOfDefault: 0.07 },
  { grade: 'D' as const, maxProbabilityOfDefault: 0.15 },
  { grade: 'E' as const, maxProbabilityOfDefault: 1 },
];

/**
 * Synthetic borrowers: default risk falls with sales growth and rises with lawsuits; tax grade
 * is noise; invoice_sales_3m is a near copy of growth; a leaky feature is the outcome itself.
 */
function borrowers(n: number, seed: number): TrainingRow[] {
  const rng = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const growth = rng.normal(0, 0.3);
    const lawsuits = rng.poisson(0.3);
    const logit = -2.7 - 2 * growth + 0.8 * lawsuits;
    const defaulted = rng.next() < 1 / (1 + Math.exp(-logit));
    return {
      id: `e${i}`,
      defaulted,
      values: new Map<string, number | null>([
        ['invoice_sales_growth_yoy_12m', rng.next() < 0.05 ? null : growth],
        ['lawsuits_12m', lawsuits],
        ['tax_grade', rng.int(0, 4)],
        ['invoice_sales_3m', growth * 1000 + rng.normal(0, 100)],
        ['defendant_claims_12m_to_sales', defaulted ? 1 : 0],
      ]),
    };
  });
}

describe('fitting a scorecard', () => {
  const rows = borrowers(6000, 42);
  const options = {
    id: 'test',
    version: '1',
    scaling: { baseScore: 600, baseOdds: 50, pdo: 20 },
    grades: GRADES,
    candidates: ['invoice_sales_growth_yoy_12m', 'lawsuits_12m', 'tax_grade', 'invoice_sales_3m', 'defendant_claims_12m_to_sales'],
    seed: 1,
  };
  const fitted = fitScorecard(rows, options);
  const report = (feature: string) => fitted.report.features.find((f) => f.feature === feature)!;

  it('keeps the informative features, and says why it leaves out noise, near copies and leakage', () => {
    expect(fitted.scorecard.characteristics.map((c) => c.feature).sort()).toEqual(['invoice_sales_growth_yoy_12m', 'lawsuits_12m']);
    expect(report('tax_grade').excluded).toMatch(/under 0.02/);
    expect(report('invoice_sales_3m').excluded).toMatch(/correlated with invoice_sales_growth_yoy_12m/);
    expect(report('defendant_claims_12m_to_sales').excluded).toMatch(/leakage/);
    expect(report('invoice_sales_growth_yoy_12m').iv).toBeGreaterThan(0.1);
  });

  it('bins with monotonic weight of evidence and points that follow it', () => {
    for (const characteristic of fitted.scorecard.characteristics) {
      const woes = characteristic.bins.map((bin) => bin.woe!);
      const rising = woes.every((w, i) => i === 0 || w >= woes[i - 1]!);
      const falling = woes.every((w, i) => i === 0 || w <= woes[i - 1]!);
      expect([characteristic.feature, rising || falling]).toEqual([characteristic.feature, true]);
      const points = characteristic.bins.map((bin) => bin.points);
      expect(points.every((p, i) => i === 0 || (rising ? p >= points[i - 1]! : p <= points[i - 1]!))).toBe(true);
    }
    // More growth, fewer defaults: the points rise with growth.
    const growth = fitted.scorecard.characteristics.find((c) => c.feature === 'invoice_sales_growth_yoy_12m')!;
    expect(growth.bins.at(-1)!.points).toBeGreaterThan(growth.bins[0]!.points);
  });

  it('separates defaults on the held-out split, and its PDs are calibrated to the default rate', () => {
    expect(fitted.report.heldOut.rows + fitted.report.train.rows).toBe(6000);
    expect(fitted.report.heldOut.rows / 6000).toBeCloseTo(0.3, 1);
    // The generating model itself reaches about 0.7 on these draws.
    expect(fitted.report.heldOut.auc).toBeGreaterThan(0.65);
    expect(fitted.report.heldOut.ks).toBeGreaterThan(0.25);
    const meanPd = rows.reduce((sum, row) => sum + score(fitted.scorecard, row.values).probabilityOfDefault, 0) / rows.length;
    const rate = rows.filter((row) => row.defaulted).length / rows.length;
    expect(meanPd).toBeCloseTo(rate, 1);
  });

  it('is deterministic', () => {
    const again = fitScorecard(borrowers(6000, 42), options);
    expect(again).toEqual(fitted);
  });
});

describe('model measures', () => {
  it('computes AUC with ties counted half, and KS as the widest gap', () => {
    const scored = [
      { pd: 0.9, bad: true },
      { pd: 0.8, bad: false },
      { pd: 0.5, bad: true },
      { pd: 0.5, bad: false },
      { pd: 0.1, bad: false },
    ];
    // Bad pairs above good: (0.9 > 0.8, 0.5, 0.1) = 3, (0.5 vs 0.8: 0, vs 0.5: ½, vs 0.1: 1) = 1.5 → 4.5 / 6.
    expect(auc(scored)).toBeCloseTo(4.5 / 6);
    expect(ks(scored)).toBeCloseTo(1 / 2 - 0);
    expect(auc([{ pd: 1, bad: true }, { pd: 0, bad: false }])).toBe(1);
  });

  it('recovers the coefficients of a logistic model', () => {
    const rng = createRandom(3);
    const x = Array.from({ length: 20_000 }, () => rng.normal(0, 1));
    const y = x.map((v) => (rng.next() < 1 / (1 + Math.exp(-(-1 + 2 * v))) ? 1 : 0));
    const fit = logisticRegression([x], y);
    expect(fit.intercept).toBeCloseTo(-1, 1);
    expect(fit.coefficients[0]).toBeCloseTo(2, 1);
  });
});
