import { monthOfDay, parseDay } from '../../common/calendar.js';
import type { PartyRole } from '../../store/schema.js';
import { daysSince, growth, monthsSince, ratio, sumMonths, yuan, type FeatureInput } from './derive.js';

export const SOURCES = ['registry', 'tax', 'court', 'invoice', 'utility', 'social-insurance'] as const;
export type SourceId = (typeof SOURCES)[number];

export type FeatureUnit = 'MONTHS' | 'DAYS' | 'CNY' | 'COUNT' | 'RATIO' | 'FLAG' | 'GRADE' | 'KWH' | 'PERSONS';

export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

/**
 * One feature: a pure function of an enterprise's profile as of T. `compute` runs only when
 * every source in `sources` is current at T (see src/risk/features/compute.ts); otherwise the
 * value is null, never zero. `reason` words the feature's value when it pulls a score down.
 */
export interface FeatureDefinition {
  name: string;
  version: number;
  description: string;
  unit: FeatureUnit;
  sources: readonly SourceId[];
  reason: { code: string; text: (value: number | null) => LocalizedText };
  compute(input: FeatureInput): number | null;
}

/** How old a source's data may be at T before features that need it are null. */
export const MAX_AGE_DAYS: Record<SourceId, number> = {
  registry: 90,
  tax: 45,
  court: 45,
  invoice: 45,
  utility: 60,
  'social-insurance': 60,
};

/** The catalog's version, raised with any change to a feature's definition. */
export const CATALOG_VERSION = '2026.12.1';

const TAX_GRADE_ORDINAL = { A: 4, B: 3, M: 2, C: 1, D: 0 } as const;
const GRADE_LETTER = ['D', 'C', 'M', 'B', 'A'];
/** Lawsuits over money lent or over equity: the disputes that knock an application out. */
const LOAN_OR_EQUITY_CAUSE = /借款|借贷|股权|股东|追偿/;

const pct = (value: number | null) => (value === null ? '—' : `${value < 0 ? '−' : value > 0 ? '+' : ''}${Math.abs(Math.round(value * 100))}%`);
const share = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
const cny = (value: number | null) => (value === null ? '—' : `¥${Math.round(value).toLocaleString('en-US')}`);
const num = (value: number | null) => (value === null ? '—' : String(Math.round(value * 100) / 100));
const text = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

// Invoice windows are full calendar months before T's month: invoicing is reported in real time.
const sales = (input: FeatureInput, months: number, offset = 0) => sumMonths(input.salesByMonth, input.month - 1 - offset, months);
const salesGrowth = (input: FeatureInput, months: number) => growth(sales(input, months), sales(input, months, 12));
const taxWindow = (input: FeatureInput, months: number, offset = 0) => {
  const last = input.lastDueTaxMonth - offset;
  return input.profile.taxFilings.filter((filing) => {
    const m = monthOfDay(parseDay(filing.periodEnd));
    return filing.taxType === 'VAT' && m <= last && m > last - months;
  });
};
const taxSum = (input: FeatureInput, field: 'declaredRevenueFen' | 'taxPaidFen', months: number, offset = 0) =>
  taxWindow(input, months, offset).reduce((total, filing) => total + filing[field], 0n);
/** The invoice months among the 12 full months before T. */
const invoiceMonths12 = (input: FeatureInput) =>
  input.profile.invoiceMonths.filter((row) => {
    const m = monthOfDay(parseDay(row.month));
    return m >= input.month - 12 && m < input.month;
  });
const gradeAt = (input: FeatureInput, dayLimit: number) => {
  const visible = input.profile.taxRatings.filter((rating) => parseDay(rating.publishedOn) <= dayLimit);
  const latest = visible.reduce<(typeof visible)[number] | undefined>((best, rating) => (!best || rating.year >= best.year ? rating : best), undefined);
  return latest ? TAX_GRADE_ORDINAL[latest.grade] : null;
};
const openEnforcements = (input: FeatureInput, subject?: string) =>
  input.profile.enforcements.filter((item) => item.status === 'OPEN' && (subject === undefined || item.subject === subject));
const listedHit = (input: FeatureInput, subject: string) =>
  openEnforcements(input, subject).some((item) => item.dishonestDebtor || item.consumptionRestriction) ? 1 : 0;
const defendantOpen = (input: FeatureInput) =>
  input.profile.courtCases.filter((item) => item.partyRole === 'DEFENDANT' && item.status === 'OPEN' && item.caseKind !== 'ENFORCEMENT');
/** Lawsuits (not enforcement) filed in the 12 months before T in which the enterprise has this role. */
const casesIn12Months = (input: FeatureInput, role: PartyRole) =>
  input.profile.courtCases.filter((item) => item.partyRole === role && item.caseKind !== 'ENFORCEMENT' && daysSince(item.filedOn, input.day) < 365).length;
const changesWithin = (input: FeatureInput, field: string | null, days: number) =>
  input.profile.registryChanges.filter((change) => (field === null || change.field === field) && daysSince(change.changedOn, input.day) < days).length;
