import { forkRandom } from '../world/index.js';
import type { Scorecard } from './config.js';
import { score } from './scorecard.js';
import { scalingOf } from './scorecard.js';

/**
 * Fitting a points scorecard the way scorecard practice does it: bin each feature with
 * monotonic weight of evidence, keep features whose information value is useful but not
 * suspect (0.02–0.5), drop near-duplicates, fit a logistic regression on the WOE values, and
 * scale the coefficients to points with points-to-double-odds. Pure and deterministic.
 */
export interface TrainingRow {
  id: string;
  values: ReadonlyMap<string, number | null>;
  defaulted: boolean;
}

export interface FitOptions {
  id: string;
  version: string;
  scaling: Scorecard['scaling'];
  grades: Scorecard['grades'];
  /** Features to consider. */
  candidates: readonly string[];
  seed: number;
  /** @default 0.3 */
  heldOutShare?: number;
  /** @default 12 */
  maxFeatures?: number;
}

export interface FeatureReport {
  feature: string;
  iv: number;
  /** Why a feature was left out, or null when it is on the card. */
  excluded: string | null;
  coefficient: number | null;
  missing: MissingReport;
}

/**
 * The rows without a value (a source missing or stale at the decision date): their share and
 * default rate, the weight of evidence they carry when there are enough of them to tell (null
 * otherwise), and the one the card scores them at — the data's, but never above the median
 * bin's: a missing value never scores better than an observed average one.
 */
export interface MissingReport {
  share: number;
  defaultRate: number | null;
  dataWoe: number | null;
  woe: number;
}

export interface SampleReport {
  rows: number;
  defaults: number;
  auc: number;
  ks: number;
}

export interface FitReport {
  features: FeatureReport[];
  train: SampleReport;
  heldOut: SampleReport;
}

/** IV bands of scorecard practice: under 0.02 useless, above 0.5 suspect of leakage. */
const MIN_IV = 0.02;
const MAX_IV = 0.5;
/** Above this correlation of WOE values, the weaker of two features adds nothing. */
const MAX_CORRELATION = 0.7;
const INITIAL_BINS = 10;
/** A bin holds at least this share of the rows with a value. */
const MIN_BIN_SHARE = 0.02;
/** A missing-value bin of its own needs at least this share of rows; else missing is neutral. */
const MIN_MISSING_SHARE = 0.02;

interface Bin {
  below: number | null;
  good: number;
  bad: number;
}

interface Binning {
  feature: string;
  bins: (Bin & { woe: number })[];
  /** The WOE the missing value is scored at (MissingReport.woe). */
  missingWoe: number;
  missing: MissingReport;
  iv: number;
}

export function fitScorecard(rows: readonly TrainingRow[], options: FitOptions): { scorecard: Scorecard; report: FitReport } {
  const heldOutShare = options.heldOutShare ?? 0.3;
  const train: TrainingRow[] = [];
  const heldOut: TrainingRow[] = [];
  for (const row of rows) (forkRandom(options.seed, 'split', row.id).next() < heldOutShare ? heldOut : train).push(row);
  const totalBad = train.filter((row) => row.defaulted).length;
  const totalGood = train.length - totalBad;
  if (totalBad < 10 || totalGood < 10) throw new RangeError(`too few defaults or non-defaults to fit (${totalBad} and ${totalGood} in the training split)`);

  const binnings = options.candidates.map((feature) => binFeature(train, feature, totalGood, totalBad));
  const reports = new Map<string, FeatureReport>(binnings.map((b) => [b.feature, { feature: b.feature, iv: b.iv, excluded: null, coefficient: null, missing: b.missing }]));
  const ranked = [...binnings].sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
  const woeColumn = (binning: Binning) => train.map((row) => woeOf(binning, row.values.get(binning.feature) ?? null));

  let selected: Binning[] = [];
  const columns = new Map<string, number[]>();
  for (const binning of ranked) {
    const report = reports.get(binning.feature)!;
    if (binning.iv < MIN_IV) report.excluded = `information value under ${MIN_IV}`;
    else if (binning.iv > MAX_IV) report.excluded = `information value over ${MAX_IV}: suspect of leakage`;
    else if (selected.length >= (options.maxFeatures ?? 12)) report.excluded = 'enough stronger features';
    else {
      const column = woeColumn(binning);
      const twin = selected.find((other) => Math.abs(correlation(column, columns.get(other.feature)!)) > MAX_CORRELATION);
      if (twin) report.excluded = `correlated with ${twin.feature}`;
      else {
        selected.push(binning);
        columns.set(binning.feature, column);
      }
    }
  }

  // A feature whose coefficient comes out with the wrong sign (more evidence of good, more risk)
  // only compensates for others: drop it and refit.
  let coefficients: number[];
  let intercept: number;
  for (;;) {
    const fitted = logisticRegression(selected.map((b) => columns.get(b.feature)!), train.map((row) => (row.defaulted ? 1 : 0)));
    const wrong = selected.findIndex((_, j) => fitted.coefficients[j]! >= 0);
    if (wrong < 0) {
      coefficients = fitted.coefficients;
      intercept = fitted.intercept;
      break;
    }
    reports.get(selected[wrong]!.feature)!.excluded = 'coefficient of the wrong sign once the others are in';
    selected = selected.filter((_, j) => j !== wrong);
  }

  const { factor, offset } = scalingOf(options);
  const scorecard: Scorecard = {
    id: options.id,
    version: options.version,
    scaling: options.scaling,
    basePoints: Math.round(offset - factor * intercept),
    characteristics: selected.map((binning, j) => {
      reports.get(binning.feature)!.coefficient = round(coefficients[j]!, 4);
      const points = (woe: number) => Math.round(-factor * coefficients[j]! * woe) + 0;
      const observed = binning.bins.reduce((sum, bin) => sum + bin.good + bin.bad, 0);
      return {
        feature: binning.feature,
        bins: binning.bins.map((bin) => ({ below: bin.below, points: points(bin.woe), woe: round(bin.woe, 4), share: round((bin.good + bin.bad) / observed, 4) })),
        missingPoints: points(binning.missingWoe),
        missingShare: binning.missing.share,
      };
    }),
    grades: options.grades,
  };
  return {
    scorecard,
    report: { features: [...reports.values()].sort((a, b) => b.iv - a.iv), train: evaluate(scorecard, train), heldOut: evaluate(scorecard, heldOut) },
  };
}

