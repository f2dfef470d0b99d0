import type { RiskAssessment, RiskViewRecord } from '../risk/assess.js';
import type { LimitComponent } from '../risk/limits.js';
import type { PriceBreakdown } from '../risk/pricing.js';

/**
 * A risk view as stored with an application: plain JSON, with the product's terms, the rules'
 * texts and the model's version as they were at assessment, so reading it back years later
 * shows what the decision was made on, whatever the configuration has become since.
 */
export type FrozenAssessment = Omit<RiskAssessment, 'asOf' | 'recommendedLimitFen' | 'lastSeen' | 'limitComponents' | 'pricing'> & {
  asOf: string;
  /** Fen as a decimal integer string, or null. */
  recommendedLimitFen: string | null;
  lastSeen: Record<string, string>;
  /** Absent from assessments frozen before limits showed their caps. */
  limitComponents?: (Omit<LimitComponent, 'amountFen'> & { amountFen: string })[];
  /** Absent from assessments frozen before prices were risk-based. */
  pricing?: PriceBreakdown;
};

export function freezeAssessment(assessment: RiskAssessment): FrozenAssessment {
  return {
    ...assessment,
    asOf: assessment.asOf.toISOString(),
    recommendedLimitFen: assessment.recommendedLimitFen === null ? null : assessment.recommendedLimitFen.toString(),
    lastSeen: Object.fromEntries(Object.entries(assessment.lastSeen).map(([source, at]) => [source, at.toISOString()])),
    limitComponents: assessment.limitComponents.map((component) => ({ ...component, amountFen: component.amountFen.toString() })),
  };
}

/** Back to the shape the RiskView resolvers read. */
export function thawAssessment(frozen: FrozenAssessment): RiskViewRecord {
  return {
    ...frozen,
    asOf: new Date(frozen.asOf),
    recommendedLimitFen: frozen.recommendedLimitFen === null ? null : BigInt(frozen.recommendedLimitFen),
    lastSeen: Object.fromEntries(Object.entries(frozen.lastSeen).map(([source, at]) => [source, new Date(at)])),
    limitComponents: (frozen.limitComponents ?? []).map((component) => ({ ...component, amountFen: BigInt(component.amountFen) })),
    pricing: frozen.pricing ?? null,
  };
}
