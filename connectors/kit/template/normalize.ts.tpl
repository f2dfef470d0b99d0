import { z } from 'zod';
import type { Normalized } from '../../src/ingest/sdk.js';
import { rejection, yuan } from '../kit/wire.js';

/** The upstream's records → canonical records. Pure: validate with zod, reject with reasons. */
const record = z.object({
  id: z.string().min(1),
  uscc: z.string().length(18),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM'),
  headcount: z.number().int().min(0),
  amount: yuan(),
});

export function normalize__Pascal__(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== 'records') return { ok: false, errors: [`stream: the __id__ connector has no stream '${context.stream}'`] };
  const parsed = record.safeParse(raw);
  if (!parsed.success) return rejection(raw, parsed.error, 'id');
  const r = parsed.data;
  if (r.uscc !== context.uscc) return { ok: false, errors: [`uscc: a record of ${r.uscc} in the stream of ${context.uscc}`], externalId: r.id };
  return {
    ok: true,
    records: [{ entity: 'socialInsuranceMonth', externalId: r.id, fields: { month: `${r.month}-01`, insuredHeadcount: r.headcount, contributionsPaidFen: r.amount } }],
  };
}
