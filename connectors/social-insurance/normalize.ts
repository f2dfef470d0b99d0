import { z } from 'zod';
import { decimalToFen } from '../../src/common/money.js';
import type { Normalized } from '../../src/ingest/sdk.js';

/**
 * The agency's contribution records → social-insurance months. Pure. The agency writes the
 * insured headcount as a string of digits (releases have sent a number: accepted), amounts in
 * yuan as strings, the contribution month as yyyyMM.
 */
const yuan = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    context.addIssue({ code: 'custom', message: `expected a yuan amount such as "41230.50", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return decimalToFen(text).toString();
});

const headcount = z.union([z.string().regex(/^\d{1,7}$/, 'expected a whole number of persons'), z.number().int().min(0)]).transform(Number);

const contribution = z.object({
  jfjlbh: z.string().min(1),
  tyshxydm: z.string().length(18),
  fkssq: z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, 'expected a month yyyyMM'),
  cbrs: headcount,
  sjjfje: yuan,
  gxrq: z.string().regex(/^\d{8}$/, 'expected a date yyyyMMdd'),
});

export function normalizeSocialInsurance(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream !== 'contributions') return { ok: false, errors: [`stream: the social-insurance connector has no stream '${context.stream}'`] };
  const parsed = contribution.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).jfjlbh : undefined;
    return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`), ...(typeof id === 'string' ? { externalId: id } : {}) };
  }
  const r = parsed.data;
  if (r.tyshxydm !== context.uscc) return { ok: false, errors: [`tyshxydm: a record of ${r.tyshxydm} in the stream of ${context.uscc}`], externalId: r.jfjlbh };
  return {
    ok: true,
    records: [
      {
        entity: 'socialInsuranceMonth',
        externalId: r.jfjlbh,
        fields: { month: `${r.fkssq.slice(0, 4)}-${r.fkssq.slice(4)}-01`, insuredHeadcount: r.cbrs, contributionsPaidFen: r.sjjfje },
      },
    ],
  };
}
