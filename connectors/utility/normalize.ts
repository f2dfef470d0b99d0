import { z } from 'zod';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';
import { BILLS } from './read.js';
import { rejection, yuan, yyyyMM, yyyyMMdd } from '../kit/wire.js';

/**
 * The utility's monthly bills → canonical facts. Pure. Amounts arrive in yuan as strings with
 * two decimals and consumption as a decimal string; a plain JSON number is accepted when it is
 * exact (upstreams drift between the two). Periods arrive as yyyyMM, dates as yyyyMMdd.
 */

/**
 * Consumption as the store's numeric(14,3) gives it back: three decimals, no leading zeros
 * ("1234" → "1234.000"), so a re-read hashes the same and compares equal to the stored value.
 */
const quantity = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  const match = /^(0|[1-9]\d{0,10})(?:\.(\d{1,3}))?$/.exec(text);
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
  zq: yyyyMM,
  yl: quantity,
  jldw: z.enum(['kWh', 'm3']),
  ysje: yuan({ signed: true }),
  sjje: yuan({ signed: true }),
  jfzt: z.enum([PAID, '未缴']),
  dqrq: yyyyMMdd,
  jfrq: yyyyMMdd.nullable(),
  yqts: z.number().int().min(0),
});

export function normalizeUtility(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== BILLS) return { ok: false, errors: [`stream: the utility connector has no stream '${context.stream}'`] };
  const parsed = bill.safeParse(raw);
  if (!parsed.success) return rejection(raw, parsed.error, 'zdbh');
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
