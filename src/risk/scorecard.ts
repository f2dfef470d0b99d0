import type { Grade, Scorecard } from './config.js';

/**
 * Scoring with a points scorecard scaled by points to double the odds: with
 * factor = PDO / ln 2 and offset = base score − factor × ln(base odds), a score s means
 * good:bad odds of exp((s − offset) / factor), so the probability of default is
 * 1 / (1 + odds). 600 points at 50:1 with PDO 20 puts 620 at 100:1 and 580 at 25:1.
 */
export function scalingOf(scorecard: Pick<Scorecard, 'scaling'>) {
  const factor = scorecard.scaling.pdo / Math.LN2;
  const offset = scorecard.scaling.baseScore - factor * Math.log(scorecard.scaling.baseOdds);
  return { factor, offset };
}

export function probabilityOfDefault(scorecard: Pick<Scorecard, 'scaling'>, score: number): number {
  const { factor, offset } = scalingOf(scorecard);
  return 1 / (1 + Math.exp((score - offset) / factor));
}

export function gradeOf(scorecard: Pick<Scorecard, 'grades'>, pd: number): Grade {
  return scorecard.grades.find((band) => pd <= band.maxProbabilityOfDefault)?.grade ?? 'E';
}

export interface CharacteristicScore {
  feature: string;
  value: number | null;
  /** Relative to an average enterprise: negative points pull the score below it. */
  points: number;
}

export interface ScoreResult {
  score: number;
  probabilityOfDefault: number;
  grade: Grade;
  characteristics: CharacteristicScore[];
}

export function score(scorecard: Scorecard, values: ReadonlyMap<string, number | null>): ScoreResult {
  const characteristics = scorecard.characteristics.map((characteristic) => {
    const value = values.get(characteristic.feature) ?? null;
    const points =
      value === null
        ? characteristic.missingPoints
        : characteristic.bins.find((bin) => bin.below === null || value < bin.below)!.points;
    return { feature: characteristic.feature, value, points };
  });
  // Scores are whole points, as on a printed scorecard; the PD follows from the rounded score.
  const total = Math.round(scorecard.basePoints + characteristics.reduce((sum, c) => sum + c.points, 0));
  const pd = probabilityOfDefault(scorecard, total);
  return { score: total, probabilityOfDefault: pd, grade: gradeOf(scorecard, pd), characteristics };
}
