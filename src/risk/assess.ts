import { decimalToFen } from '../common/money.js';
import type { ProfileAsOf } from '../store/profiles-as-of.js';
import type { Grade, Product, RiskConfig, Scorecard } from './config.js';
import { FEATURES_BY_NAME, LIMIT_BASES, MAX_AGE_DAYS, type LocalizedText, type SourceId, type SourceState } from './features/catalog.js';
import { vectorOf, type FeatureValue } from './features/compute.js';
import { deriveInput } from './features/derive.js';
import { evaluateRules, type RuleHit } from './rules.js';
import { sizeLimit, type LimitComponent } from './limits.js';
import { price, type PriceBreakdown } from './pricing.js';
import { score } from './scorecard.js';

export type Decision = 'APPROVE' | 'REVIEW' | 'DECLINE';

export interface ReasonCode {
  code: string;
  text: LocalizedText;
  /** The feature behind the reason, if one is. */
  feature: string | null;
  /** Points the feature takes off the score against an average enterprise; null for rules. */
  contribution: number | null;
}

export interface RiskAssessment {
  enterpriseId: string;
  asOf: Date;
  product: Product;
  model: { id: string; version: string };
  score: number;
  grade: Grade;
  probabilityOfDefault: number;
  decision: Decision;
  ruleHits: RuleHit[];
  reasonCodes: ReasonCode[];
  recommendedLimitFen: bigint | null;
  /** Every cap on the limit, the recommended limit being the least; empty where no limit is sized (data missing, a grade not lent to). */
  limitComponents: LimitComponent[];
  /** The risk-based price for this PD as of T, whatever the decision (so a price above the cap shows why). */
  pricing: PriceBreakdown;
  /** pricing.rateBps, where there is a limit and no decline. */
  pricingRateBps: number | null;
  features: FeatureValue[];
  sources: Record<SourceId, SourceState>;
  lastSeen: Record<string, Date>;
}

/** A risk view as the API shows it: computed now, or frozen with an application before prices were risk-based (no breakdown then). */
export type RiskViewRecord = Omit<RiskAssessment, 'pricing'> & { pricing: PriceBreakdown | null };

/** Scorecard reasons given at most, after the reasons of any knockouts. */
const MAX_SCORE_REASONS = 4;

const LIMIT_BELOW_MINIMUM: LocalizedText = {
  'zh-CN': '测算额度低于产品最低额度',
  en: "The limit the enterprise's revenue supports is below the product's minimum amount",
};

const priceAboveCap = (pricing: PriceBreakdown, product: Product): LocalizedText => ({
  'zh-CN': `风险定价 ${percent(pricing.rateBps)} 高于产品上限 ${percent(product.maxRateBps)}：预期损失 ${percent(pricing.expectedLossBps)}，无法以覆盖风险的价格发放`,
  en: `The risk-based rate of ${percent(pricing.rateBps)} is above the product's cap of ${percent(product.maxRateBps)} (expected loss ${percent(pricing.expectedLossBps)}): no price within the cap covers the risk`,
});
const percent = (bps: number) => `${(bps / 100).toFixed(2)}%`;

/**
 * The risk view of one enterprise as of its profile's T for one product: features, score,
 * rules, decision, limit and price. Pure: the same profile and configuration always give the
 * same assessment.
 */
export function assess(profile: ProfileAsOf, product: Product, config: RiskConfig): RiskAssessment {
  const scorecard: Scorecard = config.scorecards.get(product.scorecard)!;
  const input = deriveInput(profile);
  const vector = vectorOf(input);
  const values = new Map(vector.values.map((item) => [item.name, item.value]));
  const scored = score(scorecard, values);
  const rules = product.rules.map((code) => config.rules.get(code)!);
  const insufficient = dataSufficiency(product, vector.sources, profile);
  const ruleHits = [...evaluateRules(rules, values, input.statusAtT), ...insufficient];
  const knockouts = ruleHits.filter((hit) => hit.rule.kind === 'KNOCKOUT');

  // Without every source the decision reads, there is no limit: the data cannot support one.
  const sizing = insufficient.length > 0 ? null : sizeLimit(product, scored.grade, LIMIT_BASES[product.limit.basis](input), profile.exposure);
  const limitFen = sizing?.limitFen ?? null;
  const belowMinimum = limitFen !== null && limitFen < decimalToFen(product.minAmount);
  const pricing = price(config.pricing, scored.probabilityOfDefault, profile.asOfDay);
  const aboveCap = pricing.rateBps > product.maxRateBps;
  let decision: Decision = 'APPROVE';
  // A knockout holds on the data there is; anything else on incomplete data is for a person to judge.
  if (knockouts.length > 0) decision = 'DECLINE';
  else if (insufficient.length > 0) decision = 'REVIEW';
  else if (product.decision.declineGrades.includes(scored.grade) || limitFen === null || belowMinimum || aboveCap) decision = 'DECLINE';
  else if (ruleHits.length > 0 || product.decision.reviewGrades.includes(scored.grade)) decision = 'REVIEW';

  const reasonCodes: ReasonCode[] = [...knockouts, ...insufficient].map((hit) => ({
    code: hit.rule.code,
    text: hit.text,
    feature: 'feature' in hit.rule.when ? hit.rule.when.feature : null,
    contribution: null,
  }));
  if (insufficient.length === 0 && aboveCap) reasonCodes.push({ code: 'PRICE_ABOVE_CAP', text: priceAboveCap(pricing, product), feature: null, contribution: null });
  if (belowMinimum) reasonCodes.push({ code: 'LIMIT_BELOW_MINIMUM', text: LIMIT_BELOW_MINIMUM, feature: product.limit.basis, contribution: null });
  // Reasons are what makes this enterprise riskier than an average one: the characteristics
  // whose points are negative (their bin's weight of evidence below zero), the heaviest first.
  // Measured against the best bin instead, "sales grew 40%" could be a reason when 90% scores more.
  const weakest = scored.characteristics
    .filter((c) => c.points < 0)
    .sort((a, b) => a.points - b.points || (a.feature < b.feature ? -1 : 1))
    .slice(0, MAX_SCORE_REASONS);
  for (const c of weakest) {
    const definition = FEATURES_BY_NAME.get(c.feature)!;
    reasonCodes.push({ code: definition.reason.code, text: definition.reason.text(c.value), feature: c.feature, contribution: -c.points });
  }
  if (decision !== 'APPROVE' && reasonCodes.length === 0) {
    // The grade alone declined or referred it, with no characteristic below average: say so.
    reasonCodes.push({ code: 'SCORE_GRADE', text: { 'zh-CN': `评分等级 ${scored.grade}`, en: `Score grade ${scored.grade}` }, feature: null, contribution: null });
  }

  return {
    enterpriseId: profile.enterpriseId,
    asOf: profile.asOf,
    product,
    model: { id: scorecard.id, version: scorecard.version },
    score: scored.score,
    grade: scored.grade,
    probabilityOfDefault: scored.probabilityOfDefault,
    decision,
    ruleHits,
    reasonCodes,
    recommendedLimitFen: decision === 'DECLINE' ? null : limitFen,
    limitComponents: sizing?.components ?? [],
    pricing,
    pricingRateBps: decision === 'DECLINE' || limitFen === null ? null : pricing.rateBps,
    features: vector.values,
    sources: vector.sources,
    lastSeen: profile.lastSeen,
  };
}

