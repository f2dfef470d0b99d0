import { parseMonth } from '../common/calendar.js';
import { forkRandom } from './random.js';
import type { Portfolio } from './types.js';

export interface LoanOutcome {
  uscc: string;
  defaulted: boolean;
  /** The month of default, YYYY-MM-01. */
  defaultMonth: string | null;
}

/** Months after the decision over which a default counts, as in a 12-month PD. */
export const OUTCOME_MONTHS = 12;

/**
 * The demo's ground truth: for a loan decided at the start of `decisionMonth`, whether the
 * enterprise defaulted within the following 12 months. Defaults are drawn month by month from a
 * hazard of the enterprise's true health then, which the hub never sees: features see it only
 * through the facts the sources report, and only up to the decision. Enterprises not yet
 * established at the decision are left out. Deterministic in the portfolio's seed.
 */
export function drawOutcomes(portfolio: Portfolio, decisionMonth: string): LoanOutcome[] {
  const first = parseMonth(portfolio.months[0]!);
  const decision = parseMonth(decisionMonth) - first;
  if (decision < 0 || decision + OUTCOME_MONTHS > portfolio.months.length) {
    throw new RangeError(
      `decisionMonth ${decisionMonth} must leave ${OUTCOME_MONTHS} months of history after it, between ${portfolio.months[0]} and ${portfolio.months.at(-OUTCOME_MONTHS)}`,
    );
  }
  const outcomes: LoanOutcome[] = [];
  for (const enterprise of portfolio.enterprises) {
    if (enterprise.establishedOn >= decisionMonth) continue;
    const rng = forkRandom(portfolio.options.seed, 'enterprise', enterprise.index, 'outcome', decisionMonth);
    let defaultMonth: string | null = null;
    for (let k = decision; k < decision + OUTCOME_MONTHS && defaultMonth === null; k++) {
      if (rng.bernoulli(monthlyHazard(enterprise.truth.healthByMonth[k]!))) defaultMonth = portfolio.months[k]!;
    }
    outcomes.push({ uscc: enterprise.uscc, defaulted: defaultMonth !== null, defaultMonth });
  }
  return outcomes;
}

/**
 * About 0.12% a month (1.5% a year) in normal health, rising steeply as health falls: 0.9 of
 * the normal level changes little, half of it is about 6% a month, a failed business about 15%.
 */
export function monthlyHazard(health: number): number {
  const shortfall = Math.min(1, Math.max(0, (0.9 - health) / 0.9));
  return 0.0012 + 0.15 * shortfall ** 1.3;
}