function binFeature(rows: readonly TrainingRow[], feature: string, totalGood: number, totalBad: number): Binning {
  const present = rows.filter((row) => row.values.get(feature) != null).map((row) => ({ value: row.values.get(feature)!, bad: row.defaulted }));
  present.sort((a, b) => a.value - b.value);
  // Cut just above each decile's value, so that a value held by many rows (a zero count, a
  // flag) keeps a bin of its own instead of swallowing the rare values beside it.
  const edges = new Set<number>();
  for (let i = 1; i < INITIAL_BINS; i++) {
    const at = present[Math.floor((i * present.length) / INITIAL_BINS)]?.value;
    const above = at === undefined ? undefined : present.find((item) => item.value > at)?.value;
    if (above !== undefined) edges.add(shortestBetween(at!, above));
  }
  let bins: Bin[] = [...[...edges].sort((a, b) => a - b), null].map((below) => ({ below, good: 0, bad: 0 }));
  for (const item of present) {
    const bin = bins.find((b) => b.below === null || item.value < b.below)!;
    if (item.bad) bin.bad++;
    else bin.good++;
  }
  const woe = (bin: { good: number; bad: number }) => Math.log(((bin.good + 0.5) / (totalGood + 0.5)) / ((bin.bad + 0.5) / (totalBad + 0.5)));
  const merge = (list: Bin[], i: number): Bin[] => [
    ...list.slice(0, i),
    { below: list[i + 1]!.below, good: list[i]!.good + list[i + 1]!.good, bad: list[i]!.bad + list[i + 1]!.bad },
    ...list.slice(i + 2),
  ];
  // Small bins first, into the neighbour with the closer WOE.
  for (;;) {
    const small = bins.findIndex((bin) => bin.good + bin.bad < MIN_BIN_SHARE * present.length);
    if (small < 0 || bins.length < 2) break;
    const left = small > 0 ? Math.abs(woe(bins[small - 1]!) - woe(bins[small]!)) : Infinity;
    const right = small < bins.length - 1 ? Math.abs(woe(bins[small + 1]!) - woe(bins[small]!)) : Infinity;
    bins = merge(bins, left <= right ? small - 1 : small);
  }
  // Then monotonic WOE in whichever direction keeps more information.
  const monotonic = (direction: 1 | -1) => {
    let list = bins;
    for (;;) {
      let worst = -1;
      let worstGap = Infinity;
      for (let i = 0; i < list.length - 1; i++) {
        const step = (woe(list[i + 1]!) - woe(list[i]!)) * direction;
        if (step < 0 && Math.abs(step) < worstGap) {
          worst = i;
          worstGap = Math.abs(step);
        }
      }
      if (worst < 0) return list;
      list = merge(list, worst);
    }
  };
  const missing = rows.length - present.length;
  const missingBin = { good: 0, bad: 0 };
  for (const row of rows) {
    if (row.values.get(feature) != null) continue;
    if (row.defaulted) missingBin.bad++;
    else missingBin.good++;
  }
  // The data tells about the missing rows when there are enough of them.
  const dataWoe = missing >= MIN_MISSING_SHARE * rows.length ? woe(missingBin) : null;
  const informationValue = (list: Bin[]) =>
    list.reduce((iv, bin) => iv + (bin.good / totalGood - bin.bad / totalBad) * woe(bin), 0) +
    (dataWoe === null ? 0 : (missingBin.good / totalGood - missingBin.bad / totalBad) * dataWoe);
  const candidates = [monotonic(1), monotonic(-1)];
  const best = informationValue(candidates[0]!) >= informationValue(candidates[1]!) ? candidates[0]! : candidates[1]!;
  // The bin the median observed value falls in; the missing value scores no better than it.
  let seen = 0;
  const median = best.find((bin) => (seen += bin.good + bin.bad) > present.length / 2) ?? best.at(-1)!;
  const medianWoe = present.length > 0 ? woe(median) : 0;
  const missingWoe = dataWoe === null ? medianWoe : Math.min(dataWoe, medianWoe);
  const report: MissingReport = {
    share: round(missing / rows.length, 4),
    defaultRate: missing > 0 ? round(missingBin.bad / missing, 4) : null,
    dataWoe: dataWoe === null ? null : round(dataWoe, 4),
    woe: round(missingWoe, 4),
  };
  return { feature, bins: best.map((bin) => ({ ...bin, woe: woe(bin) })), missingWoe, missing: report, iv: round(informationValue(best), 4) };
}

