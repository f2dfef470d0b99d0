import { drawOutcomes, monthlyHazard } from './outcomes.js';
import { generatePortfolio } from './portfolio.js';

describe('the demo ground truth', () => {
  const portfolio = generatePortfolio({ seed: 11, enterprises: 400, clock: '2026-11-01' });

  it('draws defaults from each enterprise’s hidden health: rare when healthy, common in distress', () => {
    const outcomes = drawOutcomes(portfolio, '2025-11-01');
    const truth = new Map(portfolio.enterprises.map((e) => [e.uscc, e.truth]));
    const rate = (list: typeof outcomes) => list.filter((o) => o.defaulted).length / list.length;
    const distressed = outcomes.filter((o) => truth.get(o.uscc)!.distressed);
    const healthy = outcomes.filter((o) => !truth.get(o.uscc)!.distressed);
    expect(rate(outcomes)).toBeGreaterThan(0.02);
    expect(rate(outcomes)).toBeLessThan(0.15);
    expect(rate(distressed)).toBeGreaterThan(4 * rate(healthy));
    for (const outcome of outcomes.filter((o) => o.defaulted)) {
      expect(outcome.defaultMonth! >= '2025-11-01' && outcome.defaultMonth! < '2026-11-01').toBe(true);
    }
  });

  it('leaves out enterprises not yet established at the decision, and is deterministic', () => {
    const outcomes = drawOutcomes(portfolio, '2025-11-01');
    const established = new Map(portfolio.enterprises.map((e) => [e.uscc, e.establishedOn]));
    expect(outcomes.every((o) => established.get(o.uscc)! < '2025-11-01')).toBe(true);
    expect(drawOutcomes(portfolio, '2025-11-01')).toEqual(outcomes);
  });

  it('refuses a decision date without twelve months of history after it', () => {
    expect(() => drawOutcomes(portfolio, '2026-01-01')).toThrow(/12 months of history after it/);
    expect(monthlyHazard(1)).toBeCloseTo(0.0012);
    expect(monthlyHazard(0.02)).toBeGreaterThan(0.14);
  });
});