const legalRepresentative = (input: FeatureInput) => input.profile.relations.find((relation) => relation.type === 'LEGAL_REPRESENTATIVE');
const buyersLast12 = (input: FeatureInput) => input.profile.buyers.filter((buyer) => buyer.last12Fen > 0n);
const buyerShares = (input: FeatureInput) => {
  const buyers = buyersLast12(input);
  const total = buyers.reduce((sum, buyer) => sum + buyer.last12Fen, 0n);
  return total > 0n ? buyers.map((buyer) => Number(buyer.last12Fen) / Number(total)) : null;
};
/**
 * The latest electricity billing month at or before T, the anchor of the consumption windows;
 * none without a bill in the 13 months before T (the profile holds 28 months of them).
 */
const latestKwhMonth = (input: FeatureInput) => {
  let latest: number | null = null;
  for (const m of input.kwhByMonth.keys()) if (latest === null || m > latest) latest = m;
  return latest !== null && latest >= input.month - 13 ? latest : null;
};
const kwh = (input: FeatureInput, last: number, months: number) => {
  let total = 0;
  for (let m = last - months + 1; m <= last; m++) total += input.kwhByMonth.get(m) ?? 0;
  return total;
};
const headcountAt = (input: FeatureInput, monthsBack: number) => {
  const months = input.profile.socialInsuranceMonths;
  const latest = months.at(-1);
  if (!latest) return null;
  const target = monthOfDay(parseDay(latest.month)) - monthsBack;
  return months.find((row) => monthOfDay(parseDay(row.month)) === target)?.insuredHeadcount ?? null;
};

/**
 * The exact amounts (fen) behind the money features a product may size a limit on: a limit is
 * computed from these, never from the float feature values.
 */
export const LIMIT_BASES = {
  invoice_sales_12m: (input: FeatureInput) => sales(input, 12),
  declared_revenue_12m: (input: FeatureInput) => taxSum(input, 'declaredRevenueFen', 12),
  tax_paid_12m: (input: FeatureInput) => taxSum(input, 'taxPaidFen', 12),
} as const;
export type LimitBasis = keyof typeof LIMIT_BASES;

function feature(definition: FeatureDefinition): FeatureDefinition {
  return definition;
}

const registryFeatures = [
  feature({
    name: 'months_in_business',
    version: 1,
    description: 'Whole months from the day the enterprise was established to T.',
    unit: 'MONTHS',
    sources: ['registry'],
    reason: { code: 'REG_YOUNG', text: (v) => text(`成立仅 ${num(v)} 个月`, `In business for only ${num(v)} months`) },
    compute: (input) => (input.profile.enterprise.establishedOn ? monthsSince(input.profile.enterprise.establishedOn, input) : null),
  }),
  feature({
    name: 'registered_capital',
    version: 1,
    description: 'Registered capital at T, in yuan.',
    unit: 'CNY',
    sources: ['registry'],
    reason: { code: 'REG_CAPITAL', text: (v) => text(`注册资本较低（${cny(v)}）`, `Low registered capital (${cny(v)})`) },
    compute: (input) => (input.registeredCapitalFen === null ? null : yuan(input.registeredCapitalFen)),
  }),
  feature({
    name: 'status_active',
    version: 1,
    description: '1 when the enterprise was active at T (not liquidating, revoked or cancelled).',
    unit: 'FLAG',
    sources: ['registry'],
    reason: { code: 'REG_INACTIVE', text: () => text('企业非存续状态', 'The enterprise is not active') },
    compute: (input) => (input.statusAtT === 'ACTIVE' || input.statusAtT === 'ABNORMAL_OPERATIONS' ? 1 : 0),
  }),
  feature({
    name: 'abnormal_operations_open',
    version: 1,
    description: 'Abnormal-operations listings open at T.',
    unit: 'COUNT',
    sources: ['registry'],
    reason: { code: 'REG_ABNORMAL', text: (v) => text(`列入经营异常名录（${num(v)} 项）`, `Listed for abnormal operations (${num(v)} open)`) },
    compute: (input) => input.profile.abnormalOperations.filter((entry) => entry.removedOn === null).length,
  }),
  feature({
    name: 'legal_rep_changes_24m',
    version: 1,
    description: 'Changes of legal representative in the 24 months before T.',
    unit: 'COUNT',
    sources: ['registry'],
    reason: { code: 'REG_REP_CHANGE', text: (v) => text(`近24个月法定代表人变更 ${num(v)} 次`, `Legal representative changed ${num(v)} times in 24 months`) },
    compute: (input) => changesWithin(input, 'LEGAL_REPRESENTATIVE', 730),
  }),
  feature({
    name: 'registry_changes_12m',
    version: 1,
    description: 'Registry changes of any kind in the 12 months before T.',
    unit: 'COUNT',
    sources: ['registry'],
    reason: { code: 'REG_CHURN', text: (v) => text(`近12个月工商变更 ${num(v)} 次`, `${num(v)} registry changes in 12 months`) },
    compute: (input) => changesWithin(input, null, 365),
  }),
  feature({
    name: 'name_change_6m',
    version: 1,
    description: '1 when the enterprise changed its name in the 6 months before T.',
    unit: 'FLAG',
    sources: ['registry'],
    reason: { code: 'REG_NAME_CHANGE', text: () => text('近6个月变更企业名称', 'Changed its name in the last 6 months') },
    compute: (input) => (changesWithin(input, 'NAME', 183) > 0 ? 1 : 0),
  }),
  feature({
    name: 'shareholder_changes_6m',
    version: 1,
    description: 'Shareholder changes in the 6 months before T.',
    unit: 'COUNT',
    sources: ['registry'],
    reason: { code: 'REG_EQUITY_CHANGE', text: (v) => text(`近6个月股东变更 ${num(v)} 次`, `${num(v)} shareholder changes in 6 months`) },
    compute: (input) => changesWithin(input, 'SHAREHOLDER', 183),
  }),
  feature({
    name: 'legal_rep_tenure_months',
    version: 1,
    description: "Months the legal representative in office at T has held the post.",
    unit: 'MONTHS',
    sources: ['registry'],
    reason: { code: 'REG_REP_TENURE', text: (v) => text(`法定代表人任职仅 ${num(v)} 个月`, `Legal representative in office for only ${num(v)} months`) },
    compute: (input) => {
      const since = legalRepresentative(input)?.validFrom ?? input.profile.enterprise.establishedOn;
      return since ? monthsSince(since, input) : null;
    },
  }),
  feature({
    name: 'legal_rep_share',
    version: 1,
    description: "The legal representative's own shareholding at T, 0..1.",
    unit: 'RATIO',
    sources: ['registry'],
    reason: { code: 'REG_REP_NO_STAKE', text: (v) => text(`法定代表人持股比例 ${share(v)}`, `Legal representative holds ${share(v)} of the shares`) },
    compute: (input) => {
      const representative = legalRepresentative(input);
      if (!representative?.fromPersonId) return 0;
      return input.profile.relations
        .filter((relation) => relation.type === 'SHAREHOLDER' && relation.fromPersonId === representative.fromPersonId)
        .reduce((total, relation) => total + (relation.shareRatio ?? 0), 0);
    },
  }),
];

