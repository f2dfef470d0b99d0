import { z } from 'zod';
import { decimalToFen } from '../../src/common/money.js';
import type { Normalized } from '../../src/ingest/sdk.js';

/** The upstream's records → canonical records. Pure: validate with zod, reject with reasons. */
const amount = z.string().regex(/^\d+(\.\d{1,2})?$/, 'expected an amount in yuan such as "1234.50"').transform((value) => decimalToFen(value).toString());

const record = z.object({
  id: z.string().min(1),
  uscc: z.string().length(18),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM'),
  headcount: z.number().int().min(0),
  amount,
});

export function normalize__Pascal__(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== 'records') return { ok: false, errors: [`stream: the __id__ connector has no stream '${context.stream}'`] };
  const parsed = record.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).id : undefined;
    return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`), ...(typeof id === 'string' ? { externalId: id } : {}) };
  }
  const r = parsed.data;
  if (r.uscc !== context.uscc) return { ok: false, errors: [`uscc: a record of ${r.uscc} in the stream of ${context.uscc}`], externalId: r.id };
  return {
    ok: true,
    records: [{ entity: 'socialInsuranceMonth', externalId: r.id, fields: { month: `${r.month}-01`, insuredHeadcount: r.headcount, contributionsPaidFen: r.amount } }],
  };
}
