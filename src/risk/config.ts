import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { decimalToFen, isDecimal } from '../common/money.js';
import { FEATURES_BY_NAME, LIMIT_BASES, SOURCES } from './features/catalog.js';

/**
 * Scorecards, policy rules and products are configuration, validated at load: the bank launches
 * or tunes a product by editing `config/risk/*.json`, not code. A reference to an unknown
 * feature, rule, scorecard or source fails the load with a message naming it.
 */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

const text = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const featureName = z.string().refine((name) => FEATURES_BY_NAME.has(name), { error: (issue) => `unknown feature '${String(issue.input)}'` });
const decimal = z.string().refine(isDecimal, 'expected a decimal string such as "1000.00"');

export const scorecardSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  /** Points-to-double-odds scaling: `baseScore` points at good:bad odds `baseOdds`, `pdo` points to double them. */
  scaling: z.object({ baseScore: z.number(), baseOdds: z.number().positive(), pdo: z.number().positive() }),
  /** The points every enterprise starts from (the model's intercept, scaled). */
  basePoints: z.number(),
  characteristics: z
    .array(
      z.object({
        feature: featureName,
        /**
         * Bins in ascending order: a value falls in the first bin whose `below` exceeds it; the
         * last bin has none. Points are relative to an average enterprise (0 at a weight of
         * evidence of 0): negative points are what reason codes name.
         */
        bins: z.array(z.object({ below: z.number().nullable(), points: z.number(), woe: z.number().optional(), share: z.number().min(0).max(1) })).min(1),
        /**
         * Points when the value is null (source missing or stale): never more than the median
         * bin's (the bin where the shares, in order, pass one half), checked at load.
         */
        missingPoints: z.number(),
        /** The share of the fit's rows that had no value. */
        missingShare: z.number().min(0).max(1),
      }),
    )
    .min(1),
  /** Grades by probability of default: the first whose `maxProbabilityOfDefault` is not exceeded. */
  grades: z.array(z.object({ grade: z.enum(GRADES), maxProbabilityOfDefault: z.number().min(0).max(1) })).length(GRADES.length),
  /** What the fit measured, kept with the card for the model inventory. */
  fit: z
    .object({ fittedAt: z.string(), trainingRows: z.number(), heldOutRows: z.number(), auc: z.number(), ks: z.number(), defaultRate: z.number() })
    .optional(),
});
export type Scorecard = z.infer<typeof scorecardSchema>;

const thresholdRule = z.object({
  type: z.literal('THRESHOLD'),
  feature: featureName,
  op: z.enum(['<', '<=', '>', '>=']),
  threshold: z.number(),
});

export const ruleSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'codes are UPPER_SNAKE'),
  kind: z.enum(['KNOCKOUT', 'REVIEW']),
  severity: z.enum(['INFO', 'WARNING', 'CRITICAL']),
  when: thresholdRule,
  text,
});
export type Rule = z.infer<typeof ruleSchema>;

export const productSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: text,
  /**
   * The sources a decision needs current: consent for each before submission, each pulled then,
   * and every source its scorecard and rules read (checked at load). One stale or missing refers
   * the application to review with no limit (src/risk/assess.ts).
   */
  requiredSources: z.array(z.enum(SOURCES)).min(1),
  minAmount: decimal,
  maxAmount: decimal,
  minTermMonths: z.number().int().positive(),
  maxTermMonths: z.number().int().positive(),
  /** Applications up to this amount, at these grades, within the limit, are approved without review. */
  autoApproveMaxAmount: decimal,
  autoApproveGrades: z.array(z.enum(GRADES)),
  /**
   * The most each approver role may approve of the product (an approval names its amount, which
   * is the loan's line). Above the senior approver's, a credit committee decides, outside the hub.
   */
  approvalAuthority: z.object({ APPROVER: decimal, SENIOR_APPROVER: decimal }),
  /** An application not submitted, or not decided in review, within this many days expires. */
  applicationValidDays: z.number().int().min(1).max(365),
  scorecard: z.string(),
  rules: z.array(z.string()),
  limit: z.object({
    basis: z.enum(Object.keys(LIMIT_BASES) as [keyof typeof LIMIT_BASES, ...(keyof typeof LIMIT_BASES)[]]),
    /**
     * The share (or multiple) of the basis lent at each grade, as a decimal string: 5 to 10
     * times a year's tax paid, or 20% to 40% of a year's invoice sales. A grade without one is
     * not lent to.
     */
    factorByGrade: z.partialRecord(z.enum(GRADES), decimal),
    /** Limits are rounded down to a multiple of this. */
    roundTo: decimal,
    /** The most the bank lends, on this product's lines and every other, to a group of enterprises under common control. */
    groupMaxAmount: decimal,
  }),
  /** The highest annual rate the product is sold at, in basis points: a risk whose price is above it is declined (PRICE_ABOVE_CAP). */
  maxRateBps: z.number().int().positive(),
  decision: z.object({ reviewGrades: z.array(z.enum(GRADES)), declineGrades: z.array(z.enum(GRADES)) }),
});
export type Product = z.infer<typeof productSchema>;

