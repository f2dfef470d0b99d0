import type { Rule } from './config.js';
import type { SourceId, SourceState } from './features/catalog.js';

export interface RuleHit {
  rule: Rule;
  /** The facts behind the hit: the feature and its value against the threshold, or the sources. */
  evidence: Record<string, unknown>;
}

const compare = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b };

/**
 * The rules that hit. A threshold rule on a null feature does not hit: the feature's source is
 * missing or stale, which the REQUIRED_SOURCE_UNAVAILABLE rule refers to review instead.
 */
export function evaluateRules(
  rules: readonly Rule[],
  values: ReadonlyMap<string, number | null>,
  requiredSources: readonly SourceId[],
  sources: Readonly<Record<SourceId, SourceState>>,
): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    const when = rule.when;
    if (when.type === 'THRESHOLD') {
      const value = values.get(when.feature) ?? null;
      if (value !== null && compare[when.op](value, when.threshold)) {
        hits.push({ rule, evidence: { feature: when.feature, value, op: when.op, threshold: when.threshold } });
      }
    } else {
      const unavailable = requiredSources.filter((source) => sources[source] !== 'CURRENT').map((source) => ({ source, state: sources[source] }));
      if (unavailable.length > 0) hits.push({ rule, evidence: { sources: unavailable } });
    }
  }
  return hits;
}
