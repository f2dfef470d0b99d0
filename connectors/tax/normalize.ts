import { z } from 'zod';
import { decimalToFen } from '../../src/common/money.js';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';

/**
 * The tax bureau's records → canonical facts. Pure. Amounts arrive in yuan as strings with
 * two decimals; a plain JSON number is accepted when it is exact to the fen (upstreams drift
 * between the two). Dates arrive as yyyyMMdd.
 */
const day = z.string().regex(/^\d{8}$/, 'expected a date yyyyMMdd').transform((value, context) => {
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    context.addIssue({ code: 'custom', message: `${value} is not a calendar day` });
    return z.NEVER;
  }
  return iso;
});

const yuan = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  try {
    if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw new RangeError();
    return decimalToFen(text).toString();
  } catch {
    context.addIssue({ code: 'custom', message: `expected a yuan amount such as "1234.50", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

const flag = z.enum(['Y', 'N']).transform((value) => value === 'Y');

const taxReturn = z.object({
  sbxh: z.string().min(1),
  nsrsbh: z.string().length(18),
  sbzlDm: z.string().regex(/^(01|04)\d{4}$/, 'expected a VAT (01xxxx) or corporate income tax (04xxxx) form code'),
  skssqq: day,
  skssqz: day,
  sbrq: day.nullable(),
  xse: yuan,
  ynse: yuan,
  yjse: yuan,
  znj: yuan,
  lsbz: flag,
  yqbz: flag,
});

const creditRating = z.object({
  pjxh: z.string().min(1),
  pjnd: z.string().regex(/^\d{4}$/, 'expected a year'),
  xypj: z.enum(['A', 'B', 'M', 'C', 'D']),
  fbrq: day,
});

const arrears = z.object({
  qsxh: z.string().min(1),
  swjgMc: z.string().min(1),
  qsje: yuan,
  qsrq: day,
  ztDm: z.enum(['01', '02']),
  jqrq: day.nullable(),
});

function rejection(raw: unknown, error: z.ZodError, key: string): Normalized {
  const externalId = typeof raw === 'object' && raw !== null && typeof (raw as Record<string, unknown>)[key] === 'string'
    ? ((raw as Record<string, unknown>)[key] as string)
    : undefined;
  return {
    ok: false,
    errors: error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`),
    ...(externalId ? { externalId } : {}),
  };
}

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
