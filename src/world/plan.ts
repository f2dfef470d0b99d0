/**
 * The first pass of the generator: each enterprise's profile, latent health path, ownership
 * and registry events. Enterprise i is planned from its own random streams and from the plans
 * of enterprises 0..i−1 only (shared persons and enterprise shareholders are always taken from
 * earlier enterprises), so its plan is the same whatever the portfolio size.
 */
import {
  BIRTHPLACE_CODES,
  BRAND_CHARACTERS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  INDUSTRIES,
  REGIONS,
  ROADS,
  SURNAMES,
  SURNAME_WEIGHTS,
  type Industry,
  type Region,
} from './catalog.js';
import type { ABNORMAL_REASONS } from './catalog.js';
import { dayInMonth, daysInMonth, formatDay, monthOfDay, monthStart } from '../common/calendar.js';
import { residentIdCheckCharacter } from '../profile/resident-id.js';
import { composeUscc } from './identifiers.js';
import { forkRandom, type Random } from './random.js';
import type { PartyRef, PersonRecord, TaxpayerType } from './types.js';
import { USCC_CHARSET } from '../profile/uscc.js';

/** The generator's usual window; its stories' timings are drawn relative to the window's end. */
export const HISTORY_MONTHS = 36;

/** Shared state of one generation run. */
export interface Context {
  seed: number;
  size: number;
  /** Months of history: the window. */
  months: number;
  /** Months of the window before the usual 36: where a story's window-relative timings are shifted to. */
  lead: number;
  /** Month numbers (year × 12 + month − 1). */
  clockMonth: number;
  firstMonth: number;
  /** Day numbers. */
  clockDay: number;
  windowStartDay: number;
  usccs: Set<string>;
  names: Set<string>;
  idNumbers: Set<string>;
  caseNumbers: Set<string>;
  persons: PersonRecord[];
  personsByKey: Map<string, PersonState>;
  plans: EnterprisePlan[];
  planByUscc: Map<string, EnterprisePlan>;
}

export interface PersonState {
  record: PersonRecord;
  /** Enterprises the person is related to (capped at 4). */
  enterprises: Set<number>;
}

export type EnterpriseKind = 'COMPANY' | 'JOINT_STOCK' | 'SOLE_PROPRIETORSHIP' | 'INDIVIDUAL';

export interface Holding {
  party: PartyRef;
  /** Share in 1/10,000. */
  units: number;
  fromDay: number;
  toDay: number | null;
}

export interface Role {
  personKey: string;
  fromDay: number;
  toDay: number | null;
  position: string | null;
}

export interface Terminal {
  status: 'REVOKED' | 'CANCELLED' | 'LIQUIDATING';
  day: number;
}

export interface AbnormalListing {
  reasonKey: keyof typeof ABNORMAL_REASONS;
  listedDay: number;
  removedDay: number | null;
}

export interface EnterprisePlan {
  index: number;
  cluster: number;
  region: Region;
  industry: Industry;
  kind: EnterpriseKind;
  legalForm: string;
  uscc: string;
  name: string;
  /** A name change in the window: the former name and the day. */
  nameChange: { before: string; day: number } | null;
  address: string;
  addressChange: { before: string; day: number } | null;
  scope: string;
  scopeChange: { before: string; day: number } | null;
  capitalFen: number;
  capitalChange: { beforeFen: number; day: number } | null;
  paidInFen: number | null;
  establishedDay: number;
  taxpayerType: TaxpayerType;
  quarterlyVat: boolean;
  baseMonthlySalesYuan: number;
  /** Yearly growth rate of sales in normal times. */
  growth: number;
  distressed: boolean;
  /** Window month index (0..35) where distress starts. */
  distressStart: number | null;
  severity: number;
  underDeclares: boolean;
  terminal: Terminal | null;
  /** Health per window month, 0 before the enterprise existed. */
  health: number[];
  /** Days with business activity: [activeStartDay, activeEndDay). */
  activeStartDay: number;
  activeEndDay: number;
  shareholders: Holding[];
  legalRepresentatives: Role[];
  executives: Role[];
  abnormal: AbnormalListing[];
  /** First month number (absolute) of fully digital invoices. */
  digitalFromMonth: number;
}

