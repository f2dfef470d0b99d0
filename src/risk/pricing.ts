import type { Pricing } from './config.js';

/** A rate and what it is made of, in basis points a year. */
export interface PriceBreakdown {
  /** The one-year loan prime rate in force at T. */
  baseRateBps: number;
  /** PD × LGD. */
  expectedLossBps: number;
  fundingBps: number;
  operatingBps: number;
  /** Risk weight × capital ratio × hurdle rate: what the capital the loan takes must earn. */
  capitalBps: number;
  rateBps: number;
}

/**
 * The risk-based rate of a loan with this PD as of `day` (YYYY-MM-DD): the LPR in force then plus
 * the spreads that cover the expected loss and the costs. Each spread is rounded up to a whole
 * basis point, so the rate never falls short of what it must cover.
 */
export function price(pricing: Pricing, probabilityOfDefault: number, day: string): PriceBreakdown {
  // A day before the series starts takes its first rate.
  const base = pricing.loanPrimeRate.filter((point) => point.from <= day).at(-1) ?? pricing.loanPrimeRate[0]!;
  const bps = (share: number) => Math.ceil(Number((share * 10_000).toFixed(6)));
  const { riskWeight, capitalRatio, hurdleRate } = pricing.capital;
  const breakdown = {
    baseRateBps: base.bps,
    expectedLossBps: bps(probabilityOfDefault * Number(pricing.lossGivenDefault)),
    fundingBps: pricing.fundingSpreadBps,
    operatingBps: pricing.operatingCostBps,
    capitalBps: bps(Number(riskWeight) * Number(capitalRatio) * Number(hurdleRate)),
  };
  return { ...breakdown, rateBps: Object.values(breakdown).reduce((sum, part) => sum + part, 0) };
}
