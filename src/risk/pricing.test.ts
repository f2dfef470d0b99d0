import fc from 'fast-check';
import { loadRiskConfig } from './config.js';
import { price } from './pricing.js';

const { pricing } = loadRiskConfig();

describe('risk-based pricing', () => {
  it('takes the loan prime rate in force on the day, and the spreads on top', () => {
    expect(price(pricing, 0.01, '2025-05-19')).toEqual({ baseRateBps: 310, expectedLossBps: 60, fundingBps: 0, operatingBps: 30, capitalBps: 63, rateBps: 463 });
    expect(price(pricing, 0.01, '2025-05-20').baseRateBps).toBe(300);
    // Before the series starts, its first rate.
    expect(price(pricing, 0.01, '2020-01-01').baseRateBps).toBe(310);
  });

  it('always covers the expected loss and the costs, and rises with the risk', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const p = price(pricing, low, '2026-11-01');
        expect(p.rateBps).toBe(p.baseRateBps + p.expectedLossBps + p.fundingBps + p.operatingBps + p.capitalBps);
        // Whole basis points, rounded up (past a float's last digits).
        expect(p.expectedLossBps).toBeGreaterThanOrEqual(low * 0.6 * 10_000 - 1e-6);
        expect(price(pricing, high, '2026-11-01').rateBps).toBeGreaterThanOrEqual(p.rateBps);
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });
});
