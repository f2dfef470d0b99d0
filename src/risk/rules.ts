import type { EnterpriseStatus } from '../store/schema.js';
import type { Rule } from './config.js';
import { FEATURES_BY_NAME, type FeatureUnit, type LocalizedText } from './features/catalog.js';

/**
 * What a hit is of: a configured rule, or the hub's own check that the product's sources are
 * current (ENTERPRISE_NOT_FOUND, DATA_MISSING, DATA_STALE), which no configuration can leave out.
 */
export type HitRule = Rule | (Pick<Rule, 'code' | 'kind' | 'severity' | 'text'> & { when: { sources: readonly string[] } });

export interface RuleHit {
  rule: HitRule;
  /** The facts behind the hit: the feature and its value against the threshold, or the sources. */
  evidence: Record<string, unknown>;
  /** The rule's text with what the evidence shows (the value, the status). */
  text: LocalizedText;
}

const compare = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b };

/**
 * The rules that hit. A rule on a null feature does not hit: the feature's source is missing or
 * stale, which refers the decision to review by itself (src/risk/assess.ts).
 */
export function evaluateRules(rules: readonly Rule[], values: ReadonlyMap<string, number | null>, statusAtT: EnterpriseStatus): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    const { feature, op, threshold } = rule.when;
    const value = values.get(feature) ?? null;
    if (value !== null && compare[op](value, threshold)) hits.push({ rule, evidence: { feature, value, op, threshold }, text: ruleText(rule, value, statusAtT) });
  }
  return hits;
}

/** A rule's text with its evidence: `{value}` the feature's value in its unit, `{status}` the registered status at T. */
export function ruleText(rule: Rule, value: number, statusAtT: EnterpriseStatus): LocalizedText {
  const unit = FEATURES_BY_NAME.get(rule.when.feature)!.unit;
  const fill = (text: string, language: keyof LocalizedText) => text.replaceAll('{value}', formatValue(value, unit)).replaceAll('{status}', STATUS_NAMES[statusAtT][language]);
  return { 'zh-CN': fill(rule.text['zh-CN'], 'zh-CN'), en: fill(rule.text.en, 'en') };
}

function formatValue(value: number, unit: FeatureUnit): string {
  switch (unit) {
    case 'CNY':
      return `¥${Math.round(value).toLocaleString('en-US')}`;
    case 'RATIO':
      return `${value < 0 ? '−' : ''}${Math.abs(Math.round(value * 100))}%`;
    case 'GRADE':
      return ['D', 'C', 'M', 'B', 'A'][Math.round(value)] ?? String(value);
    default:
      return String(Math.round(value * 100) / 100);
  }
}

const STATUS_NAMES: Record<EnterpriseStatus, LocalizedText> = {
  UNVERIFIED: { 'zh-CN': '未核实', en: 'unverified' },
  ACTIVE: { 'zh-CN': '存续', en: 'active' },
  ABNORMAL_OPERATIONS: { 'zh-CN': '经营异常', en: 'listed for abnormal operations' },
  LIQUIDATING: { 'zh-CN': '清算', en: 'liquidating' },
  REVOKED: { 'zh-CN': '吊销', en: 'revoked' },
  CANCELLED: { 'zh-CN': '注销', en: 'cancelled' },
};