/** Reasons a credit officer may give for a manual decision, besides the rules' and the features' own codes. */
export const decisionReasonSchema = z.object({ code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'codes are UPPER_SNAKE'), text });
export type DecisionReason = z.infer<typeof decisionReasonSchema>;

const ratio = decimal.refine((value) => Number(value) >= 0 && Number(value) <= 1, 'expected a share from 0 to 1');

/**
 * Risk-based pricing (../../config/risk/pricing.json): the rate is the one-year loan prime rate
 * in force at T, plus the expected loss (PD × LGD), funding and operating costs, and the return
 * the capital the loan takes must earn (risk weight × capital ratio × hurdle rate).
 */
export const pricingSchema = z.object({
  /** The one-year LPR as a dated series, oldest first: each rate applies from its day on. */
  loanPrimeRate: z
    .array(z.object({ from: z.iso.date(), bps: z.number().int().positive() }))
    .min(1)
    .refine((series) => series.every((point, i) => i === 0 || point.from > series[i - 1]!.from), 'dates must ascend'),
  /** Loss given default: 45% under the foundation approach; 60% is a cautious choice for micro firms. */
  lossGivenDefault: ratio,
  fundingSpreadBps: z.number().int().min(0),
  operatingCostBps: z.number().int().min(0),
  /** Small and micro retail exposures: risk weight 75%. */
  capital: z.object({ riskWeight: ratio, capitalRatio: ratio, hurdleRate: ratio }),
});
export type Pricing = z.infer<typeof pricingSchema>;

export interface RiskConfig {
  scorecards: ReadonlyMap<string, Scorecard>;
  rules: ReadonlyMap<string, Rule>;
  products: readonly Product[];
  decisionReasons: ReadonlyMap<string, DecisionReason>;
  pricing: Pricing;
}

const configDirectory = fileURLToPath(new URL('../../config/risk/', import.meta.url));

/** Reads and checks `config/risk/`: scorecards, rules and products, cross-referenced. */
export function loadRiskConfig(directory = configDirectory): RiskConfig {
  const read = (file: string) => JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as unknown;
  const scorecard = parse(scorecardSchema, read('scorecard.json'), 'scorecard.json');
  return checkRiskConfig({
    scorecards: new Map([[scorecard.id, scorecard]]),
    rules: new Map(parse(z.array(ruleSchema), read('rules.json'), 'rules.json').map((rule) => [rule.code, rule])),
    products: parse(z.array(productSchema).min(1), read('products.json'), 'products.json'),
    decisionReasons: new Map(
      parse(z.array(decisionReasonSchema), read('decision-reasons.json'), 'decision-reasons.json').map((reason) => [reason.code, reason]),
    ),
    pricing: parse(pricingSchema, read('pricing.json'), 'pricing.json'),
  });
}

