/**
 * A deterministic demo portfolio of SMEs around Suzhou: enterprises, the people and companies
 * behind them, and 36 months of tax, court, utility, invoice, registry and social-insurance
 * facts, driven by a latent monthly health of each enterprise of which about one in ten falls
 * into distress. Pure: no I/O, no clock, no Math.random.
 *
 * Enterprise i is generated from random streams forked from (seed, i), and from enterprises
 * 0..i−1 only for whom it shares people or shares with, so the first N enterprises of a larger
 * portfolio are those of the smaller one except for which enterprises buy from them.
 */
import { BRAND_CHARACTERS, INDUSTRIES, OUTSIDE_REGIONS } from './catalog.js';
import { formatMonth, formatStamp, parseMonth } from '../common/calendar.js';
import { buildBundle, outsidePool, planCustomers } from './facts.js';
import { composeUscc } from './identifiers.js';
import { HISTORY_MONTHS, createContext, planEnterprise } from './plan.js';
import type { Random } from './random.js';
import { FACT_KINDS, type EnterpriseBundle, type FactKind, type OutsideCounterparty, type Portfolio, type PortfolioOptions } from './types.js';
import { USCC_CHARSET } from '../profile/uscc.js';

export function generatePortfolio(options: PortfolioOptions): Portfolio {
  const { seed, enterprises: size, clock, historyMonths = HISTORY_MONTHS } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    throw new RangeError(`enterprises must be an integer between 1 and 1,000,000, got ${size}`);
  }
  const clockMonth = parseMonth(clock);
  if (!Number.isInteger(historyMonths) || historyMonths < HISTORY_MONTHS || historyMonths > 120) {
    throw new RangeError(`historyMonths must be an integer between ${HISTORY_MONTHS} and 120, got ${historyMonths}`);
  }
  const context = createContext(seed, size, clockMonth, historyMonths);

  for (let index = 0; index < size; index++) {
    const plan = planEnterprise(context, index);
    context.plans.push(plan);
    context.planByUscc.set(plan.uscc, plan);
  }

  const pool = outsidePool(seed, composeOutside);
  const poolByUscc = new Map(pool.map((counterparty) => [counterparty.uscc, counterparty]));
  const bundles: EnterpriseBundle[] = [];
  const usedOutside = new Set<string>();
  for (const plan of context.plans) {
    const customers = planCustomers(context, plan, pool);
    const bundle = buildBundle(context, plan, customers, poolByUscc);
    for (const invoice of bundle.invoices) if (poolByUscc.has(invoice.buyerUscc)) usedOutside.add(invoice.buyerUscc);
    bundles.push(bundle);
  }

  const months: string[] = [];
  for (let k = 0; k < historyMonths; k++) months.push(formatMonth(context.firstMonth + k));
  return {
    options: { seed, enterprises: size, clock, historyMonths },
    months,
    clockInstant: formatStamp(context.clockDay),
    enterprises: bundles,
    persons: context.persons,
    outsideCounterparties: pool.filter((counterparty) => usedOutside.has(counterparty.uscc)),
  };
}

function composeOutside(rng: Random): OutsideCounterparty {
  const region = rng.pick(OUTSIDE_REGIONS);
  const letters = USCC_CHARSET.slice(10);
  let body = `MA${rng.int(1, 9)}`;
  for (let i = 0; i < 5; i++) body += rng.bernoulli(0.6) ? String(rng.int(0, 9)) : rng.pick([...letters]);
  const industry = rng.pick(INDUSTRIES);
  const first = rng.pick(BRAND_CHARACTERS);
  let second = rng.pick(BRAND_CHARACTERS);
  while (second === first) second = rng.pick(BRAND_CHARACTERS);
  return {
    uscc: composeUscc('9', '1', region.code, body),
    name: `${region.city}${first}${second}${rng.pick(industry.words)}有限公司`,
    regionCode: region.code,
  };
}

/** How many records of each kind a portfolio holds (all versions counted). */
export interface PortfolioCounts extends Record<FactKind, number> {
  enterprises: number;
  persons: number;
  outsideCounterparties: number;
  distressed: number;
  /** Facts (distinct externalIds) rather than versions, per kind. */
  distinctFacts: Record<FactKind, number>;
}

export function countPortfolio(portfolio: Portfolio): PortfolioCounts {
  const counts = Object.fromEntries(FACT_KINDS.map((kind) => [kind, 0])) as Record<FactKind, number>;
  const distinct = Object.fromEntries(FACT_KINDS.map((kind) => [kind, 0])) as Record<FactKind, number>;
  let distressed = 0;
  for (const bundle of portfolio.enterprises) {
    if (bundle.truth.distressed) distressed++;
    for (const kind of FACT_KINDS) {
      const records = bundle[kind];
      counts[kind] += records.length;
      let previous: string | null = null;
      for (const record of records) {
        if (record.externalId !== previous) distinct[kind]++;
        previous = record.externalId;
      }
    }
  }
  return {
    enterprises: portfolio.enterprises.length,
    persons: portfolio.persons.length,
    outsideCounterparties: portfolio.outsideCounterparties.length,
    distressed,
    ...counts,
    distinctFacts: distinct,
  };
}
