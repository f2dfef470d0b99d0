/**
 * A simulator of a business-registry data provider (an aggregator of the national enterprise
 * credit information publicity system, in the style of Qichacha or Tianyancha), serving the
 * demo portfolio in the provider's wire format: PascalCase fields, capital as text with unit
 * and currency, Chinese labels, and an API-marketplace app code.
 *
 *   GET /api/enterprise/basic?keyword=USCC
 *   GET /api/enterprise/{partners,key-persons,changes,exceptions}?keyword=USCC&pageIndex&pageSize
 */
import type { Request } from 'express';
import { asOf, type EnterpriseBundle, type RelationRecord } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import { BadSandboxRequest, intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';
import type { RegistryConfig } from '../manifest.js';

/** The sandbox's app code: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_APP_CODE = 'registry-sandbox-demo-appcode';

type Wire = Record<string, unknown>;

const STATUS_LABELS = {
  UNVERIFIED: '存续（在营、开业、在册）',
  ACTIVE: '存续（在营、开业、在册）',
  ABNORMAL_OPERATIONS: '存续（在营、开业、在册）',
  LIQUIDATING: '清算',
  REVOKED: '吊销，未注销',
  CANCELLED: '注销',
} as const;

const CHANGE_LABELS = {
  LEGAL_REPRESENTATIVE: '法定代表人变更',
  SHAREHOLDER: '投资人变更',
  NAME: '名称变更',
  ADDRESS: '住所变更',
  SCOPE: '经营范围变更',
  CAPITAL: '注册资本变更',
  STATUS: '登记状态变更',
} as const;

/** Integer fen as the registry writes capital: '500000000' → '500万'. */
export function tenThousandYuan(fen: string): string {
  const value = BigInt(fen);
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}万`;
}

/** A ratio with four decimals as a percentage with two: '0.3500' → '35.00%'. */
function percentOf(ratio: string): string {
  const [whole = '0', fraction = ''] = ratio.split('.');
  const tenThousandths = Number(whole) * 10_000 + Number(fraction.padEnd(4, '0').slice(0, 4));
  return `${Math.floor(tenThousandths / 100)}.${String(tenThousandths % 100).padStart(2, '0')}%`;
}


export function startRegistrySandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const { portfolio } = options;
  const byUscc = new Map<string, EnterpriseBundle>(portfolio.enterprises.map((e) => [e.uscc, e]));
  const persons = new Map(portfolio.persons.map((person) => [person.key, person]));
  const enterpriseName = (uscc: string) => byUscc.get(uscc)?.name ?? portfolio.outsideCounterparties.find((c) => c.uscc === uscc)?.name ?? uscc;
  const legalRepresentative = (e: EnterpriseBundle, clock: string) => {
    const current = asOf(e.relations, clock).find((r) => r.type === 'LEGAL_REPRESENTATIVE' && r.validTo === null);
    return current?.from.kind === 'PERSON' ? (persons.get(current.from.personKey)?.name ?? null) : null;
  };

  const partner = (r: RelationRecord): Wire => {
    const person = r.from.kind === 'PERSON' ? persons.get(r.from.personKey) : undefined;
    return {
      KeyNo: r.externalId,
      StockName: r.from.kind === 'PERSON' ? (person?.name ?? '') : enterpriseName(r.from.uscc),
      StockType: r.from.kind === 'PERSON' ? '自然人股东' : '企业法人',
      IdNo: person?.idNumber ?? null,
      CreditCode: r.from.kind === 'ENTERPRISE' ? r.from.uscc : null,
      StockPercent: percentOf(r.shareRatio ?? '0'),
      ShouldCapi: r.subscribedCapitalFen === null ? null : `${tenThousandYuan(r.subscribedCapitalFen)}元`,
      StartDate: r.validFrom,
      EndDate: r.validTo,
    };
  };
  const keyPerson = (r: RelationRecord): Wire => {
    const person = r.from.kind === 'PERSON' ? persons.get(r.from.personKey) : undefined;
    return {
      KeyNo: r.externalId,
      Name: person?.name ?? '',
      IdNo: person?.idNumber ?? '',
      Role: r.type === 'LEGAL_REPRESENTATIVE' ? '法定代表人' : '高管',
      Job: r.position,
      StartDate: r.validFrom,
      EndDate: r.validTo,
    };
  };

  const lists: Record<string, (e: EnterpriseBundle, clock: string) => Wire[]> = {
    partners: (e, clock) => asOf(e.relations, clock).filter((r) => r.type === 'SHAREHOLDER').map(partner),
    'key-persons': (e, clock) => asOf(e.relations, clock).filter((r) => r.type === 'LEGAL_REPRESENTATIVE' || r.type === 'EXECUTIVE').map(keyPerson),
    changes: (e, clock) =>
      asOf(e.registryChanges, clock).map((c) => ({
        KeyNo: c.externalId,
        ProjectName: CHANGE_LABELS[c.field],
        BeforeContent: c.before,
        AfterContent: c.after,
        ChangeDate: c.changedOn,
      })),
    exceptions: (e, clock) =>
      asOf(e.abnormalOperations, clock).map((a) => ({
        KeyNo: a.externalId,
        AddReason: a.reason,
        AddDate: a.listedOn,
        DecisionOffice: a.listedBy,
        RemoveReason: a.removalReason,
        RemoveDate: a.removedOn,
      })),
  };

  /** The record as the registry showed it at `clock`: its version observed by then. */
  const basic = (bundle: EnterpriseBundle, clock: string): Wire => {
    const e = asOf(bundle.recordVersions, clock)[0] ?? bundle;
    return {
      KeyNo: e.externalId,
      Name: e.name,
      CreditCode: e.uscc,
      OperName: legalRepresentative(bundle, clock),
      EconKind: e.legalForm,
      Industry: { IndustryCode: e.industryCode.slice(0, 1), SubIndustryCode: e.industryCode.slice(1) },
      AreaCode: e.regionCode,
      Status: STATUS_LABELS[e.status],
      Tags: e.status === 'ABNORMAL_OPERATIONS' ? ['经营异常'] : [],
      StartDate: e.establishedOn,
      RegistCapi: `${tenThousandYuan(e.registeredCapitalFen)}元人民币`,
      RecCap: e.paidInCapitalFen === null ? null : `${tenThousandYuan(e.paidInCapitalFen)}元人民币`,
      Address: e.address,
      Scope: e.scope,
    };
  };

  return startSandbox({
    name: 'registry',
    auth: { kind: 'apiKey', header: 'authorization', key: `APPCODE ${DEMO_APP_CODE}` },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: portfolio.clockInstant,
    bodies: {
      unauthorized: { Status: '101', Message: 'APPCODE 无效或已过期' },
      badRequest: (message) => ({ Status: '102', Message: `参数错误: ${message}` }),
      serverError: { Status: '500', Message: '服务器内部错误' },
      tooManyRequests: { Status: '112', Message: '请求次数超过限制' },
    },
    routes(app, context) {
      const enterpriseOf = (req: Request) => {
        const keyword = req.query.keyword;
        if (typeof keyword !== 'string' || keyword === '') throw new BadSandboxRequest('keyword is required');
        const enterprise = byUscc.get(keyword);
        return enterprise && enterprise.recordVersions[0]!.observedAt < context.clock() ? enterprise : undefined;
      };
      const noResult = { status: 200, body: { Status: '201', Message: '查询无结果', Result: null } };
      app.get('/api/enterprise/basic', context.data((req): DataAnswer<Wire> => {
        const enterprise = enterpriseOf(req);
        if (!enterprise) return noResult;
        const record = basic(enterprise, context.clock());
        const envelope = (records: unknown[]) => ({ Status: '200', Message: '查询成功', Result: records[0] ?? null });
        return { status: 200, body: envelope([record]), page: { records: [record], previous: [], withRecords: envelope, drift: (r, random) => drift('basic', r, random) } };
      }));
      app.get('/api/enterprise/:stream', context.data((req): DataAnswer<Wire> => {
        const stream = String(req.params.stream);
        const list = lists[stream];
        if (!list) throw new BadSandboxRequest(`unknown resource ${stream}`);
        const pageIndex = intParam(req, 'pageIndex', 1);
        const pageSize = intParam(req, 'pageSize', 10, 50);
        const enterprise = enterpriseOf(req);
        if (!enterprise) return noResult;
        const records = list(enterprise, context.clock());
        const page = pageOf(records, pageIndex, pageSize);
        const envelope = (items: unknown[]) => ({ Status: '200', Message: '查询成功', Paging: { PageSize: pageSize, PageIndex: pageIndex, TotalRecords: records.length }, Result: items });
        return { status: 200, body: envelope(page.records), page: { ...page, withRecords: envelope, drift: (r, random) => drift(stream, r, random) } };
      }));
    },
  });
}

/** How the provider's schema drifts between releases: a field renamed, a percentage sent as a number. */
const RENAMES: Record<string, [string, string]> = {
  basic: ['Name', 'EntName'],
  partners: ['StockPercent', 'StockRatio'],
  'key-persons': ['Name', 'PersonName'],
  changes: ['ProjectName', 'ChangeItem'],
  exceptions: ['AddReason', 'InReason'],
};

function drift(stream: string, record: Wire, random: Random): Wire {
  if (stream === 'partners' && random() < 0.5) return { ...record, StockPercent: Number(String(record.StockPercent).replace('%', '')) };
  const [from, to] = RENAMES[stream]!;
  const { [from]: moved, ...rest } = record;
  return { ...rest, [to]: moved };
}

export const registrySandbox: UpstreamSandbox<RegistryConfig> = {
  start: startRegistrySandbox,
  config: (url) => ({ baseUrl: url, appCode: DEMO_APP_CODE }),
};