const invoiceFeatures = [
  ...([3, 6, 12] as const).map((months) =>
    feature({
      name: `invoice_sales_${months}m`,
      version: 1,
      description: `Net sales invoiced in the ${months} full months before T (red-letter invoices deducted, void ones left out), in yuan.`,
      unit: 'CNY',
      sources: ['invoice'],
      reason: { code: `INV_SALES_${months}M`, text: (v) => text(`近${months}个月开票销售额 ${cny(v)}`, `Invoice sales of ${cny(v)} over ${months} months`) },
      compute: (input) => yuan(sales(input, months)),
    }),
  ),
  ...([3, 6, 12] as const).map((months) =>
    feature({
      name: `invoice_sales_growth_yoy_${months}m`,
      version: 1,
      description: `Invoice sales over the last ${months} full months against the same months a year earlier, minus 1.`,
      unit: 'RATIO',
      sources: ['invoice'],
      reason: {
        code: `INV_YOY_${months}M`,
        text: (v) => text(`近${months}个月开票销售额同比 ${pct(v)}`, `Invoice sales ${pct(v)} year on year over ${months} months`),
      },
      compute: (input) => salesGrowth(input, months),
    }),
  ),
  feature({
    name: 'invoice_sales_volatility_12m',
    version: 1,
    description: 'Coefficient of variation of monthly invoice sales over 12 months (standard deviation over mean).',
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_VOLATILE', text: (v) => text(`月度开票波动大（变异系数 ${num(v)}）`, `Monthly invoice sales are volatile (coefficient of variation ${num(v)})`) },
    compute: (input) => {
      const values = Array.from({ length: 12 }, (_, i) => Number(input.salesByMonth.get(input.month - 1 - i) ?? 0n));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      if (mean <= 0) return null;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      return Math.sqrt(variance) / mean;
    },
  }),
  feature({
    name: 'invoice_latest_vs_prior3',
    version: 1,
    description: "The last full month's invoice sales against the mean of the three months before it.",
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_LATEST_DROP', text: (v) => text(`上月开票为前三月均值的 ${share(v)}`, `Last month's invoice sales were ${share(v)} of the prior three months' mean`) },
    compute: (input) => ratio(sales(input, 1), Number(sales(input, 3, 1)) / 3),
  }),
  feature({
    name: 'months_since_first_sales_invoice',
    version: 1,
    description: 'Months from the first sales invoice to T.',
    unit: 'MONTHS',
    sources: ['invoice'],
    reason: { code: 'INV_SHORT_HISTORY', text: (v) => text(`首张销项发票距今仅 ${num(v)} 个月`, `First sales invoice only ${num(v)} months ago`) },
    compute: (input) => (input.profile.firstSalesInvoiceOn ? monthsSince(input.profile.firstSalesInvoiceOn, input) : 0),
  }),
  feature({
    name: 'invoice_longest_gap_days_12m',
    version: 1,
    description: 'The longest run of days without a sales invoice in the 365 days before T.',
    unit: 'DAYS',
    sources: ['invoice'],
    reason: { code: 'INV_GAP', text: (v) => text(`近12个月最长 ${num(v)} 天未开票`, `Up to ${num(v)} days without a sales invoice in 12 months`) },
    compute: (input) => {
      const start = input.day - 365;
      let previous = start;
      let longest = 0;
      for (const row of input.profile.invoiceMonths) {
        const first = parseDay(row.month);
        for (let bit = 0; bit < 31; bit++) {
          if ((row.salesDayMask & (1 << bit)) === 0) continue;
          const d = first + bit;
          if (d < start || d > input.day) continue;
          longest = Math.max(longest, d - previous);
          previous = d;
        }
      }
      return Math.max(longest, input.day - previous);
    },
  }),
  feature({
    name: 'invoicing_months_24m',
    version: 1,
    description: 'Months with net sales invoiced among the 24 full months before T.',
    unit: 'COUNT',
    sources: ['invoice'],
    reason: { code: 'INV_SPARSE', text: (v) => text(`近24个月仅 ${num(v)} 个月有开票`, `Invoiced in only ${num(v)} of 24 months`) },
    compute: (input) => Array.from({ length: 24 }, (_, i) => input.salesByMonth.get(input.month - 1 - i) ?? 0n).filter((v) => v > 0n).length,
  }),
  feature({
    name: 'invoice_last3_share_of_12m',
    version: 1,
    description: "The last 3 months' share of 12-month invoice sales (0.25 is steady).",
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_RECENT_SHARE', text: (v) => text(`近3个月开票占全年 ${share(v)}`, `The last 3 months carry ${share(v)} of 12-month invoice sales`) },
    compute: (input) => ratio(sales(input, 3), sales(input, 12)),
  }),
  feature({
    name: 'red_letter_rate_12m',
    version: 1,
    description: 'Red-letter (reversed) invoice amount over gross sales invoiced in 12 months.',
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_RED_LETTER', text: (v) => text(`红字发票金额占比 ${share(v)}`, `Red-letter invoices reverse ${share(v)} of sales`) },
    compute: (input) => {
      const rows = invoiceMonths12(input);
      const red = rows.reduce((total, row) => total + row.redLetterFen, 0n);
      return ratio(red, rows.reduce((total, row) => total + row.salesFen, 0n) + red);
    },
  }),
  feature({
    name: 'void_rate_12m',
    version: 1,
    description: 'Voided sales invoices over all sales invoices issued in 12 months, by count.',
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_VOID', text: (v) => text(`作废发票占比 ${share(v)}`, `${share(v)} of sales invoices were voided`) },
    compute: (input) => {
      const rows = invoiceMonths12(input);
      return ratio(rows.reduce((total, row) => total + row.voidCount, 0), rows.reduce((total, row) => total + row.salesCount, 0));
    },
  }),
  feature({
    name: 'top_buyer_share_12m',
    version: 1,
    description: "The largest buyer's share of 12-month invoice sales.",
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_TOP_BUYER', text: (v) => text(`最大客户占销售额 ${share(v)}`, `The largest buyer takes ${share(v)} of sales`) },
    compute: (input) => {
      const shares = buyerShares(input);
      return shares ? Math.max(...shares) : null;
    },
  }),
  feature({
    name: 'buyer_hhi_12m',
    version: 1,
    description: 'Herfindahl–Hirschman index of buyers’ shares of 12-month invoice sales (1 is a single buyer).',
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_CONCENTRATED', text: (v) => text(`客户集中度高（HHI ${num(v)}）`, `Sales concentrated on few buyers (HHI ${num(v)})`) },
    compute: (input) => {
      const shares = buyerShares(input);
      return shares ? shares.reduce((total, s) => total + s * s, 0) : null;
    },
  }),
  feature({
    name: 'active_buyers_12m',
    version: 1,
    description: 'Buyers invoiced in the 12 full months before T.',
    unit: 'COUNT',
    sources: ['invoice'],
    reason: { code: 'INV_FEW_BUYERS', text: (v) => text(`近12个月仅 ${num(v)} 家客户`, `Only ${num(v)} buyers in 12 months`) },
    compute: (input) => buyersLast12(input).length,
  }),
  feature({
    name: 'top10_buyer_churn',
    version: 1,
    description: "Share of the previous year's ten largest buyers not invoiced in the last 12 months.",
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_BUYER_CHURN', text: (v) => text(`上年前十大客户流失 ${share(v)}`, `${share(v)} of last year's top ten buyers were lost`) },
    compute: (input) => {
      const top = input.profile.buyers
        .filter((buyer) => buyer.prior12Fen > 0n)
        .sort((a, b) => (b.prior12Fen > a.prior12Fen ? 1 : b.prior12Fen < a.prior12Fen ? -1 : 0))
        .slice(0, 10);
      return top.length === 0 ? null : top.filter((buyer) => buyer.last12Fen <= 0n).length / top.length;
    },
  }),
  feature({
    name: 'sales_purchase_margin_12m',
    version: 1,
    description: 'Invoice sales less invoice purchases, over sales, in 12 months.',
    unit: 'RATIO',
    sources: ['invoice'],
    reason: { code: 'INV_MARGIN', text: (v) => text(`进销差率 ${share(v)}`, `Sales exceed purchases by only ${share(v)}`) },
    compute: (input) => {
      const sold = sales(input, 12);
      return ratio(sold - sumMonths(input.purchasesByMonth, input.month - 1, 12), sold);
    },
  }),
];

const taxFeatures = [
  feature({
    name: 'tax_grade',
    version: 1,
    description: 'The latest tax credit grade published by T, as an ordinal: A 4, B 3, M 2, C 1, D 0.',
    unit: 'GRADE',
    sources: ['tax'],
    reason: { code: 'TAX_GRADE', text: (v) => text(`纳税信用等级 ${v === null ? '—' : GRADE_LETTER[v]}`, `Tax credit grade ${v === null ? '—' : GRADE_LETTER[v]}`) },
    compute: (input) => gradeAt(input, input.day),
  }),
  feature({
    name: 'tax_grade_1y_ago',
    version: 1,
    description: 'The latest tax credit grade published by a year before T, as an ordinal: A 4, B 3, M 2, C 1, D 0.',
    unit: 'GRADE',
    sources: ['tax'],
    reason: { code: 'TAX_GRADE_LAST_YEAR', text: (v) => text(`一年前纳税信用等级 ${v === null ? '—' : GRADE_LETTER[v]}`, `Tax credit grade ${v === null ? '—' : GRADE_LETTER[v]} a year ago`) },
    compute: (input) => gradeAt(input, input.day - 365),
  }),
  feature({
    name: 'tax_grade_change_1y',
    version: 1,
    description: 'The tax grade ordinal now minus the one published a year before T.',
    unit: 'GRADE',
    sources: ['tax'],
    reason: { code: 'TAX_GRADE_DOWN', text: (v) => text(`纳税信用等级较上年下降 ${num(v === null ? null : -v)} 级`, `Tax grade down ${num(v === null ? null : -v)} steps on a year ago`) },
    compute: (input) => {
      const now = gradeAt(input, input.day);
      const before = gradeAt(input, input.day - 365);
      return now === null || before === null ? null : now - before;
    },
  }),
  feature({
    name: 'tax_paid_12m',
    version: 1,
    description: 'VAT paid on the returns for the 12 months up to the last one due by T, in yuan.',
    unit: 'CNY',
    sources: ['tax'],
    reason: { code: 'TAX_PAID_LOW', text: (v) => text(`近12个月纳税额 ${cny(v)}`, `Tax paid of ${cny(v)} over 12 months`) },
    compute: (input) => yuan(LIMIT_BASES.tax_paid_12m(input)),
  }),
  feature({
    name: 'tax_paid_growth_yoy',
    version: 1,
    description: 'VAT paid over 12 months against the 12 months before, minus 1.',
    unit: 'RATIO',
    sources: ['tax'],
    reason: { code: 'TAX_PAID_DOWN', text: (v) => text(`纳税额同比 ${pct(v)}`, `Tax paid ${pct(v)} year on year`) },
    compute: (input) => growth(taxSum(input, 'taxPaidFen', 12), taxSum(input, 'taxPaidFen', 12, 12)),
  }),
  feature({
    name: 'declared_revenue_12m',
    version: 1,
    description: 'Revenue declared on the VAT returns for the 12 months up to the last one due by T, in yuan.',
    unit: 'CNY',
    sources: ['tax'],
    reason: { code: 'TAX_REVENUE_LOW', text: (v) => text(`近12个月申报收入 ${cny(v)}`, `Declared revenue of ${cny(v)} over 12 months`) },
    compute: (input) => yuan(LIMIT_BASES.declared_revenue_12m(input)),
  }),
  feature({
    name: 'tax_months_late_12m',
    version: 1,
    description: 'Returns filed late among those for the 12 months up to the last one due by T.',
    unit: 'COUNT',
    sources: ['tax'],
    reason: { code: 'TAX_LATE', text: (v) => text(`近12个月逾期申报 ${num(v)} 次`, `${num(v)} returns filed late in 12 months`) },
    compute: (input) => taxWindow(input, 12).filter((filing) => filing.late).length,
  }),
  feature({
    name: 'tax_months_missing_or_zero_24m',
    version: 1,
    description: 'Of the 24 months up to the last VAT return due by T, those covered by no return or only by zero returns.',
    unit: 'COUNT',
    sources: ['tax'],
    reason: { code: 'TAX_GAPS', text: (v) => text(`近24个月 ${num(v)} 个月未申报或零申报`, `${num(v)} of 24 months without a return or with a zero return`) },
    compute: (input) => {
      const covered = new Map<number, boolean>();
      for (const filing of input.profile.taxFilings) {
        if (filing.taxType !== 'VAT') continue;
        for (let m = monthOfDay(parseDay(filing.periodStart)); m <= monthOfDay(parseDay(filing.periodEnd)); m++) {
          covered.set(m, (covered.get(m) ?? false) || !filing.zeroFiling);
        }
      }
      let gaps = 0;
      for (let m = input.lastDueTaxMonth - 23; m <= input.lastDueTaxMonth; m++) if (!covered.get(m)) gaps++;
      return gaps;
    },
  }),
  feature({
    name: 'tax_arrears_outstanding',
    version: 1,
    description: 'Tax arrears outstanding at T, in yuan.',
    unit: 'CNY',
    sources: ['tax'],
    reason: { code: 'TAX_ARREARS', text: (v) => text(`欠税 ${cny(v)}`, `Tax arrears of ${cny(v)} outstanding`) },
    compute: (input) => yuan(input.profile.taxArrears.filter((item) => item.status === 'OUTSTANDING').reduce((total, item) => total + item.amountFen, 0n)),
  }),
  feature({
    name: 'invoice_to_declared_ratio_12m',
    version: 1,
    description: 'Invoice sales over revenue declared for VAT in the same 12 months: far above 1 means under-declaring.',
    unit: 'RATIO',
    sources: ['tax', 'invoice'],
    reason: { code: 'TAX_INVOICE_MISMATCH', text: (v) => text(`开票额为申报收入的 ${num(v)} 倍`, `Invoice sales are ${num(v)} times declared revenue`) },
    compute: (input) => ratio(sumMonths(input.salesByMonth, input.lastDueTaxMonth, 12), taxSum(input, 'declaredRevenueFen', 12)),
  }),
];

const judicialFeatures = [
  feature({
    name: 'lawsuits_open_defendant',
    version: 1,
    description: 'Lawsuits open at T with the enterprise as defendant.',
    unit: 'COUNT',
    sources: ['court'],
    reason: { code: 'CRT_DEFENDANT', text: (v) => text(`作为被告的未结诉讼 ${num(v)} 件`, `${num(v)} open lawsuits as defendant`) },
    compute: (input) => defendantOpen(input).length,
  }),
  feature({
    name: 'lawsuits_open_defendant_amount',
    version: 1,
    description: 'Amounts claimed in lawsuits open at T with the enterprise as defendant, in yuan.',
    unit: 'CNY',
    sources: ['court'],
    reason: { code: 'CRT_DEFENDANT_AMOUNT', text: (v) => text(`被诉金额 ${cny(v)}`, `Claims of ${cny(v)} against the enterprise`) },
    compute: (input) => yuan(defendantOpen(input).reduce((total, item) => total + (item.amountFen ?? 0n), 0n)),
  }),
  feature({
    name: 'loan_or_equity_disputes_open',
    version: 1,
    description: 'Open lawsuits as defendant over a loan, a guarantee recourse or equity.',
    unit: 'COUNT',
    sources: ['court'],
    reason: { code: 'CRT_LOAN_DISPUTE', text: (v) => text(`借贷或股权纠纷被诉 ${num(v)} 件`, `${num(v)} open loan or equity disputes as defendant`) },
    compute: (input) => defendantOpen(input).filter((item) => LOAN_OR_EQUITY_CAUSE.test(item.cause)).length,
  }),
  feature({
    name: 'lawsuits_12m',
    version: 2,
    description: 'Lawsuits filed against the enterprise (as defendant) in the 12 months before T. Version 1 counted every role, so a firm suing its own customers looked litigious.',
    unit: 'COUNT',
    sources: ['court'],
    reason: { code: 'CRT_LITIGIOUS', text: (v) => text(`近12个月被诉 ${num(v)} 件`, `Sued ${num(v)} times in 12 months`) },
    compute: (input) => casesIn12Months(input, 'DEFENDANT'),
  }),
  feature({
    name: 'plaintiff_suits_12m',
    version: 1,
    description: 'Lawsuits the enterprise filed (as plaintiff) in the 12 months before T: collecting its own receivables, a separate and usually neutral fact, never an adverse one.',
    unit: 'COUNT',
    sources: ['court'],
    reason: { code: 'CRT_PLAINTIFF', text: (v) => text(`近12个月作为原告起诉 ${num(v)} 件`, `Sued others ${num(v)} times in 12 months`) },
    compute: (input) => casesIn12Months(input, 'PLAINTIFF'),
  }),
  feature({
    name: 'third_party_cases_12m',
    version: 1,
    description: 'Lawsuits filed in the 12 months before T in which the enterprise is only a third party.',
    unit: 'COUNT',
    sources: ['court'],
    reason: { code: 'CRT_THIRD_PARTY', text: (v) => text(`近12个月作为第三人涉诉 ${num(v)} 件`, `A third party to ${num(v)} lawsuits in 12 months`) },
    compute: (input) => casesIn12Months(input, 'THIRD_PARTY'),
  }),
  feature({
    name: 'defendant_claims_12m_to_sales',
    version: 1,
    description: 'Claims against the enterprise filed in 12 months over its 12-month invoice sales.',
    unit: 'RATIO',
    sources: ['court', 'invoice'],
    reason: { code: 'CRT_CLAIMS_VS_SALES', text: (v) => text(`被诉金额达年销售额的 ${share(v)}`, `Claims equal ${share(v)} of a year's sales`) },
    compute: (input) => {
      const claims = input.profile.courtCases
        .filter((item) => item.partyRole === 'DEFENDANT' && daysSince(item.filedOn, input.day) < 365)
        .reduce((total, item) => total + (item.amountFen ?? 0n), 0n);
      const sold = sales(input, 12);
      return sold > 0n ? Number(claims) / Number(sold) : claims > 0n ? null : 0;
    },
  }),
  feature({
    name: 'enforcement_outstanding',
    version: 1,
    description: 'Amount outstanding at T on enforcement cases against the enterprise, in yuan.',
    unit: 'CNY',
    sources: ['court'],
    reason: { code: 'CRT_ENFORCEMENT', text: (v) => text(`被执行未履行金额 ${cny(v)}`, `${cny(v)} outstanding under enforcement`) },
    compute: (input) => yuan(openEnforcements(input, 'ENTERPRISE').reduce((total, item) => total + item.outstandingFen, 0n)),
  }),
  feature({
    name: 'dishonest_or_restricted_enterprise',
    version: 1,
    description: '1 when the enterprise is a listed dishonest debtor or under a consumption restriction at T.',
    unit: 'FLAG',
    sources: ['court'],
    reason: { code: 'CRT_DISHONEST', text: () => text('企业为失信被执行人或被限制高消费', 'The enterprise is a listed dishonest debtor or under a consumption restriction') },
    compute: (input) => listedHit(input, 'ENTERPRISE'),
  }),
  feature({
    name: 'dishonest_or_restricted_legal_rep',
    version: 1,
    description: '1 when the legal representative in office at T is a listed dishonest debtor or under a consumption restriction.',
    unit: 'FLAG',
    sources: ['court', 'registry'],
    reason: { code: 'CRT_REP_DISHONEST', text: () => text('法定代表人为失信被执行人或被限制高消费', 'The legal representative is a listed dishonest debtor or under a consumption restriction') },
    compute: (input) => listedHit(input, 'LEGAL_REPRESENTATIVE'),
  }),
  feature({
    name: 'dishonest_or_restricted_shareholder',
    version: 1,
    description: '1 when a shareholder of 20% or more at T is a listed dishonest debtor or under a consumption restriction.',
    unit: 'FLAG',
    sources: ['court', 'registry'],
    reason: { code: 'CRT_HOLDER_DISHONEST', text: () => text('主要股东为失信被执行人或被限制高消费', 'A major shareholder is a listed dishonest debtor or under a consumption restriction') },
    compute: (input) => listedHit(input, 'MAJOR_SHAREHOLDER'),
  }),
  feature({
    name: 'related_with_enforcement_d2',
    version: 1,
    description: 'Related enterprises within two hops (shared shareholder or legal representative, or shares held) with open enforcement at T.',
    unit: 'COUNT',
    sources: ['registry', 'court'],
    reason: { code: 'GRAPH_RELATED_DISTRESS', text: (v) => text(`关联企业中 ${num(v)} 家被执行`, `${num(v)} related enterprises under enforcement`) },
    compute: (input) => input.profile.relatedWithEnforcement.depth1 + input.profile.relatedWithEnforcement.depth2,
  }),
];