export function planEnterprise(context: Context, index: number): EnterprisePlan {
  const { seed } = context;
  const rng = forkRandom(seed, 'enterprise', index, 'profile');
  const region = rng.weighted(REGIONS, REGIONS.map((r) => r.weight));
  const industry = rng.weighted(INDUSTRIES, INDUSTRIES.map((i) => i.weight));

  const kindDraw = rng.next();
  const kind: EnterpriseKind =
    kindDraw < 0.04 ? 'INDIVIDUAL' : kindDraw < 0.1 ? 'SOLE_PROPRIETORSHIP' : kindDraw < 0.14 ? 'JOINT_STOCK' : 'COMPANY';
  const legalForm = { COMPANY: '有限责任公司', JOINT_STOCK: '股份有限公司', SOLE_PROPRIETORSHIP: '个人独资企业', INDIVIDUAL: '个体工商户' }[kind];

  // Distress: exactly one enterprise in each block of ten, at a position drawn per block.
  const block = Math.floor(index / 10);
  const distressed = forkRandom(seed, 'distress-block', block).int(0, 9) === index % 10;
  const distressStart = distressed ? context.lead + rng.int(18, 32) : null;
  const severity = distressed ? rng.float(0.45, 0.92) : 0;
  const ramp = rng.int(2, 8);

  // Age: most between 2 and 20 years, a minority between 1 and 2.
  let ageMonths = rng.bernoulli(0.12) ? rng.float(12, 24) : 24 + Math.min(215, rng.exponential(72));
  if (distressStart !== null) ageMonths = Math.max(ageMonths, context.months - distressStart + 12 + rng.float(0, 12));
  // Ages as at the usual window's end, so a longer story's enterprises exist when its window starts.
  const ageDay = monthStart(context.clockMonth - context.lead);
  const establishedDay = Math.min(ageDay - 366, ageDay - Math.round(ageMonths * 30.4375) - rng.int(0, 20));

  const uscc = drawUscc(context, rng, kind === 'INDIVIDUAL' ? '2' : '1', region.code, establishedDay);
  const name = drawName(context, rng, kind, region, industry);

  // Size and tax status.
  const kindScale = kind === 'INDIVIDUAL' ? 0.25 : kind === 'SOLE_PROPRIETORSHIP' ? 0.45 : kind === 'JOINT_STOCK' ? 2 : 1;
  const baseMonthlySalesYuan = clamp(industry.medianMonthlySalesYuan * kindScale * rng.logNormal(0, 0.7), 30_000, 10_000_000);
  const annualSales = baseMonthlySalesYuan * 12;
  const taxpayerType: TaxpayerType =
    kind === 'INDIVIDUAL' ? 'SMALL_SCALE' : annualSales > 5_000_000 || rng.bernoulli(0.25) ? 'GENERAL' : 'SMALL_SCALE';
  const quarterlyVat = taxpayerType === 'SMALL_SCALE' && rng.bernoulli(0.6);
  const growth = rng.normal(0.04, 0.1);
  const underDeclares = rng.bernoulli(0.05);

  // Registered capital in 万元 (10,000 yuan = 1,000,000 fen).
  const capitalWan =
    kind === 'INDIVIDUAL' || kind === 'SOLE_PROPRIETORSHIP'
      ? rng.pick([10, 20, 30, 50, 100])
      : rng.weighted([100, 200, 300, 500, 800, 1000, 1500, 2000, 3000, 5000], [10, 12, 10, 14, 6, 10, 4, 5, 3, 2].map(
          (w, i) => w * (annualSales > 20_000_000 ? 1 + i / 3 : annualSales < 3_000_000 ? Math.max(0.2, 1 - i / 6) : 1),
        ));
  const capitalFen = capitalWan * 1_000_000;
  const paidDraw = rng.next();
  const paidInFen =
    paidDraw < 0.2 ? null : paidDraw < 0.5 ? 0 : paidDraw < 0.8 ? capitalFen : Math.round(capitalWan * rng.float(0.1, 0.9)) * 1_000_000;

  const monthOfEstablishment = monthOfDay(establishedDay);
  const digitalFromMonth = context.firstMonth + context.lead + rng.int(10, 27);

  // Terminal status for a few of the deeply distressed.
  let terminal: Terminal | null = null;
  if (distressStart !== null && severity > 0.7 && distressStart <= 28) {
    const draw = rng.next();
    const status = draw < 0.15 ? 'REVOKED' : draw < 0.27 ? 'LIQUIDATING' : draw < 0.32 ? 'CANCELLED' : null;
    const month = distressStart + ramp + rng.int(3, 7);
    if (status && month <= context.months - 2) {
      terminal = { status, day: dayInMonth(context.firstMonth + month, rng.int(3, 27)) };
    }
  }
  const activeStartDay = Math.max(establishedDay, context.windowStartDay);
  const activeEndDay = terminal && terminal.status !== 'LIQUIDATING' ? terminal.day : context.clockDay;

  const health = healthPath(context, index, monthOfEstablishment, distressStart, severity, ramp, terminal);

  const address = drawAddress(rng, region);
  const scope = industry.scope;

  const plan: EnterprisePlan = {
    index,
    cluster: 0,
    region,
    industry,
    kind,
    legalForm,
    uscc,
    name,
    nameChange: null,
    address,
    addressChange: null,
    scope,
    scopeChange: null,
    capitalFen,
    capitalChange: null,
    paidInFen,
    establishedDay,
    taxpayerType,
    quarterlyVat,
    baseMonthlySalesYuan,
    growth,
    distressed,
    distressStart,
    severity,
    underDeclares,
    terminal,
    health,
    activeStartDay,
    activeEndDay,
    shareholders: [],
    legalRepresentatives: [],
    executives: [],
    abnormal: [],
    digitalFromMonth,
  };

  planRegistryChanges(context, plan);
  planOwnership(context, plan);
  planAbnormal(context, plan);
  return plan;
}