/**
 * The product's required sources that are not current at T, as review hits naming them:
 * ENTERPRISE_NOT_FOUND where the registry answered it has no record of the enterprise,
 * DATA_MISSING for sources never heard from, DATA_STALE for those last heard from longer ago
 * than their maximum age. Data that is not there never decides in an enterprise's favour.
 */
function dataSufficiency(product: Product, sources: Readonly<Record<SourceId, SourceState>>, profile: ProfileAsOf): RuleHit[] {
  const missing = product.requiredSources.filter((source) => sources[source] === 'MISSING');
  const stale = product.requiredSources.filter((source) => sources[source] === 'STALE');
  const hits: Omit<RuleHit, 'text'>[] = [];
  if (product.requiredSources.some((source) => sources[source] === 'NOT_FOUND')) {
    hits.push({
      rule: {
        code: 'ENTERPRISE_NOT_FOUND',
        kind: 'REVIEW',
        severity: 'WARNING',
        when: { sources: ['registry'] },
        text: {
          'zh-CN': `工商登记机关答复查无此企业（统一社会信用代码 ${profile.uscc}）：请核实代码或企业是否已登记`,
          en: `The business registry answered it has no record of this enterprise (USCC ${profile.uscc}): check the code, or whether the enterprise is registered`,
        },
      },
      evidence: { source: 'registry', uscc: profile.uscc, answeredAt: profile.lastSeen.registry!.toISOString() },
    });
  }
  if (missing.length > 0) {
    hits.push({
      rule: {
        code: 'DATA_MISSING',
        kind: 'REVIEW',
        severity: 'WARNING',
        when: { sources: missing },
        text: { 'zh-CN': `产品必需的数据源无数据：${missing.map((source) => SOURCE_NAMES[source]['zh-CN']).join('、')}`, en: `No data from sources the product requires: ${missing.join(', ')}` },
      },
      evidence: { sources: missing.map((source) => ({ source, state: 'MISSING' })) },
    });
  }
  if (stale.length > 0) {
    const lastSeen = (source: SourceId) => profile.lastSeen[source]!.toISOString().slice(0, 10);
    hits.push({
      rule: {
        code: 'DATA_STALE',
        kind: 'REVIEW',
        severity: 'WARNING',
        when: { sources: stale },
        text: {
          'zh-CN': `产品必需的数据源已过期：${stale.map((source) => `${SOURCE_NAMES[source]['zh-CN']}（最近 ${lastSeen(source)}，限 ${MAX_AGE_DAYS[source]} 天）`).join('、')}`,
          en: `Sources the product requires are stale: ${stale.map((source) => `${source} (last ${lastSeen(source)}, at most ${MAX_AGE_DAYS[source]} days old)`).join(', ')}`,
        },
      },
      evidence: { sources: stale.map((source) => ({ source, state: 'STALE', lastSeenAt: profile.lastSeen[source]!.toISOString(), maxAgeDays: MAX_AGE_DAYS[source] })) },
    });
  }
  // Their texts are written with their evidence already.
  return hits.map((hit) => ({ ...hit, text: hit.rule.text }));
}

const SOURCE_NAMES: Record<SourceId, LocalizedText> = {
  registry: { 'zh-CN': '工商登记', en: 'business registry' },
  tax: { 'zh-CN': '税务', en: 'tax bureau' },
  court: { 'zh-CN': '司法', en: 'courts' },
  invoice: { 'zh-CN': '电子发票', en: 'e-invoices' },
  utility: { 'zh-CN': '水电气', en: 'utilities' },
  'social-insurance': { 'zh-CN': '社保', en: 'social insurance' },
};
