import { z } from 'zod';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';
import { rejection, yuan, yyyyMMdd } from '../kit/wire.js';

/**
 * The tax bureau's records → canonical facts. Pure. Amounts arrive in yuan as strings with
 * two decimals; a plain JSON number is accepted when it is exact to the fen (upstreams drift
 * between the two). Dates arrive as yyyyMMdd.
 */
const flag = z.enum(['Y', 'N']).transform((value) => value === 'Y');

const taxReturn = z.object({
  sbxh: z.string().min(1),
  nsrsbh: z.string().length(18),
  sbzlDm: z.string().regex(/^(01|04)\d{4}$/, 'expected a VAT (01xxxx) or corporate income tax (04xxxx) form code'),
  skssqq: yyyyMMdd,
  skssqz: yyyyMMdd,
  sbrq: yyyyMMdd.nullable(),
  xse: yuan({ signed: true }),
  ynse: yuan({ signed: true }),
  yjse: yuan({ signed: true }),
  znj: yuan({ signed: true }),
  lsbz: flag,
  yqbz: flag,
});

const creditRating = z.object({
  pjxh: z.string().min(1),
  pjnd: z.string().regex(/^\d{4}$/, 'expected a year'),
  xypj: z.enum(['A', 'B', 'M', 'C', 'D']),
  fbrq: yyyyMMdd,
});

const arrears = z.object({
  qsxh: z.string().min(1),
  swjgMc: z.string().min(1),
  qsje: yuan({ signed: true }),
  qsrq: yyyyMMdd,
  ztDm: z.enum(['01', '02']),
  jqrq: yyyyMMdd.nullable(),
});

export function normalizeTax(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream === 'returns') {
    const parsed = taxReturn.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error, 'sbxh');
    const r = parsed.data;
    if (r.nsrsbh !== context.uscc) return { ok: false, errors: [`nsrsbh: a return of ${r.nsrsbh} in the stream of ${context.uscc}`], externalId: r.sbxh };
    if (r.skssqz < r.skssqq) return { ok: false, errors: ['skssqz: the period ends before it starts'], externalId: r.sbxh };
    const record: CanonicalRecord = {
      entity: 'taxFiling',
      externalId: r.sbxh,
      fields: {
        formCode: r.sbzlDm,
        taxType: r.sbzlDm.startsWith('01') ? 'VAT' : 'CORPORATE_INCOME',
        periodStart: r.skssqq,
        periodEnd: r.skssqz,
        declaredRevenueFen: r.xse,
        taxPayableFen: r.ynse,
        taxPaidFen: r.yjse,
        lateFeeFen: r.znj,
        filedOn: r.sbrq,
        late: r.yqbz,
        zeroFiling: r.lsbz,
      },
    };
    return { ok: true, records: [record] };
  }
  if (context.stream === 'credit-ratings') {
    const parsed = creditRating.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error, 'pjxh');
    const r = parsed.data;
    return { ok: true, records: [{ entity: 'taxRating', externalId: r.pjxh, fields: { year: Number(r.pjnd), grade: r.xypj, publishedOn: r.fbrq } }] };
  }
  if (context.stream === 'arrears') {
    const parsed = arrears.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error, 'qsxh');
    const r = parsed.data;
    return {
      ok: true,
      records: [
        {
          entity: 'taxArrears',
          externalId: r.qsxh,
          fields: { authority: r.swjgMc, amountFen: r.qsje, since: r.qsrq, status: r.ztDm === '01' ? 'OUTSTANDING' : 'SETTLED', settledOn: r.jqrq },
        },
      ],
    };
  }
  return { ok: false, errors: [`stream: the tax connector has no stream '${context.stream}'`] };
}