const utilityFeatures = [
  feature({
    name: 'electricity_kwh_mean_12m',
    version: 1,
    description: 'Mean monthly electricity consumption over the 12 billing months up to the latest billed by T.',
    unit: 'KWH',
    sources: ['utility'],
    reason: { code: 'UTL_LOW_POWER', text: (v) => text(`月均用电 ${num(v)} 千瓦时`, `Mean electricity use of ${num(v)} kWh a month`) },
    compute: (input) => {
      const last = latestKwhMonth(input);
      return last === null ? null : kwh(input, last, 12) / 12;
    },
  }),
  feature({
    name: 'electricity_trend_3v3',
    version: 1,
    description: 'Electricity used in the last 3 billing months against the 3 before, minus 1.',
    unit: 'RATIO',
    sources: ['utility'],
    reason: { code: 'UTL_POWER_TREND', text: (v) => text(`近3个月用电环比 ${pct(v)}`, `Electricity use ${pct(v)} on the previous 3 months`) },
    compute: (input) => {
      const last = latestKwhMonth(input);
      return last === null ? null : growth(kwh(input, last, 3), kwh(input, last - 3, 3));
    },
  }),
  feature({
    name: 'electricity_yoy_3m',
    version: 1,
    description: 'Electricity used in the last 3 billing months against the same months a year earlier, minus 1.',
    unit: 'RATIO',
    sources: ['utility'],
    reason: { code: 'UTL_POWER_YOY', text: (v) => text(`近3个月用电同比 ${pct(v)}`, `Electricity use ${pct(v)} year on year`) },
    compute: (input) => {
      const last = latestKwhMonth(input);
      return last === null ? null : growth(kwh(input, last, 3), kwh(input, last - 12, 3));
    },
  }),
  feature({
    name: 'electricity_latest_vs_peak12',
    version: 1,
    description: "The latest billing month's electricity use against the highest of the 12 before it.",
    unit: 'RATIO',
    sources: ['utility'],
    reason: { code: 'UTL_POWER_OFF_PEAK', text: (v) => text(`最近一月用电为峰值的 ${share(v)}`, `Latest electricity use is ${share(v)} of the 12-month peak`) },
    compute: (input) => {
      const last = latestKwhMonth(input);
      if (last === null) return null;
      let peak = 0;
      for (let m = last - 12; m < last; m++) peak = Math.max(peak, input.kwhByMonth.get(m) ?? 0);
      return ratio(input.kwhByMonth.get(last) ?? 0, peak);
    },
  }),
  feature({
    name: 'utility_days_overdue',
    version: 1,
    description: 'Days past due at T of the oldest utility bill still unpaid then.',
    unit: 'DAYS',
    sources: ['utility'],
    reason: { code: 'UTL_OVERDUE', text: (v) => text(`水电费逾期 ${num(v)} 天`, `Utility bills ${num(v)} days overdue`) },
    compute: (input) =>
      input.profile.utilityBills.filter((bill) => bill.paidOn === null).reduce((most, bill) => Math.max(most, daysSince(bill.dueOn, input.day)), 0),
  }),
  feature({
    name: 'utility_late_payments_12m',
    version: 1,
    description: 'Utility bills of the 12 months before T paid after their due day, or unpaid and past due.',
    unit: 'COUNT',
    sources: ['utility'],
    reason: { code: 'UTL_LATE', text: (v) => text(`近12个月水电费逾期 ${num(v)} 次`, `${num(v)} late utility payments in 12 months`) },
    compute: (input) =>
      input.profile.utilityBills.filter((bill) => {
        if (monthOfDay(parseDay(bill.period)) < input.month - 12) return false;
        return bill.paidOn === null ? parseDay(bill.dueOn) < input.day : bill.paidOn > bill.dueOn;
      }).length,
  }),
];