/** AR(1) deviations around a mean that falls after the distress start; 0 before establishment. */
function healthPath(
  context: Context,
  index: number,
  monthOfEstablishment: number,
  distressStart: number | null,
  severity: number,
  ramp: number,
  terminal: Terminal | null,
): number[] {
  const rng = forkRandom(context.seed, 'enterprise', index, 'health');
  const level = rng.float(0.9, 1.1);
  let deviation = rng.normal(0, 0.05);
  const terminalMonth = terminal && terminal.status !== 'LIQUIDATING' ? monthOfDay(terminal.day) - context.firstMonth : null;
  const health: number[] = [];
  for (let k = 0; k < context.months; k++) {
    deviation = 0.7 * deviation + rng.normal(0, 0.06);
    if (context.firstMonth + k < monthOfEstablishment) {
      health.push(0);
      continue;
    }
    let mean = level;
    if (distressStart !== null && k >= distressStart) mean = level * (1 - severity * Math.min(1, (k - distressStart + 1) / ramp));
    let value = clamp(mean * (1 + deviation), 0.02, 1.6);
    if (terminalMonth !== null && k > terminalMonth) value = 0.02;
    health.push(Math.round(value * 10_000) / 10_000);
  }
  return health;
}

function drawUscc(context: Context, rng: Random, type: string, regionCode: string, establishedDay: number): string {
  const modern = formatDay(establishedDay) >= '2015-10-01';
  const letters = USCC_CHARSET.slice(10);
  for (;;) {
    let body: string;
    if (modern) {
      // Codes issued with the USCC reform: 'MA' followed by letters and digits.
      body = 'MA';
      body += rng.pick(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
      for (let i = 0; i < 5; i++) body += rng.bernoulli(0.6) ? String(rng.int(0, 9)) : rng.pick([...letters]);
    } else {
      body = String(rng.int(1, 7));
      for (let i = 0; i < 7; i++) body += String(rng.int(0, 9));
    }
    const uscc = composeUscc('9', type, regionCode, body);
    if (!context.usccs.has(uscc)) {
      context.usccs.add(uscc);
      return uscc;
    }
  }
}

function drawBrand(rng: Random): string {
  const first = rng.pick(BRAND_CHARACTERS);
  let second = rng.pick(BRAND_CHARACTERS);
  while (second === first) second = rng.pick(BRAND_CHARACTERS);
  return first + second;
}

export function companyName(rng: Random, kind: EnterpriseKind, region: Region, industry: Industry): string {
  const brand = drawBrand(rng);
  switch (kind) {
    case 'INDIVIDUAL':
      return `${region.districtShort}${brand}${rng.pick(industry.shopWords)}`;
    case 'SOLE_PROPRIETORSHIP':
      return `${region.city}${brand}${rng.pick(industry.words)}${rng.pick(['商行', '经营部', '工作室'])}`;
    case 'JOINT_STOCK':
      return `${region.city}${brand}${rng.pick(industry.words)}股份有限公司`;
    default:
      return `${region.city}${brand}${rng.pick(industry.words)}有限公司`;
  }
}

function drawName(context: Context, rng: Random, kind: EnterpriseKind, region: Region, industry: Industry): string {
  for (let attempt = 0; ; attempt++) {
    let name = companyName(rng, kind, region, industry);
    // After many collisions (very large portfolios), a third brand character keeps names unique.
    if (attempt >= 20) name = name.replace(region.city, `${region.city}${rng.pick(BRAND_CHARACTERS)}`);
    if (!context.names.has(name)) {
      context.names.add(name);
      return name;
    }
  }
}

function drawAddress(rng: Random, region: Region): string {
  const street = `${region.district}${rng.pick(ROADS)}${rng.int(1, 999)}号`;
  return rng.bernoulli(0.5) ? `${street}${rng.int(1, 30)}幢${rng.int(1, 30)}${String(rng.int(1, 20)).padStart(2, '0')}室` : street;
}

/** Days of the window after `from`, as a random day (or null when none is left). */
function dayBetween(rng: Random, from: number, to: number): number | null {
  if (to <= from) return null;
  return rng.int(from, to - 1);
}

function planRegistryChanges(context: Context, plan: EnterprisePlan): void {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'registry');
  const from = Math.max(plan.establishedDay + 60, context.windowStartDay);
  const to = Math.min(plan.activeEndDay, context.clockDay - 10);
  if (rng.bernoulli(plan.distressed ? 0.15 : 0.08)) {
    const day = dayBetween(rng, from, to);
    if (day !== null) plan.addressChange = { before: drawAddress(rng, plan.region), day };
  }
  if (rng.bernoulli(0.1)) {
    const day = dayBetween(rng, from, to);
    const parts = plan.scope.split('；');
    if (day !== null && parts.length > 1) {
      plan.scopeChange = { before: parts.slice(0, -1).join('；'), day };
    }
  }
  if (plan.kind !== 'INDIVIDUAL' && plan.kind !== 'SOLE_PROPRIETORSHIP' && plan.capitalFen >= 200_000_000 && rng.bernoulli(0.07)) {
    const day = dayBetween(rng, from, to);
    if (day !== null) {
      const beforeWan = Math.max(10, Math.round((plan.capitalFen / 1_000_000) * rng.pick([0.2, 0.4, 0.5])));
      plan.capitalChange = { beforeFen: beforeWan * 1_000_000, day };
      if (plan.paidInFen !== null && plan.paidInFen > plan.capitalFen) plan.paidInFen = plan.capitalFen;
    }
  }
  if (rng.bernoulli(plan.distressed ? 0.08 : 0.03)) {
    const day = dayBetween(rng, from, to);
    if (day !== null) {
      const former = companyName(rng, plan.kind, plan.region, plan.industry);
      if (former !== plan.name) plan.nameChange = { before: former, day };
    }
  }
}

