import { decimalToFen, fenToDecimal } from '../common/money.js';
import type { ProfileAsOf } from '../store/profiles-as-of.js';
import type { Grade, Product } from './config.js';
import type { LocalizedText } from './features/catalog.js';

export type LimitComponentKind = 'PRODUCT_MAXIMUM' | 'REVENUE_MULTIPLE' | 'AFTER_EXISTING_DEBT' | 'GROUP_CAP';

/** One cap on a limit, with what it was computed from. */
export interface LimitComponent {
  kind: LimitComponentKind;
  amountFen: bigint;
  text: LocalizedText;
}

export interface LimitSizing {
  /** Every cap applied; the limit is the least of them. Empty where the grade is not lent to. */
  components: LimitComponent[];
  /** The least cap, at least zero, rounded down to the product's step; null where the grade is not lent to. */
  limitFen: bigint | null;
}

const BASIS_NAMES: Record<Product['limit']['basis'], LocalizedText> = {
  tax_paid_12m: { 'zh-CN': '近12个月已缴税额', en: '12-month tax paid' },
  invoice_sales_12m: { 'zh-CN': '近12个月开票销售额', en: '12-month invoice sales' },
  declared_revenue_12m: { 'zh-CN': '近12个月申报销售额', en: '12-month declared revenue' },
};

/**
 * The recommended limit as the least of its caps (../../README.md, "Limits"), each shown: the
 * product's maximum; a multiple of the verified basis for the grade (5–10 × a year's tax paid,
 * or 20–40% of a year's invoice sales); that less the bank's lines the enterprise already has
 * (other lenders' would go here too, were there a credit-report source); and what is left of the
 * group cap across the enterprises under common control. Exact: fen and decimal factors.
 */
export function sizeLimit(product: Product, grade: Grade, basisFen: bigint, exposure: ProfileAsOf['exposure']): LimitSizing {
  const factor = product.limit.factorByGrade[grade];
  if (factor === undefined) return { components: [], limitFen: null };
  // decimalToFen reads the factor as hundredths, which fixes two decimals: "0.25" → 25, "8" → 800.
  const hundredths = decimalToFen(factor);
  const revenue = basisFen > 0n ? (basisFen * hundredths) / 100n : 0n;
  const times = hundredths >= 100n ? `× ${factor}` : `× ${hundredths}%`;
  const basis = BASIS_NAMES[product.limit.basis];
  const maximum = decimalToFen(product.maxAmount);
  const groupCap = decimalToFen(product.limit.groupMaxAmount);
  const components: LimitComponent[] = [
    { kind: 'PRODUCT_MAXIMUM', amountFen: maximum, text: { 'zh-CN': `产品最高额度 ${cny(maximum)}`, en: `The product's maximum, ${cny(maximum)}` } },
    {
      kind: 'REVENUE_MULTIPLE',
      amountFen: revenue,
      text: { 'zh-CN': `${basis['zh-CN']} ${cny(basisFen)} ${times}（等级 ${grade}）= ${cny(revenue)}`, en: `${basis.en} ${cny(basisFen)} ${times} (grade ${grade}) = ${cny(revenue)}` },
    },
    {
      kind: 'AFTER_EXISTING_DEBT',
      amountFen: revenue - exposure.ownLinesFen,
      text: {
        'zh-CN': `扣除本行未结授信 ${cny(exposure.ownLinesFen)} 后 ${cny(revenue - exposure.ownLinesFen)}（他行负债：无征信数据源）`,
        en: `${cny(revenue - exposure.ownLinesFen)} after this bank's open lines of ${cny(exposure.ownLinesFen)} (other lenders': no credit-report source)`,
      },
    },
    {
      kind: 'GROUP_CAP',
      amountFen: groupCap - exposure.groupLinesFen,
      text: {
        'zh-CN': `共同控制企业 ${exposure.groupEnterprises} 家，集团上限 ${cny(groupCap)}，已用 ${cny(exposure.groupLinesFen)}，余 ${cny(groupCap - exposure.groupLinesFen)}`,
        en: `A group of ${exposure.groupEnterprises} enterprises under common control: cap ${cny(groupCap)}, used ${cny(exposure.groupLinesFen)}, left ${cny(groupCap - exposure.groupLinesFen)}`,
      },
    },
  ];
  const least = components.reduce((min, component) => (component.amountFen < min ? component.amountFen : min), maximum);
  const step = decimalToFen(product.limit.roundTo);
  const floored = least > 0n ? least : 0n;
  return { components, limitFen: step > 0n ? (floored / step) * step : floored };
}

/** ¥1,234,567.89, exactly. */
function cny(fen: bigint): string {
  const [whole, cents] = fenToDecimal(fen).split('.') as [string, string];
  return `${whole.startsWith('-') ? '−' : ''}¥${whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
