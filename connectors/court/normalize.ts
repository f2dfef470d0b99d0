import { z } from 'zod';
import type { CanonicalRecord, Normalized } from '../../src/ingest/sdk.js';
import { rejection, yuan, yyyyMMdd } from '../kit/wire.js';

/**
 * The judicial-data provider's records → canonical facts. Pure. Amounts arrive in yuan as
 * strings with two decimals; a plain JSON number is accepted when it is exact to the fen
 * (upstreams drift between the two). Dates arrive as yyyyMMdd; codes as the courts' Chinese terms.
 */
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
  bdje: yuan().nullable(),
  larq: yyyyMMdd,
  ajzt: z.enum(['审理中', '已结案']),
  cprq: yyyyMMdd.nullable(),
});

const enforcementCase = z.object({
  id: z.string().min(1),
  ah: z.string().min(1),
  zxfy: z.string().min(1),
  zxbd: yuan(),
  wlje: yuan(),
  larq: yyyyMMdd,
  ajzt: z.enum(['执行中', '已结案']),
  jarq: yyyyMMdd.nullable(),
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

export function normalizeCourt(raw: unknown, context: { uscc: string; stream: string }): Normalized {
  if (context.stream === 'cases') {
    const parsed = courtCase.safeParse(raw);
    if (!parsed.success) return rejection(raw, parsed.error, 'id');
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
    if (!parsed.success) return rejection(raw, parsed.error, 'id');
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
