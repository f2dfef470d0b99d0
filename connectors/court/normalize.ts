import { z } from 'zod';
import { decimalToFen } from '../../src/common/money.js';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';

/**
 * The judicial-data provider's records → canonical facts. Pure. Amounts arrive in yuan as
 * strings with two decimals; a plain JSON number is accepted when it is exact to the fen
 * (upstreams drift between the two). Dates arrive as yyyyMMdd; codes as the courts' Chinese terms.
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
    if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new RangeError();
    return decimalToFen(text).toString();
  } catch {
    context.addIssue({ code: 'custom', message: `expected a yuan amount such as "1234.50", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

const flag = z.enum(['1', '0']).transform((value) => value === '1');

const CASE_KINDS = { 民事: 'CIVIL', 行政: 'ADMINISTRATIVE', 刑事: 'CRIMINAL', 执行: 'ENFORCEMENT', 保全: 'PRESERVATION', 破产: 'BANKRUPTCY' } as const;
const PARTY_ROLES = { 原告: 'PLAINTIFF', 被告: 'DEFENDANT', 第三人: 'THIRD_PARTY' } as const;

const courtCase = z.object({
  id: z.string().min(1),
  ah: z.string().min(1),
  fymc: z.string().min(1),
  ajlx: z.enum(Object.keys(CASE_KINDS) as (keyof typeof CASE_KINDS)[]),
  ay: z.string().min(1),
  dsrlx: z.enum(Object.keys(PARTY_ROLES) as (keyof typeof PARTY_ROLES)[]),
  bdje: yuan.nullable(),
  larq: day,
  ajzt: z.enum(['审理中', '已结案']),
  cprq: day.nullable(),
});

const enforcementCase = z.object({
  id: z.string().min(1),
  ah: z.string().min(1),
  zxfy: z.string().min(1),
  zxbd: yuan,
  wlje: yuan,
  larq: day,
  ajzt: z.enum(['执行中', '已结案']),
  jarq: day.nullable(),
  sxbz: flag,
  xgbz: flag,
});

/** Against whom: the enterprise (by name), or a natural person (by name and resident ID number). */
const subject = z.discriminatedUnion('bzxrlx', [
  z.object({ bzxrlx: z.literal('企业'), bzxrmc: z.string().min(1) }),
  z.object({
    bzxrlx: z.literal('自然人'),
    bzxrxm: z.string().min(1),
    sfzhm: z.string().regex(/^\d{17}[\dX]$/, 'expected an 18-character resident ID number'),
  }),
]);

const enforcement = enforcementCase.and(subject);

function rejection(raw: unknown, error: z.ZodError): Normalized {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).id : undefined;
  return {
    ok: false,
    errors: error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`),
    ...(typeof id === 'string' && id !== '' ? { externalId: id } : {}),
  };
}

export function normalizeCourt(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream === 'cases') {
    const parsed = courtCase.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error);
    const r = parsed.data;
    if (r.cprq !== null && r.cprq < r.larq) return { ok: false, errors: ['cprq: judged before the case was filed'], externalId: r.id };
    const record: CanonicalRecord = {
      entity: 'courtCase',
      externalId: r.id,
      fields: {
        caseNumber: r.ah,
        court: r.fymc,
        caseKind: CASE_KINDS[r.ajlx],
        cause: r.ay,
        partyRole: PARTY_ROLES[r.dsrlx],
        amountFen: r.bdje,
        filedOn: r.larq,
        status: r.ajzt === '审理中' ? 'OPEN' : 'CLOSED',
        judgmentOn: r.cprq,
      },
    };
    return { ok: true, records: [record] };
  }
  if (context.stream === 'enforcements') {
    const parsed = enforcement.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error);
    const r = parsed.data;
    if (r.jarq !== null && r.jarq < r.larq) return { ok: false, errors: ['jarq: closed before the case was filed'], externalId: r.id };
    const record: CanonicalRecord = {
      entity: 'enforcement',
      externalId: r.id,
      fields: {
        caseNumber: r.ah,
        court: r.zxfy,
        amountFen: r.zxbd,
        outstandingFen: r.wlje,
        filedOn: r.larq,
        status: r.ajzt === '执行中' ? 'OPEN' : 'CLOSED',
        closedOn: r.jarq,
        dishonestDebtor: r.sxbz,
        consumptionRestriction: r.xgbz,
        against: r.bzxrlx === '企业' ? null : { idNumber: r.sfzhm, name: r.bzxrxm },
      },
    };
    return { ok: true, records: [record] };
  }
  return { ok: false, errors: [`stream: the court connector has no stream '${context.stream}'`] };
}