const socialInsuranceFeatures = [
  feature({
    name: 'insured_headcount',
    version: 1,
    description: 'Insured headcount in the latest month reported by T.',
    unit: 'PERSONS',
    sources: ['social-insurance'],
    reason: { code: 'SI_HEADCOUNT', text: (v) => text(`参保人数 ${num(v)} 人`, `${num(v)} insured employees`) },
    compute: (input) => input.profile.socialInsuranceMonths.at(-1)?.insuredHeadcount ?? null,
  }),
  feature({
    name: 'insured_headcount_growth_yoy',
    version: 1,
    description: 'Insured headcount in the latest month against 12 months before, minus 1.',
    unit: 'RATIO',
    sources: ['social-insurance'],
    reason: { code: 'SI_HEADCOUNT_DOWN', text: (v) => text(`参保人数同比 ${pct(v)}`, `Insured headcount ${pct(v)} year on year`) },
    compute: (input) => {
      const now = headcountAt(input, 0);
      const before = headcountAt(input, 12);
      return now === null || before === null ? null : growth(now, before);
    },
  }),
];

/** Data coverage and age: computed whatever the sources' state, never null for coverage. */
export const COVERAGE_FEATURE = 'data_coverage';
export const ageFeatureName = (source: SourceId) => `days_since_${source.replace('-', '_')}_data`;