export function checkRiskConfig(config: RiskConfig): RiskConfig {
  for (const rule of config.rules.values()) {
    // A rule's text says what the evidence shows: the value, unless the feature is a flag; the status, for the status rule.
    const { unit } = FEATURES_BY_NAME.get(rule.when.feature)!;
    const shows = unit === 'FLAG' ? (rule.when.feature === 'status_active' ? '{status}' : null) : '{value}';
    for (const text of [rule.text['zh-CN'], rule.text.en]) {
      const placeholders: string[] = [...text.matchAll(/\{\w+\}/g)].map((match) => match[0]);
      if ((shows !== null && !placeholders.includes(shows)) || placeholders.some((placeholder) => placeholder !== shows)) {
        throw new Error(`rule ${rule.code}: its texts must show ${shows ?? 'no value (its feature is a flag)'}, and nothing else in braces: "${text}"`);
      }
    }
  }
  for (const scorecard of config.scorecards.values()) {
    const bounds = scorecard.grades.map((grade) => grade.maxProbabilityOfDefault);
    if (scorecard.grades.map((g) => g.grade).join('') !== GRADES.join('') || bounds.some((bound, i) => i > 0 && bound < bounds[i - 1]!)) {
      throw new Error(`scorecard ${scorecard.id}: grades must run A to E with rising maxProbabilityOfDefault`);
    }
    for (const characteristic of scorecard.characteristics) {
      const edges = characteristic.bins.map((bin) => bin.below);
      if (edges.at(-1) !== null || edges.slice(0, -1).some((edge, i) => edge === null || (i > 0 && edge <= edges[i - 1]!))) {
        throw new Error(`scorecard ${scorecard.id}: bins of ${characteristic.feature} must ascend and end with an open bin`);
      }
      const median = medianBin(characteristic.bins);
      if (characteristic.missingPoints > median.points) {
        throw new Error(`scorecard ${scorecard.id}: a missing ${characteristic.feature} scores ${characteristic.missingPoints}, above its median bin's ${median.points}: no data may not score better than average data`);
      }
    }
  }
  for (const product of config.products) {
    if (!config.scorecards.has(product.scorecard)) throw new Error(`product ${product.id}: unknown scorecard '${product.scorecard}'`);
    const unknown = product.rules.filter((code) => !config.rules.has(code));
    if (unknown.length > 0) throw new Error(`product ${product.id}: unknown rules ${unknown.join(', ')}`);
    // A decision reads only current data: a source its card or rules read but it does not require
    // could be missing, and a missing value would stand in for a bad one.
    const read = [
      ...config.scorecards.get(product.scorecard)!.characteristics.map((characteristic) => characteristic.feature),
      ...product.rules.map((code) => config.rules.get(code)!.when.feature),
    ];
    const unrequired = [...new Set(read.flatMap((feature) => FEATURES_BY_NAME.get(feature)!.sources))].filter((source) => !product.requiredSources.includes(source));
    if (unrequired.length > 0) throw new Error(`product ${product.id}: its scorecard or rules read ${unrequired.join(', ')}, which requiredSources must name`);
    if (product.minTermMonths > product.maxTermMonths) throw new Error(`product ${product.id}: minTermMonths is above maxTermMonths`);
    const [min, max] = [decimalToFen(product.minAmount), decimalToFen(product.maxAmount)];
    const amounts = { autoApproveMaxAmount: product.autoApproveMaxAmount, 'approvalAuthority.APPROVER': product.approvalAuthority.APPROVER, 'approvalAuthority.SENIOR_APPROVER': product.approvalAuthority.SENIOR_APPROVER };
    for (const [key, value] of Object.entries(amounts)) {
      const amount = decimalToFen(value);
      if (amount < min || amount > max) throw new Error(`product ${product.id}: ${key} must lie between minAmount and maxAmount`);
    }
    // Each authority reaches at least as far as the one below it: the rules' (automatic), the approver's, the senior approver's.
    const [automatic, approver, senior] = Object.values(amounts).map(decimalToFen) as [bigint, bigint, bigint];
    if (automatic > approver || approver > senior) {
      throw new Error(`product ${product.id}: autoApproveMaxAmount, approvalAuthority.APPROVER and approvalAuthority.SENIOR_APPROVER must not fall: the rules would approve what needs an approver, or an approver what needs a senior one`);
    }
  }
  return config;
}

/** The bin the median observed value falls in: where the bins' shares, in order, pass one half. */
export function medianBin<B extends { share: number }>(bins: readonly B[]): B {
  let seen = 0;
  return bins.find((bin) => (seen += bin.share) > 0.5) ?? bins.at(-1)!;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`config/risk/${file}: ${z.prettifyError(result.error)}`);
  return result.data;
}
