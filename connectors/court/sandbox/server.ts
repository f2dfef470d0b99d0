/**
 * A simulator of a commercial judicial-risk data API (司法风险数据服务, in the style of the
 * aggregators banks license), serving the demo portfolio in the provider's wire format: an
 * envelope with a business status, pinyin field names, amounts in yuan as strings, dates as
 * yyyyMMdd, an API key header, and cursor pagination.
 *
 *   GET /api/judicial/v2/cases?creditCode=USCC&cursor=...&limit=50          court cases the enterprise is party to
 *   GET /api/judicial/v2/enforcements?creditCode=USCC&cursor=...&limit=50   enforcements against it or its legal representative
 *
 * Header `X-Api-Key`. Status '200' found, '201' no result (an empty stream), '101' bad key (HTTP 401).
 */
import type { Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type CourtCaseRecord, type EnforcementRecord, type EnterpriseBundle, type PersonRecord } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import type { CourtConfig } from '../manifest.js';
import { BadSandboxRequest, compactDay, intParam, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';

/** The sandbox's demo key: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_KEY = 'court-sandbox-demo-key';

type Wire = Record<string, unknown>;

const CASE_KIND_NAMES = { CIVIL: '民事', ADMINISTRATIVE: '行政', CRIMINAL: '刑事', ENFORCEMENT: '执行', PRESERVATION: '保全', BANKRUPTCY: '破产' } as const;
const PARTY_ROLE_NAMES = { PLAINTIFF: '原告', DEFENDANT: '被告', THIRD_PARTY: '第三人' } as const;

function caseOf(c: CourtCaseRecord): Wire {
  return {
    id: c.externalId,
    ah: c.caseNumber,
    fymc: c.court,
    ajlx: CASE_KIND_NAMES[c.caseKind],
    ay: c.cause,
    dsrlx: PARTY_ROLE_NAMES[c.partyRole],
    dfdsr: c.counterparty,
    bdje: c.amountFen === null ? null : fenToDecimal(c.amountFen),
    larq: compactDay(c.filedOn),
    ajzt: c.status === 'OPEN' ? '审理中' : '已结案',
    cprq: c.judgmentOn ? compactDay(c.judgmentOn) : null,
    fbrq: compactDay(c.observedAt),
  };
}

function enforcementOf(e: EnforcementRecord, enterprise: EnterpriseBundle, persons: ReadonlyMap<string, PersonRecord>): Wire {
  let subject: Wire;
  if (e.personKey === null) {
    subject = { bzxrlx: '企业', bzxrmc: enterprise.name };
  } else {
    const person = persons.get(e.personKey);
    if (!person) throw new Error(`sandbox court: enforcement ${e.externalId} names unknown person ${e.personKey}`);
    subject = { bzxrlx: '自然人', bzxrxm: person.name, sfzhm: person.idNumber };
  }
  return {
    id: e.externalId,
    ah: e.caseNumber,
    zxfy: e.court,
    zxbd: fenToDecimal(e.amountFen),
    wlje: fenToDecimal(e.outstandingFen),
    larq: compactDay(e.filedOn),
    ajzt: e.status === 'OPEN' ? '执行中' : '已结案',
    jarq: e.closedOn ? compactDay(e.closedOn) : null,
    sxbz: e.dishonestDebtor ? '1' : '0',
    xgbz: e.consumptionRestriction ? '1' : '0',
    ...subject,
    fbrq: compactDay(e.observedAt),
  };
}

/** How the provider's schema drifts in practice: a field renamed in a release, amounts sent as numbers. */
const RENAMES: Record<string, [string, string]> = { cases: ['ah', 'anhao'], enforcements: ['zxbd', 'zxje'] };
const AMOUNTS: Record<string, string[]> = { cases: ['bdje'], enforcements: ['zxbd', 'wlje'] };

function drift(stream: string, record: Wire, random: Random): Wire {
  if (random() < 0.5) {
    const amounts = AMOUNTS[stream] ?? [];
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, amounts.includes(key) && typeof value === 'string' ? Number(value) : value]));
  }
  const [from, to] = RENAMES[stream]!;
  const { [from]: moved, ...rest } = record;
  return { ...rest, [to]: moved };
}

/** The cursor is opaque to clients: the offset of the next record, base64url-encoded JSON. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(value: unknown): number {
  if (value === undefined) return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof value !== 'string' || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw new BadSandboxRequest('cursor is invalid');
  return offset;
}

const LIMIT_MAX = 50;

/** Filing order, then the provider's id: stable, so a cursor taken on one request holds on the next. */
const byFiling = (a: Wire, b: Wire) => String(a.larq).localeCompare(String(b.larq)) || String(a.id).localeCompare(String(b.id));

function startCourtSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const byUscc = new Map<string, EnterpriseBundle>(options.portfolio.enterprises.map((e) => [e.uscc, e]));
  const persons = new Map<string, PersonRecord>(options.portfolio.persons.map((p) => [p.key, p]));
  const streams: Record<string, (e: EnterpriseBundle, clock: string) => Wire[]> = {
    cases: (e, clock) => asOf(e.courtCases, clock).map(caseOf).sort(byFiling),
    enforcements: (e, clock) => asOf(e.enforcements, clock).map((record) => enforcementOf(record, e, persons)).sort(byFiling),
  };

  return startSandbox({
    name: 'court',
    auth: { kind: 'apiKey', header: 'x-api-key', key: DEMO_KEY },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: options.portfolio.clockInstant,
    bodies: {
      unauthorized: { status: '101', message: 'API Key 无效或已停用', result: null },
      badRequest: (message) => ({ status: '105', message: `参数错误: ${message}`, result: null }),
      serverError: { status: '199', message: '系统内部错误，请稍后重试', result: null },
      tooManyRequests: { status: '111', message: '请求频率超过限制，请稍后重试', result: null },
    },
    routes(app, context) {
      app.get('/api/judicial/v2/:stream', context.data((req: Request): DataAnswer<Wire> => {
        const stream = String(req.params.stream);
        const list = streams[stream];
        if (!list) throw new BadSandboxRequest(`unknown resource ${stream}`);
        const creditCode = req.query.creditCode;
        if (typeof creditCode !== 'string' || creditCode === '') throw new BadSandboxRequest('creditCode is required');
        const offset = decodeCursor(req.query.cursor);
        const limit = intParam(req, 'limit', 20, LIMIT_MAX);
        const enterprise = byUscc.get(creditCode);
        const records = enterprise ? list(enterprise, context.clock()) : [];
        // Like the providers it imitates, "nothing found" is a business status, not an empty list.
        if (records.length === 0) return { status: 200, body: { status: '201', message: '查询无结果', result: null } };
        const page = records.slice(offset, offset + limit);
        const nextCursor = offset + limit < records.length ? encodeCursor(offset + limit) : null;
        const envelope = (items: unknown[]) => ({ status: '200', message: '查询成功', result: { total: records.length, items, nextCursor } });
        return {
          status: 200,
          body: envelope(page),
          page: {
            records: page,
            // The records just before the cursor: what a client sees again when rows shift between two reads.
            previous: records.slice(Math.max(0, offset - limit), offset),
            withRecords: envelope,
            drift: (record, random) => drift(stream, record, random),
          },
        };
      }));
    },
  });
}

export const courtSandbox: UpstreamSandbox<CourtConfig> = {
  start: startCourtSandbox,
  config: (url) => ({ baseUrl: url, apiKey: DEMO_KEY }),
};