const dataFeatures = [
  feature({
    name: COVERAGE_FEATURE,
    version: 1,
    description: `Share of the ${SOURCES.length} sources with current data at T.`,
    unit: 'RATIO',
    sources: [],
    reason: { code: 'DATA_COVERAGE', text: (v) => text(`数据覆盖 ${share(v)}`, `Only ${share(v)} of the data sources are current`) },
    compute: (input) => SOURCES.filter((source) => sourceState(input, source) === 'CURRENT').length / SOURCES.length,
  }),
  ...SOURCES.map((source) =>
    feature({
      name: ageFeatureName(source),
      version: 1,
      description: `Days from the last data heard from ${source} about the enterprise to T; null if never.`,
      unit: 'DAYS',
      sources: [],
      reason: { code: `DATA_AGE_${source.toUpperCase().replace('-', '_')}`, text: (v) => text(`${source} 数据已 ${num(v)} 天未更新`, `${source} data is ${num(v)} days old`) },
      compute: (input) => {
        const seen = input.profile.lastSeen[source];
        return seen ? Math.floor((input.profile.asOf.getTime() - seen.getTime()) / 86_400_000) : null;
      },
    }),
  ),
];

/**
 * What the hub knows from a source about an enterprise at T: current, stale, nothing, or — the
 * registry — that the registry answered it has no record of it, which is a fact about the
 * enterprise and no data about it.
 */
export type SourceState = 'CURRENT' | 'STALE' | 'MISSING' | 'NOT_FOUND';

export function sourceState(input: FeatureInput, source: SourceId): SourceState {
  const seen = input.profile.lastSeen[source];
  if (!seen) return 'MISSING';
  if (source === 'registry' && input.statusAtT === 'UNVERIFIED') return 'NOT_FOUND';
  return input.profile.asOf.getTime() - seen.getTime() > MAX_AGE_DAYS[source] * 86_400_000 ? 'STALE' : 'CURRENT';
}

/** Every feature, in catalog order. Names are unique (checked by the tests). */
export const FEATURES: readonly FeatureDefinition[] = [
  ...registryFeatures,
  ...invoiceFeatures,
  ...taxFeatures,
  ...judicialFeatures,
  ...utilityFeatures,
  ...socialInsuranceFeatures,
  ...dataFeatures,
];

export const FEATURES_BY_NAME: ReadonlyMap<string, FeatureDefinition> = new Map(FEATURES.map((definition) => [definition.name, definition]));
