import { z } from 'zod';
import { decimalToFen } from '../../src/common/money.js';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';
import { BILLS } from './read.js';

/**
 * The utility's monthly bills → canonical facts. Pure. Amounts arrive in yuan as strings with
 * two decimals and consumption as a decimal string; a plain JSON number is accepted when it is
 * exact (upstreams drift between the two). Periods arrive as yyyyMM, dates as yyyyMMdd.
 */
const day = z.string().regex(/^\d{8}$/, 'expected a date yyyyMMdd').transform((value, context) => {
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    context.addIssue({ code: 'custom', message: `${value} is not a calendar day` });
    return z.NEVER;
  }
  return iso;
});

const month = z
  .string()
  .regex(/^\d{4}(0[1-9]|1[0-2])$/, 'expected a month yyyyMM')
  .transform((value) => `${value.slice(0, 4)}-${value.slice(4, 6)}-01`);

const textOf = (value: string | number) => (typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value);

const yuan = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = textOf(value);
  try {
    if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw new RangeError();
    return decimalToFen(text).toString();
  } catch {
    context.addIssue({ code: 'custom', message: `expected a yuan amount such as "1234.50", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

/**
 * Consumption as the store's numeric(14,3) gives it back: three decimals, no leading zeros
 * ("1234" → "1234.000"), so a re-read hashes the same and compares equal to the stored value.
 */
const quantity = z.union([z.string(), z.number()]).transform((value, context) => {
  const match = /^(0|[1-9]\d{0,10})(?:\.(\d{1,3}))?$/.exec(textOf(value));
  if (!match) {
    context.addIssue({ code: 'custom', message: `expected a quantity such as "1234.5" (at most 11 digits and 3 decimals), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}`;
});

const UTILITIES = { ELEC: 'ELECTRICITY', WATER: 'WATER', GAS: 'GAS' } as const;
const UNITS = { ELEC: 'kWh', WATER: 'm3', GAS: 'm3' } as const;
const PAID = '已缴';

const bill = z.object({
  zdbh: z.string().min(1),
  hh: z.string().min(1),
  ydlb: z.enum(['ELEC', 'WATER', 'GAS']),
  zq: month,
  yl: quantity,
  jldw: z.enum(['kWh', 'm3']),
  ysje: yuan,
  sjje: yuan,
  jfzt: z.enum([PAID, '未缴']),
  dqrq: day,
  jfrq: day.nullable(),
  yqts: z.number().int().min(0),
});

function rejection(raw: unknown, error: z.ZodError): Normalized {
  const zdbh = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).zdbh : undefined;
  return {
    ok: false,
    errors: error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`),
    ...(typeof zdbh === 'string' && zdbh !== '' ? { externalId: zdbh } : {}),
  };
}

export function normalizeUtility(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== BILLS) return { ok: false, errors: [`stream: the utility connector has no stream '${context.stream}'`] };
  const parsed = bill.safeParse(raw);
  if (!parsed.success) return rejection(raw, parsed.error);
  const b = parsed.data;
  if (b.jldw !== UNITS[b.ydlb]) return { ok: false, errors: [`jldw: ${b.ydlb} is metered in ${UNITS[b.ydlb]}, not ${b.jldw}`], externalId: b.zdbh };
  if ((b.jfzt === PAID) !== (b.jfrq !== null)) return { ok: false, errors: [`jfrq: a bill marked ${b.jfzt} ${b.jfrq === null ? 'without' : 'with'} a payment date`], externalId: b.zdbh };
  const record: CanonicalRecord = {
    entity: 'utilityBill',
    externalId: b.zdbh,
    fields: {
      utility: UTILITIES[b.ydlb],
      accountNumber: b.hh,
      period: b.zq,
      consumption: b.yl,
      unit: b.jldw,
      billedFen: b.ysje,
      paidFen: b.sjje,
      dueOn: b.dqrq,
      paidOn: b.jfrq,
      daysOverdue: b.yqts,
    },
  };
  return { ok: true, records: [record] };
}
