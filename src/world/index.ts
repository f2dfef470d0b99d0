/**
 * The upstream world: a deterministic story of SMEs, the people behind them and what every
 * upstream knows of them month by month, with the hidden outcomes the story drives them to.
 * The connectors' sandboxes serve it, the demo loads and plays it, the model fit learns from
 * it; it knows nothing of the hub (no store, no GraphQL, no connector). Pure: no I/O, no clock.
 */
export * from './types.js';
export { countPortfolio, generatePortfolio } from './portfolio.js';
export { HISTORY_MONTHS } from './plan.js';
export { OUTCOME_MONTHS, drawOutcomes, type LoanOutcome } from './outcomes.js';
export { createRandom, forkRandom, type Random } from './random.js';
