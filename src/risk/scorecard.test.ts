import { checkRiskConfig, loadRiskConfig, type Scorecard } from './config.js';
import { gradeOf, probabilityOfDefault, scalingOf, score } from './scorecard.js';

const card: Scorecard = {
  id: 'test',
  version: '1',
  scaling: { baseScore: 600, baseOdds: 50, pdo: 20 },
  basePoints: 500,
  characteristics: [
    { feature: 'a', bins: [{ below: 0, points: -20, share: 0.2 }, { below: 10, points: 30, share: 0.5 }, { below: null, points: 60, share: 0.3 }], missingPoints: 10, missingShare: 0.1 },
    { feature: 'b', bins: [{ below: 1, points: 40, share: 0.3 }, { below: null, points: 0, share: 0.7 }], missingPoints: 0, missingShare: 0 },
  ],
  grades: [
    { grade: 'A', maxProbabilityOfDefault: 0.02 },
    { grade: 'B', maxProbabilityOfDefault: 0.04 },
    { grade: 'C', maxProbabilityOfDefault: 0.07 },
    { grade: 'D', maxProbabilityOfDefault: 0.15 },
    { grade: 'E', maxProbabilityOfDefault: 1 },
  ],
};

describe('scorecard scaling', () => {
  it('puts the base score at the base odds and doubles the odds every PDO points', () => {
    const { factor, offset } = scalingOf(card);
    expect(factor).toBeCloseTo(20 / Math.LN2, 10);
    expect(offset).toBeCloseTo(600 - (20 / Math.LN2) * Math.log(50), 10);
    expect(probabilityOfDefault(card, 600)).toBeCloseTo(1 / 51, 12);
    expect(probabilityOfDefault(card, 620)).toBeCloseTo(1 / 101, 12);
    expect(probabilityOfDefault(card, 580)).toBeCloseTo(1 / 26, 12);
    expect(probabilityOfDefault(card, 560)).toBeCloseTo(1 / 13.5, 12);
  });

  it('grades by the first band whose PD bound is not exceeded', () => {
    expect(gradeOf(card, 0.02)).toBe('A');
    expect(gradeOf(card, 0.0201)).toBe('B');
    expect(gradeOf(card, 0.15)).toBe('D');
    expect(gradeOf(card, 0.5)).toBe('E');
  });

  it('adds the points of the bin each value falls in, bins closed below and open above', () => {
    const at = (a: number | null, b: number | null) => score(card, new Map([['a', a], ['b', b]]));
    expect(at(-1, 0).score).toBe(500 - 20 + 40);
    expect(at(0, 0).score).toBe(500 + 30 + 40);
    expect(at(10, 1).score).toBe(500 + 60 + 0);
    expect(at(null, null).score).toBe(500 + 10 + 0);
    const result = at(5, 3);
    expect(result.probabilityOfDefault).toBeCloseTo(probabilityOfDefault(card, 530), 12);
    expect(result.grade).toBe(gradeOf(card, result.probabilityOfDefault));
    expect(result.characteristics).toEqual([
      { feature: 'a', value: 5, points: 30 },
      { feature: 'b', value: 3, points: 0 },
    ]);
  });
});

describe('a missing value', () => {
  const withCard = (scorecard: Scorecard) => {
    const config = loadRiskConfig();
    return () => checkRiskConfig({ ...config, scorecards: new Map([[scorecard.id, scorecard]]), products: config.products.map((product) => ({ ...product, scorecard: scorecard.id })) });
  };
  const real = loadRiskConfig().scorecards.get('sme-general')!;

  it('scores no better than its median bin, on the shipped card and on any card the hub loads', () => {
    expect(withCard(real)).not.toThrow();
    const [first, ...rest] = real.characteristics;
    // The median bin of the first characteristic, and one point above it.
    let seen = 0;
    const median = first!.bins.find((bin) => (seen += bin.share) > 0.5)!;
    expect(withCard({ ...real, characteristics: [{ ...first!, missingPoints: median.points }, ...rest] })).not.toThrow();
    expect(withCard({ ...real, characteristics: [{ ...first!, missingPoints: median.points + 1 }, ...rest] })).toThrow(/scores .* above its median bin's/);
  });
});