// ---- persons and ownership ----

/** A new person, old enough to have founded (at 22 or more) an enterprise established on `sinceDay`. */
function newPerson(context: Context, rng: Random, ownerIndex: number, serial: number, region: Region, sinceDay: number): PersonState {
  const male = rng.bernoulli(0.72);
  const surname = rng.weighted(SURNAMES, SURNAME_WEIGHTS);
  const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.bernoulli(0.75) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  const clockYear = Math.floor(context.clockMonth / 12);
  let idNumber: string;
  for (;;) {
    const birthplace = rng.bernoulli(0.35) ? region.code : rng.pick(BIRTHPLACE_CODES);
    const minimumAge = clamp(Math.ceil((context.clockDay - sinceDay) / 365.25) + 22, 25, 68);
    const birthYear = clockYear - rng.int(minimumAge, Math.max(minimumAge + 3, 64));
    const birthMonth = rng.int(1, 12);
    const birthDay = rng.int(1, daysInMonth(birthYear * 12 + birthMonth - 1));
    const sequence = rng.int(0, 99) * 10 + (male ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]));
    const first17 = `${birthplace}${birthYear}${pad(birthMonth, 2)}${pad(birthDay, 2)}${pad(sequence, 3)}`;
    idNumber = first17 + residentIdCheckCharacter(first17);
    if (!context.idNumbers.has(idNumber)) break;
  }
  context.idNumbers.add(idNumber);
  const record: PersonRecord = { key: `P${ownerIndex}-${serial}`, idNumber, name: surname + given };
  const state: PersonState = { record, enterprises: new Set() };
  context.persons.push(record);
  context.personsByKey.set(record.key, state);
  return state;
}

