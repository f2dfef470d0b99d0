import type { EnterpriseFields } from '../../src/ingest/sdk.js';

type EnterpriseStatus = Exclude<EnterpriseFields['status'], undefined | null>;

/** The business registry's text conventions: registered capital and status as its answers write them. */
const CURRENCIES: Record<string, string> = { 人民币: 'CNY', 美元: 'USD', 港元: 'HKD', 欧元: 'EUR' };
const UNITS: Record<string, bigint> = { '': 100n, 万: 1_000_000n, 亿: 10_000_000_000n };

/** '500万元人民币' → fen and currency; the amount must come out a whole number of fen. */
export function parseCapital(text: string): { fen: string; currency: string } | undefined {
  const match = /^(\d+)(?:\.(\d+))?(万|亿)?元?(人民币|美元|港元|欧元)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole = '', fraction = '', unit = '', currency = '人民币'] = match;
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole) * scale + BigInt(fraction || '0')) * UNITS[unit]!;
  if (scaled % scale !== 0n) return undefined;
  return { fen: (scaled / scale).toString(), currency: CURRENCIES[currency]! };
}

/** The registry's status labels; "存续" with the 经营异常 tag is an abnormal-operations listing. */
export function statusOfLabel(label: string, tags: readonly string[] = []): Exclude<EnterpriseStatus, 'UNVERIFIED'> | undefined {
  if (label.startsWith('存续') || label.startsWith('在业') || label.startsWith('开业')) return tags.includes('经营异常') ? 'ABNORMAL_OPERATIONS' : 'ACTIVE';
  if (label.startsWith('清算')) return 'LIQUIDATING';
  if (label.startsWith('吊销')) return 'REVOKED';
  if (label.startsWith('注销')) return 'CANCELLED';
  return undefined;
}
