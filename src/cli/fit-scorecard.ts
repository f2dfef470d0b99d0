import { writeFileSync } from 'node:fs';
import { formatMonth, parseMonth } from '../common/calendar.js';
import { loadPortfolio } from '../demo/load.js';
import { drawOutcomes, OUTCOME_MONTHS, generatePortfolio } from '../world/index.js';
import type { Scorecard } from '../risk/config.js';
import { FEATURES } from '../risk/features/catalog.js';
import { computeFeatureVectors } from '../risk/features/compute.js';
import { fitScorecard, type FitReport, type TrainingRow } from '../risk/fit.js';
import { openStore } from '../store/database.js';

export interface FitScorecardOptions {
  seed: number;
  enterprises: number;
  clock: string;
  out: string;
  report?: string;
  log: (message: string) => void;
}

/**
 * The scaling of the hub's scorecards (../shared/DOMAIN.md, scorecard practice), and grade bands
 * by 12-month PD for small and micro enterprises, whose default rates run at several percent.
 */
const SCALING = { baseScore: 600, baseOdds: 50, pdo: 20 };
const GRADES: Scorecard['grades'] = [
  { grade: 'A', maxProbabilityOfDefault: 0.02 },
  { grade: 'B', maxProbabilityOfDefault: 0.04 },
  { grade: 'C', maxProbabilityOfDefault: 0.07 },
  { grade: 'D', maxProbabilityOfDefault: 0.15 },
  { grade: 'E', maxProbabilityOfDefault: 1 },
];
/** Data freshness says whether to trust the other features, not how risky an enterprise is. */
const NOT_SCORED = /^(days_since_|data_coverage)/;

/**
 * Fits the scorecard on the labelled demo portfolio: features as of a decision date twelve
 * months before the clock, computed by the hub from a store holding the portfolio, against
 * defaults in the twelve months after it, drawn from the generator's ground truth.
 */
export async function fitScorecardCommand(options: FitScorecardOptions): Promise<{ scorecard: Scorecard; report: FitReport }> {
  const decisionMonth = formatMonth(parseMonth(options.clock) - OUTCOME_MONTHS);
  options.log(`generating a labelled portfolio: ${options.enterprises} enterprises, seed ${options.seed}, decisions on ${decisionMonth}`);
  const portfolio = generatePortfolio({ seed: options.seed, enterprises: options.enterprises, clock: options.clock });
  const outcomes = drawOutcomes(portfolio, decisionMonth);
  const store = await openStore({ kind: 'pglite', dataDir: 'memory' });
  try {
    await loadPortfolio(store, portfolio, { personIdSalt: 'fit-scorecard-training-salt' });
    const ids = new Map((await store.db.selectFrom('enterprise').select(['id', 'uscc']).execute()).map((row) => [row.uscc, row.id]));
    options.log(`computing features as of ${decisionMonth} for ${outcomes.length} enterprises`);
    const vectors = await computeFeatureVectors(store.db, outcomes.map((outcome) => ids.get(outcome.uscc)!), new Date(`${decisionMonth}T00:00:00Z`));
    const rows: TrainingRow[] = vectors.map((vector, i) => ({
      id: outcomes[i]!.uscc,
      values: new Map(vector.values.map((value) => [value.name, value.value])),
      defaulted: outcomes[i]!.defaulted,
    }));
    const fitted = fitScorecard(rows, {
      id: 'sme-general',
      version: `${options.clock.slice(0, 7)}-s${options.seed}-n${options.enterprises}`,
      scaling: SCALING,
      grades: GRADES,
      candidates: FEATURES.map((feature) => feature.name).filter((name) => !NOT_SCORED.test(name)),
      seed: options.seed,
    });
    fitted.scorecard.fit = {
      fittedAt: decisionMonth,
      trainingRows: fitted.report.train.rows,
      heldOutRows: fitted.report.heldOut.rows,
      auc: fitted.report.heldOut.auc,
      ks: fitted.report.heldOut.ks,
      defaultRate: Math.round(((fitted.report.train.defaults + fitted.report.heldOut.defaults) / rows.length) * 10_000) / 10_000,
    };
    writeFileSync(options.out, `${JSON.stringify(fitted.scorecard, null, 2)}\n`);
    const text = formatReport(fitted.scorecard, fitted.report);
    if (options.report) writeFileSync(options.report, text);
    options.log(text);
    return fitted;
  } finally {
    await store.close();
  }
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function formatReport(scorecard: Scorecard, report: FitReport): string {
  const sample = (name: string, s: FitReport['train']) =>
    `| ${name} | ${s.rows} | ${s.defaults} (${((s.defaults / s.rows) * 100).toFixed(1)}%) | ${s.auc.toFixed(3)} | ${s.ks.toFixed(3)} |`;
  return [
    `# Scorecard ${scorecard.id} ${scorecard.version}`,
    '',
    '| sample | rows | defaults | AUC | KS |',
    '|---|---|---|---|---|',
    sample('training', report.train),
    sample('held out', report.heldOut),
    '',
    'Missing: the rows without a value (a source missing or stale at the decision date), their default rate, the',
    "weight of evidence they carry where there are enough of them, and the one the card scores them at: the",
    "data's, never above the median bin's.",
    '',
    '| feature | IV | coefficient | missing | missing default rate | missing WOE, data | missing WOE, scored | left out because |',
    '|---|---|---|---|---|---|---|---|',
    ...report.features.map(
      (f) =>
        `| ${f.feature} | ${f.iv.toFixed(4)} | ${f.coefficient ?? ''} | ${percent(f.missing.share)} | ${f.missing.defaultRate === null ? '' : percent(f.missing.defaultRate)} | ${f.missing.dataWoe ?? ''} | ${f.missing.woe} | ${f.excluded ?? ''} |`,
    ),
    '',
  ].join('\n');
}