const MAX_ENTERPRISES_PER_PERSON = 4;

function planOwnership(context: Context, plan: EnterprisePlan): void {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'ownership');
  const { index } = plan;
  let serial = 0;
  const used = new Set<string>();

  // Clusters: runs of consecutive enterprises that share people, like a family's businesses.
  const startsCluster = index === 0 || forkRandom(context.seed, 'cluster-boundary', index).bernoulli(0.5);
  plan.cluster = startsCluster ? index : context.plans[index - 1]!.cluster;
  const clusterMembers: EnterprisePlan[] = [];
  for (let j = plan.cluster; j < index; j++) clusterMembers.push(context.plans[j]!);

  const take = (state: PersonState): string => {
    state.enterprises.add(index);
    used.add(state.record.key);
    return state.record.key;
  };
  let joiningDay = plan.establishedDay;
  const fresh = (): string => take(newPerson(context, rng, index, serial++, plan.region, joiningDay));
  const available = (key: string | undefined): PersonState | undefined => {
    if (key === undefined || used.has(key)) return undefined;
    const state = context.personsByKey.get(key);
    return state && state.enterprises.size < MAX_ENTERPRISES_PER_PERSON ? state : undefined;
  };
  /** A person from a related enterprise (same cluster, or rarely anywhere earlier), or a new one. */
  const someone = (pShared: number): string => {
    if (rng.bernoulli(pShared)) {
      const pool =
        clusterMembers.length > 0 && !rng.bernoulli(0.1)
          ? clusterMembers
          : index > 0
            ? [context.plans[rng.int(0, index - 1)]!]
            : [];
      if (pool.length > 0) {
        const member = rng.pick(pool);
        const keys = [
          ...member.legalRepresentatives.map((r) => r.personKey),
          ...member.shareholders.flatMap((h) => (h.party.kind === 'PERSON' ? [h.party.personKey] : [])),
        ];
        const state = available(keys.length > 0 ? rng.pick(keys) : undefined);
        if (state) return take(state);
      }
    }
    return fresh();
  };
  const pShared = clusterMembers.length > 0 ? 0.7 : 0.05;

  // Shareholders.
  const single = plan.kind === 'INDIVIDUAL' || plan.kind === 'SOLE_PROPRIETORSHIP';
  let count = single ? 1 : plan.kind === 'JOINT_STOCK' ? rng.int(3, 4) : rng.weighted([1, 2, 3, 4], [15, 45, 28, 12]);
  const holders: PartyRef[] = [];
  let parentEnterprise: EnterprisePlan | null = null;
  if (!single && index > 0) {
    // Only an enterprise founded before this one can have held shares in it from the start.
    const eligible = (m: EnterprisePlan) =>
      (m.kind === 'COMPANY' || m.kind === 'JOINT_STOCK') && m.establishedDay <= plan.establishedDay;
    const candidates = clusterMembers.filter(eligible);
    if (rng.bernoulli(candidates.length > 0 ? 0.4 : 0.03)) {
      const choice = candidates.length > 0 ? rng.pick(candidates) : context.plans[rng.int(0, index - 1)]!;
      parentEnterprise = eligible(choice) ? choice : null;
    }
  }
  if (parentEnterprise) holders.push({ kind: 'ENTERPRISE', uscc: parentEnterprise.uscc });
  if (parentEnterprise && count === 1) count = rng.bernoulli(0.5) ? 1 : 2;
  while (holders.length < count) holders.push({ kind: 'PERSON', personKey: someone(pShared) });

  const units = splitUnits(rng, holders.length, parentEnterprise !== null);
  const foundingDay = plan.establishedDay;
  plan.shareholders = holders.map((party, i) => ({ party, units: units[i]!, fromDay: foundingDay, toDay: null }));

  // Legal representative: the largest person shareholder, a parent's representative, or a manager.
  const personHolders = plan.shareholders
    .filter((h): h is Holding & { party: { kind: 'PERSON'; personKey: string } } => h.party.kind === 'PERSON')
    .sort((a, b) => b.units - a.units);
  let representative: string;
  const parentRep = parentEnterprise?.legalRepresentatives.at(-1)?.personKey;
  if (parentEnterprise && parentRep && rng.bernoulli(0.6) && available(parentRep)) {
    representative = take(context.personsByKey.get(parentRep)!);
  } else if (personHolders.length > 0 && rng.bernoulli(0.85)) {
    representative = personHolders[0]!.party.personKey;
  } else {
    representative = someone(pShared);
  }
  const title = { COMPANY: '执行董事', JOINT_STOCK: '董事长', SOLE_PROPRIETORSHIP: '投资人', INDIVIDUAL: '经营者' }[plan.kind];
  plan.legalRepresentatives = [{ personKey: representative, fromDay: foundingDay, toDay: null, position: title }];

  // A supervisor for companies: another shareholder, or someone else.
  if (!single && rng.bernoulli(0.5)) {
    const other = personHolders.find((h) => h.party.personKey !== representative);
    const supervisor = other ? other.party.personKey : someone(pShared * 0.5);
    if (supervisor !== representative) {
      plan.executives.push({ personKey: supervisor, fromDay: foundingDay, toDay: null, position: '监事' });
    }
  }

  // A change of legal representative in the window: common around distress, rare otherwise.
  const changeFrom = Math.max(context.windowStartDay, plan.establishedDay + 90);
  const changeTo = Math.min(plan.activeEndDay, context.clockDay - 20);
  if (rng.bernoulli(plan.distressed ? 0.35 : 0.06) && !single && changeTo > changeFrom) {
    let day: number;
    if (plan.distressStart !== null) {
      const month = context.firstMonth + plan.distressStart + rng.int(-3, 2);
      day = clamp(dayInMonth(month, rng.int(1, 28)), changeFrom, changeTo - 1);
    } else {
      day = rng.int(changeFrom, changeTo - 1);
    }
    const otherHolder = personHolders.find((h) => h.party.personKey !== representative);
    joiningDay = day;
    // In distress the new representative is often an outsider (a nominee).
    const successor =
      otherHolder && !(plan.distressed && rng.bernoulli(0.7)) ? otherHolder.party.personKey : fresh();
    plan.legalRepresentatives[0]!.toDay = day;
    plan.legalRepresentatives.push({ personKey: successor, fromDay: day, toDay: null, position: title });
  }

  // An equity transfer: one person shareholder hands its whole stake to a new person.
  if (rng.bernoulli(plan.distressed ? 0.2 : 0.05) && plan.kind !== 'INDIVIDUAL') {
    const sellers = plan.shareholders.filter((h) => h.party.kind === 'PERSON' && h.fromDay === foundingDay);
    const day = dayBetween(rng, changeFrom, changeTo);
    if (sellers.length > 0 && day !== null) {
      const seller = rng.pick(sellers);
      seller.toDay = day;
      joiningDay = day;
      const buyer = someone(pShared * 0.5);
      plan.shareholders.push({ party: { kind: 'PERSON', personKey: buyer }, units: seller.units, fromDay: day, toDay: null });
    }
  }
}

