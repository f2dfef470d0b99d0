import { z } from 'zod';
import type { Normalized } from '../../src/ingest/sdk.js';
import { rejection, yuan, yyyyMM } from '../kit/wire.js';

/**
 * The agency's contribution records → social-insurance months. Pure. The agency writes the
 * insured headcount as a string of digits (releases have sent a number: accepted), amounts in
 * yuan as strings, the contribution month as yyyyMM.
 */
const headcount = z.union([z.string().regex(/^\d{1,7}$/, 'expected a whole number of persons'), z.number().int().min(0)]).transform(Number);

const contribution = z.object({
  jfjlbh: z.string().min(1),
  tyshxydm: z.string().length(18),
  fkssq: yyyyMM,
  cbrs: headcount,
  sjjfje: yuan(),
  gxrq: z.string().regex(/^\d{8}$/, 'expected a date yyyyMMdd'),
});

export function normalizeSocialInsurance(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== 'contributions') return { ok: false, errors: [`stream: the social-insurance connector has no stream '${context.stream}'`] };
  const parsed = contribution.safeParse(raw);
  if (!parsed.success) return rejection(raw, parsed.error, 'jfjlbh');
  const r = parsed.data;
  if (r.tyshxydm !== context.uscc) return { ok: false, errors: [`tyshxydm: a record of ${r.tyshxydm} in the stream of ${context.uscc}`], externalId: r.jfjlbh };
  return {
    ok: true,
    records: [
      {
        entity: 'socialInsuranceMonth',
        externalId: r.jfjlbh,
        fields: { month: r.fkssq, insuredHeadcount: r.cbrs, contributionsPaidFen: r.sjjfje },
      },
    ],
  };
}
