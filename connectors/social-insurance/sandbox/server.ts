/**
 * A simulator of a social-insurance agency's data service for banks (社保数据服务), serving
 * the demo portfolio in the agency's wire format: a result code envelope, pinyin field names,
 * the headcount as a string, amounts in yuan as strings, months as yyyyMM, OAuth2.
 *
 *   POST /auth/token                                                   grant_type=client_credentials
 *   GET  /si/v1/units/:tyshxydm/contributions?pageNum&pageSize&gxrqq=yyyyMMdd   (gxrqq: changed on or after)
 */
import type { Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type EnterpriseBundle } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import { BadSandboxRequest, compactDay, intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';
import type { SocialInsuranceConfig } from '../manifest.js';

/** The sandbox's demo client: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_CLIENT = { clientId: 'creditgraph-demo', clientSecret: 'social-insurance-sandbox-demo-secret' };

type Wire = Record<string, unknown>;

/** A unit's contribution records as of `clock`, oldest change first. */
function contributionsOf(enterprise: EnterpriseBundle, clock: string): Wire[] {
  return asOf(enterprise.socialInsuranceMonths, clock)
    .map((m) => ({
      jfjlbh: m.externalId,
      tyshxydm: enterprise.uscc,
      dwmc: enterprise.name,
      fkssq: m.month.slice(0, 7).replace('-', ''),
      cbrs: String(m.insuredHeadcount),
      sjjfje: fenToDecimal(m.contributionsPaidFen),
      gxrq: compactDay(m.observedAt),
    }))
    .sort((a, b) => a.gxrq.localeCompare(b.gxrq) || a.jfjlbh.localeCompare(b.jfjlbh));
}

/** How the agency's schema drifts: the headcount field renamed, or sent as a number. */
function drift(record: Wire, random: Random): Wire {
  if (random() < 0.5) return { ...record, cbrs: Number(record.cbrs) };
  const { sjjfje, ...rest } = record;
  return { ...rest, jfje: sjjfje };
}

function startSocialInsuranceSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const byUscc = new Map(options.portfolio.enterprises.map((e) => [e.uscc, e]));
  return startSandbox({
    name: 'social-insurance',
    auth: { kind: 'oauth2', tokenPath: '/auth/token', ...DEMO_CLIENT },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: options.portfolio.clockInstant,
    bodies: {
      unauthorized: { resultCode: '100401', resultMsg: '令牌无效或已过期', data: null },
      badRequest: (message) => ({ resultCode: '100400', resultMsg: `参数错误: ${message}`, data: null }),
      serverError: { resultCode: '999999', resultMsg: '系统异常，请稍后再试', data: null },
      tooManyRequests: { resultCode: '100429', resultMsg: '访问过于频繁', data: null },
    },
    routes(app, context) {
      app.get('/si/v1/units/:tyshxydm/contributions', context.data((req: Request): DataAnswer<Wire> => {
        const pageNum = intParam(req, 'pageNum', 1);
        const pageSize = intParam(req, 'pageSize', 20, 100);
        const since = req.query.gxrqq;
        if (since !== undefined && (typeof since !== 'string' || !/^\d{8}$/.test(since))) throw new BadSandboxRequest('gxrqq must be yyyyMMdd');
        const enterprise = byUscc.get(String(req.params.tyshxydm));
        if (!enterprise) return { status: 200, body: { resultCode: '100404', resultMsg: '未查询到参保单位', data: null } };
        let records = contributionsOf(enterprise, context.clock());
        if (since !== undefined) records = records.filter((r) => String(r.gxrq) >= since);
        const parts = pageOf(records, pageNum, pageSize);
        const envelope = (rows: unknown[]) => ({ resultCode: '000000', resultMsg: '成功', data: { total: records.length, rows } });
        return { status: 200, body: envelope(parts.records), page: { ...parts, withRecords: envelope, drift } };
      }));
    },
  });
}

export const socialInsuranceSandbox: UpstreamSandbox<SocialInsuranceConfig> = {
  start: startSocialInsuranceSandbox,
  config: (url) => ({ baseUrl: url, ...DEMO_CLIENT }),
};