/** The number with the fewest significant digits in (low, high]: the same bins, a readable card. */
function shortestBetween(low: number, high: number): number {
  for (let digits = 1; digits <= 15; digits++) {
    const candidate = Number(high.toPrecision(digits));
    if (candidate > low && candidate <= high) return candidate;
  }
  return high;
}

function woeOf(binning: Binning, value: number | null): number {
  if (value === null) return binning.missingWoe;
  return binning.bins.find((bin) => bin.below === null || value < bin.below)!.woe;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - meanA) * (b[i]! - meanB);
    varA += (a[i]! - meanA) ** 2;
    varB += (b[i]! - meanB) ** 2;
  }
  return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : 0;
}

/** Logistic regression of y on the columns by Newton's method, with a whisker of ridge for stability. */
export function logisticRegression(columns: readonly (readonly number[])[], y: readonly number[]): { intercept: number; coefficients: number[] } {
  const p = columns.length + 1;
  const n = y.length;
  const x = (i: number, j: number) => (j === 0 ? 1 : columns[j - 1]![i]!);
  let beta = new Array<number>(p).fill(0);
  const ridge = 1e-4 * n;
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += beta[j]! * x(i, j);
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        gradient[j]! += (y[i]! - mu) * x(i, j);
        for (let k = 0; k <= j; k++) hessian[j]![k]! += w * x(i, j) * x(i, k);
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) hessian[k]![j] = hessian[j]![k]!;
      if (j > 0) {
        gradient[j]! -= ridge * beta[j]!;
        hessian[j]![j]! += ridge;
      }
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { intercept: beta[0]!, coefficients: beta.slice(1) };
}

/** Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const f = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= f * a[col]![k]!;
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * out[k]!;
    out[row] = sum / a[row]![row]!;
  }
  return out;
}

function evaluate(scorecard: Scorecard, rows: readonly TrainingRow[]): SampleReport {
  const scored = rows.map((row) => ({ pd: score(scorecard, row.values).probabilityOfDefault, bad: row.defaulted }));
  return { rows: rows.length, defaults: scored.filter((s) => s.bad).length, auc: round(auc(scored), 4), ks: round(ks(scored), 4) };
}

/** Area under the ROC curve of a PD against the outcome (Mann–Whitney, ties counted half). */
export function auc(scored: readonly { pd: number; bad: boolean }[]): number {
  const sorted = [...scored].sort((a, b) => a.pd - b.pd);
  let rankSumBad = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j]!.pd === sorted[i]!.pd) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.bad) rankSumBad += averageRank;
    i = j;
  }
  const bad = scored.filter((s) => s.bad).length;
  const good = scored.length - bad;
  return bad === 0 || good === 0 ? Number.NaN : (rankSumBad - (bad * (bad + 1)) / 2) / (bad * good);
}

/** Kolmogorov–Smirnov: the largest gap between the PD distributions of defaults and non-defaults. */
export function ks(scored: readonly { pd: number; bad: boolean }[]): number {
  const sorted = [...scored].sort((a, b) => b.pd - a.pd);
  const bad = scored.filter((s) => s.bad).length;
  const good = scored.length - bad;
  let cumulativeBad = 0;
  let cumulativeGood = 0;
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.bad) cumulativeBad++;
    else cumulativeGood++;
    if (i + 1 < sorted.length && sorted[i + 1]!.pd === sorted[i]!.pd) continue;
    best = Math.max(best, Math.abs(cumulativeBad / bad - cumulativeGood / good));
  }
  return best;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