/** Splits 10,000 units among n holders, each at least 5%; a parent enterprise holds the largest share. */
function splitUnits(rng: Random, n: number, parentFirst: boolean): number[] {
  if (n === 1) return [10_000];
  const weights = Array.from({ length: n }, () => rng.exponential(1) + 0.15);
  const total = weights.reduce((a, b) => a + b, 0);
  const units = weights.map((w) => Math.max(500, Math.round(((w / total) * 10_000) / 50) * 50));
  units.sort((a, b) => b - a);
  if (parentFirst) units[0] = Math.max(units[0]!, 5_100);
  // Fix the sum on the largest share.
  const rest = units.slice(1).reduce((a, b) => a + b, 0);
  units[0] = 10_000 - rest;
  if (units[0] < 500) return splitUnits(rng, n, parentFirst);
  return units;
}

function planAbnormal(context: Context, plan: EnterprisePlan): void {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'abnormal');
  const lastDay = context.clockDay - 3;
  if (plan.distressStart !== null && rng.bernoulli(0.35)) {
    let reasonKey = rng.weighted<AbnormalListing['reasonKey']>(
      ['unreachable', 'noAnnualReport', 'noDisclosure', 'falseDisclosure'],
      [55, 25, 12, 8],
    );
    const month = context.firstMonth + plan.distressStart + rng.int(2, 8);
    let listedDay = dayInMonth(month, rng.int(1, 28));
    if (reasonKey === 'noAnnualReport') {
      // Annual reports are due by 30 June; listings follow in July.
      const year = Math.floor(month / 12) + (month % 12 > 6 ? 1 : 0);
      const july = dayInMonth(year * 12 + 6, rng.int(1, 25));
      if (july < lastDay) listedDay = july;
      else reasonKey = 'unreachable';
    }
    if (listedDay > context.windowStartDay && listedDay < Math.min(lastDay, plan.activeEndDay) && listedDay > plan.establishedDay) {
      const removedDay = plan.severity < 0.7 && rng.bernoulli(0.3) ? listedDay + rng.int(30, 180) : null;
      plan.abnormal.push({ reasonKey, listedDay, removedDay: removedDay !== null && removedDay < lastDay ? removedDay : null });
    }
  } else if (!plan.distressed && rng.bernoulli(0.025)) {
    // A healthy enterprise that forgot its annual report, listed in July and removed after filing it.
    const year = Math.floor(context.firstMonth / 12) + rng.int(1, 2);
    const listedDay = dayInMonth(year * 12 + 6, rng.int(1, 25));
    if (listedDay > plan.establishedDay + 365 && listedDay < lastDay) {
      const removedDay = rng.bernoulli(0.9) ? listedDay + rng.int(20, 150) : null;
      plan.abnormal.push({
        reasonKey: 'noAnnualReport',
        listedDay,
        removedDay: removedDay !== null && removedDay < lastDay ? removedDay : null,
      });
    }
  }
}

export function createContext(seed: number, size: number, clockMonth: number, months = HISTORY_MONTHS): Context {
  const firstMonth = clockMonth - months;
  return {
    seed,
    size,
    months,
    lead: months - HISTORY_MONTHS,
    clockMonth,
    firstMonth,
    clockDay: monthStart(clockMonth),
    windowStartDay: monthStart(firstMonth),
    usccs: new Set(),
    names: new Set(),
    idNumbers: new Set(),
    caseNumbers: new Set(),
    persons: [],
    personsByKey: new Map(),
    plans: [],
    planByUscc: new Map(),
  };
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
