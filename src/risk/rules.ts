import type { Rule } from './config.js';

/**
 * What a hit is of: a configured rule, or the hub's own check that the product's sources are
 * current (ENTERPRISE_NOT_FOUND, DATA_MISSING, DATA_STALE), which no configuration can leave out.
 */
export type HitRule = Rule | (Pick<Rule, 'code' | 'kind' | 'severity' | 'text'> & { when: { sources: readonly string[] } });

export interface RuleHit {
  rule: HitRule;
  /** The facts behind the hit: the feature and its value against the threshold, or the sources. */
  evidence: Record<string, unknown>;
}

const compare = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b };

/**
 * The rules that hit. A rule on a null feature does not hit: the feature's source is missing or
 * stale, which refers the decision to review by itself (src/risk/assess.ts).
 */
export function evaluateRules(rules: readonly Rule[], values: ReadonlyMap<string, number | null>): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    const { feature, op, threshold } = rule.when;
    const value = values.get(feature) ?? null;
    if (value !== null && compare[op](value, threshold)) hits.push({ rule, evidence: { feature, value, op, threshold } });
  }
  return hits;
}
