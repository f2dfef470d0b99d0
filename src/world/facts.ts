/**
 * The second pass of the generator: an enterprise's facts over the 36 months, from its plan,
 * its customers and its own random streams.
 */
import { ABNORMAL_REASONS, ABNORMAL_REMOVALS, BANKS, DEFENDANT_CAUSES, INDUSTRIES, PLAINTIFF_CAUSES, REGIONS } from './catalog.js';
import {
  calendarMonth,
  dayInMonth,
  daysInMonth,
  formatDay,
  formatMonth,
  formatStamp,
  monthOfDay,
  monthStart,
  yearOfMonth,
} from '../common/calendar.js';
import { scramble } from './identifiers.js';
import { clamp, companyName, pad, type Context, type EnterprisePlan, type Role } from './plan.js';
import { forkRandom, type Random } from './random.js';
import type {
  AbnormalOperationRecord,
  CourtCaseRecord,
  EnforcementRecord,
  EnterpriseBundle,
  EnterpriseRecord,
  InvoiceRecord,
  OutsideCounterparty,
  PartyRef,
  RegistryChangeRecord,
  RelationRecord,
  SocialInsuranceMonthRecord,
  TaxArrearsRecord,
  TaxFilingRecord,
  TaxRatingRecord,
  UtilityBillRecord,
  EnterpriseStatus,
  TaxGrade,
} from './types.js';

// ---- customers ----

export interface Customer {
  uscc: string;
  /** Portfolio index of the buyer, or null for an outside counterparty. */
  index: number | null;
  weight: number;
  /** Window months [fromMonth, toMonth) in which the customer buys. */
  fromMonth: number;
  toMonth: number;
}

export const OUTSIDE_POOL_SIZE = 400;

/**
 * The enterprise's regular customers: 3–15 of them with Pareto-like shares, mostly inside the
 * portfolio. Their number, shares and turnover come from one stream; which enterprises they
 * are comes from another, the only draw that depends on the portfolio size.
 */
export function planCustomers(context: Context, plan: EnterprisePlan, outside: OutsideCounterparty[]): Customer[] {
  const structure = forkRandom(context.seed, 'enterprise', plan.index, 'customers');
  const picks = forkRandom(context.seed, 'enterprise', plan.index, 'customer-picks');
  const count = clamp(3 + Math.floor(structure.exponential(3.5)), 3, 15);
  const alpha = structure.float(0.3, 1.9);
  const chosen = new Set<string>([plan.uscc]);
  const customers: Customer[] = [];

  const choose = (inside: boolean): { uscc: string; index: number | null } => {
    if (inside && context.size > 1) {
      for (let attempt = 0; attempt < 12; attempt++) {
        const j = picks.int(0, context.size - 1);
        const buyer = context.plans[j]!;
        if (!chosen.has(buyer.uscc)) {
          chosen.add(buyer.uscc);
          return { uscc: buyer.uscc, index: j };
        }
      }
    }
    for (;;) {
      const counterparty = outside[picks.int(0, outside.length - 1)]!;
      if (!chosen.has(counterparty.uscc) || chosen.size > outside.length) {
        chosen.add(counterparty.uscc);
        return { uscc: counterparty.uscc, index: null };
      }
    }
  };

  for (let slot = 0; slot < count; slot++) {
    const weight = 1 / (slot + 1) ** alpha;
    const inside = structure.bernoulli(0.85);
    const segments: [number, number][] = [];
    if (slot === 0 && plan.distressStart !== null && structure.bernoulli(0.6)) {
      // The top buyer walks away soon after trouble starts.
      segments.push([0, Math.min(context.months, plan.distressStart + structure.int(0, 3))]);
    } else if (structure.bernoulli(0.15)) {
      const switchMonth = structure.int(6, context.months - 3);
      segments.push([0, switchMonth], [switchMonth, context.months]);
    } else {
      segments.push([0, context.months]);
    }
    for (const [fromMonth, toMonth] of segments) {
      const buyer = choose(inside);
      customers.push({ ...buyer, weight, fromMonth, toMonth });
    }
  }
  return customers;
}

// ---- helpers ----

const stampOf = (day: number, hour: number, minute = 0) => formatStamp(day, hour * 60 + minute);
/** Concatenates into one flat string (template literals build chains of cons strings, which cost memory). */
const flat = (...parts: string[]) => parts.join('');
const fenString = (fen: number) => String(Math.round(fen));
const yuanToFen = (yuan: number) => Math.round(yuan * 100);

function ratioText(units: number): string {
  return units >= 10_000 ? '1.0000' : `0.${pad(units, 4)}`;
}

function capitalText(fen: number): string {
  return `${fen / 1_000_000}万元人民币`;
}

function statusText(status: Exclude<EnterpriseStatus, 'UNVERIFIED'>): string {
  return {
    ACTIVE: '存续（在营、开业、在册）',
    ABNORMAL_OPERATIONS: '存续（在营、开业、在册）',
    LIQUIDATING: '清算',
    REVOKED: '吊销，未注销',
    CANCELLED: '注销',
  }[status];
}

/** Rounds half away from zero: the tax on a net amount at a rate in percent. */
function taxOn(netFen: number, ratePercent: number): number {
  const magnitude = Math.round((Math.abs(netFen) * ratePercent) / 100);
  return netFen < 0 ? -magnitude : magnitude;
}

function formatDecimal(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return decimals > 0 ? text.replace(/\.?0+$/, '') : text;
}

// ---- the bundle ----

interface MonthActivity {
  /** Net invoiced sales in fen (normal and red-letter invoices), by window month. */
  invoicedFen: number[];
  /** Target sales in yuan (what the business did, invoiced or not). */
  salesYuan: number[];
}

export function buildBundle(
  context: Context,
  plan: EnterprisePlan,
  customers: Customer[],
  outsideByUscc: Map<string, OutsideCounterparty>,
): EnterpriseBundle {
  const registry = buildRegistry(context, plan);
  const activity: MonthActivity = { invoicedFen: new Array(context.months).fill(0), salesYuan: new Array(context.months).fill(0) };
  const invoices = buildInvoices(context, plan, customers, activity, outsideByUscc);
  const tax = buildTax(context, plan, activity);
  const court = buildCourt(context, plan);
  const utilityBills = buildUtilities(context, plan, activity);
  const socialInsuranceMonths = buildSocialInsurance(context, plan, activity);
  const distressStartMonth = plan.distressStart === null ? null : formatMonth(context.firstMonth + plan.distressStart);
  const e = registry.enterprise;
  return {
    index: plan.index,
    externalId: e.externalId,
    observedAt: e.observedAt,
    uscc: e.uscc,
    name: e.name,
    legalForm: e.legalForm,
    industryCode: e.industryCode,
    regionCode: e.regionCode,
    status: e.status,
    establishedOn: e.establishedOn,
    registeredCapitalFen: e.registeredCapitalFen,
    paidInCapitalFen: e.paidInCapitalFen,
    address: e.address,
    scope: e.scope,
    taxpayerType: e.taxpayerType,
    truth: {
      distressed: plan.distressed,
      distressStartMonth,
      healthByMonth: plan.health,
      severity: Math.round(plan.severity * 1000) / 1000,
      underDeclares: plan.underDeclares,
    },
    recordVersions: registry.recordVersions,
    relations: registry.relations,
    registryChanges: registry.changes,
    abnormalOperations: registry.abnormal,
    taxFilings: tax.filings,
    taxRatings: tax.ratings,
    taxArrears: tax.arrears,
    courtCases: court.cases,
    enforcements: court.enforcements,
    utilityBills,
    invoices,
    socialInsuranceMonths,
  };
}

// ---- registry: enterprise, relations, changes, abnormal operations ----

function buildRegistry(context: Context, plan: EnterprisePlan) {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'registry-records');
  const { uscc } = plan;
  const firstSeenDay = Math.max(plan.establishedDay, context.windowStartDay);
  const firstSeen = stampOf(firstSeenDay, 1);
  /** When the hub saw a registry change: one to five days after it was registered. */
  const seen = (day: number) => stampOf(Math.min(day + rng.int(1, 5), context.clockDay - 1), 3);
  const changes: RegistryChangeRecord[] = [];
  const change = (field: RegistryChangeRecord['field'], day: number, before: string | null, after: string | null) => {
    const observedAt = seen(day);
    changes.push({ externalId: `${uscc}:${field}:${formatDay(day)}`, observedAt, field, before, after, changedOn: formatDay(day) });
    return observedAt;
  };
  const personName = (key: string) => context.personsByKey.get(key)!.record.name;
  const partyName = (party: PartyRef) =>
    party.kind === 'PERSON' ? personName(party.personKey) : context.planByUscc.get(party.uscc)?.name ?? party.uscc;

  // Changes, in date order, remembering when each was observed.
  const seenAt = new Map<string, string>();
  const events: { day: number; key: string; apply: () => void }[] = [];
  const reps = plan.legalRepresentatives;
  for (let i = 1; i < reps.length; i++) {
    const before = reps[i - 1]!;
    const after = reps[i]!;
    events.push({
      day: after.fromDay,
      key: `rep:${after.fromDay}`,
      apply: () => seenAt.set(`rep:${after.fromDay}`, change('LEGAL_REPRESENTATIVE', after.fromDay, personName(before.personKey), personName(after.personKey))),
    });
  }
  const transferDays = [...new Set(plan.shareholders.filter((h) => h.fromDay > plan.establishedDay).map((h) => h.fromDay))];
  for (const day of transferDays) {
    const listAt = (at: number) =>
      plan.shareholders
        .filter((h) => h.fromDay <= at && (h.toDay === null || h.toDay > at))
        .map((h) => `${partyName(h.party)} ${(h.units / 100).toFixed(2)}%`)
        .join('；');
    events.push({ day, key: `holders:${day}`, apply: () => seenAt.set(`holders:${day}`, change('SHAREHOLDER', day, listAt(day - 1), listAt(day))) });
  }
  if (plan.nameChange) {
    const { before, day } = plan.nameChange;
    events.push({ day, key: 'name', apply: () => seenAt.set('name', change('NAME', day, before, plan.name)) });
  }
  if (plan.addressChange) {
    const { before, day } = plan.addressChange;
    events.push({ day, key: 'address', apply: () => seenAt.set('address', change('ADDRESS', day, before, plan.address)) });
  }
  if (plan.scopeChange) {
    const { before, day } = plan.scopeChange;
    events.push({ day, key: 'scope', apply: () => seenAt.set('scope', change('SCOPE', day, before, plan.scope)) });
  }
  if (plan.capitalChange) {
    const { beforeFen, day } = plan.capitalChange;
    events.push({ day, key: 'capital', apply: () => seenAt.set('capital', change('CAPITAL', day, capitalText(beforeFen), capitalText(plan.capitalFen))) });
  }
  if (plan.terminal) {
    const { status, day } = plan.terminal;
    events.push({ day, key: 'status', apply: () => seenAt.set('status', change('STATUS', day, statusText('ACTIVE'), statusText(status))) });
  }
  events.sort((a, b) => a.day - b.day);
  for (const event of events) event.apply();

  // Relations: a version when the relation starts, when the registered capital changes under
  // it (its subscribed capital changes), and when it ends.
  const relations: RelationRecord[] = [];
  const capitalAt = (day: number) =>
    plan.capitalChange && day < plan.capitalChange.day ? plan.capitalChange.beforeFen : plan.capitalFen;
  const startSeen = (fromDay: number, key: string) => (fromDay > plan.establishedDay && fromDay >= context.windowStartDay ? seenAt.get(key)! : firstSeen);
  for (const holding of plan.shareholders) {
    const partyKey = holding.party.kind === 'PERSON' ? holding.party.personKey : holding.party.uscc;
    const externalId = `${uscc}:SHAREHOLDER:${partyKey}:${formatDay(holding.fromDay)}`;
    const version = (observedAt: string, capitalDay: number, validTo: number | null): RelationRecord => ({
      externalId,
      observedAt,
      from: holding.party,
      type: 'SHAREHOLDER',
      shareRatio: ratioText(holding.units),
      subscribedCapitalFen: fenString((capitalAt(capitalDay) * holding.units) / 10_000),
      validFrom: formatDay(holding.fromDay),
      validTo: validTo === null ? null : formatDay(validTo),
      position: null,
    });
    const versions = [version(startSeen(holding.fromDay, `holders:${holding.fromDay}`), Math.max(holding.fromDay, context.windowStartDay), null)];
    if (plan.capitalChange && plan.capitalChange.day > Math.max(holding.fromDay, context.windowStartDay) && (holding.toDay === null || holding.toDay > plan.capitalChange.day)) {
      versions.push(version(seenAt.get('capital')!, plan.capitalChange.day, null));
    }
    if (holding.toDay !== null) versions.push(version(seenAt.get(`holders:${holding.toDay}`)!, holding.toDay - 1, holding.toDay));
    relations.push(...sortVersions(versions));
  }
  const roleRelations = (roles: Role[], type: 'LEGAL_REPRESENTATIVE' | 'EXECUTIVE') => {
    for (const role of roles) {
      const from: PartyRef = { kind: 'PERSON', personKey: role.personKey };
      const version = (observedAt: string, validTo: number | null): RelationRecord => ({
        externalId: `${uscc}:${type}:${role.personKey}:${formatDay(role.fromDay)}`,
        observedAt,
        from,
        type,
        shareRatio: null,
        subscribedCapitalFen: null,
        validFrom: formatDay(role.fromDay),
        validTo: validTo === null ? null : formatDay(validTo),
        position: role.position,
      });
      relations.push(version(startSeen(role.fromDay, `rep:${role.fromDay}`), null));
      if (role.toDay !== null) relations.push(version(seenAt.get(`rep:${role.toDay}`)!, role.toDay));
    }
  };
  roleRelations(plan.legalRepresentatives, 'LEGAL_REPRESENTATIVE');
  roleRelations(plan.executives, 'EXECUTIVE');

  // Abnormal-operations listings: listed, then (for some) removed.
  const abnormal: AbnormalOperationRecord[] = [];
  /** When each listing was seen, and its removal (null while it stands). */
  const listingsSeen: { listed: string; removed: string | null }[] = [];
  let openListingSeen: string | null = null;
  for (const listing of plan.abnormal) {
    const version = (observedAt: string, removedDay: number | null): AbnormalOperationRecord => ({
      externalId: `${uscc}:${formatDay(listing.listedDay)}`,
      observedAt,
      reason: ABNORMAL_REASONS[listing.reasonKey],
      listedOn: formatDay(listing.listedDay),
      listedBy: plan.region.marketRegulator,
      removedOn: removedDay === null ? null : formatDay(removedDay),
      removalReason: removedDay === null ? null : ABNORMAL_REMOVALS[listing.reasonKey],
    });
    const listedSeen = stampOf(listing.listedDay + 1, 4);
    abnormal.push(version(listedSeen, null));
    if (listing.removedDay !== null) {
      const removedSeen = stampOf(listing.removedDay + 1, 4);
      abnormal.push(version(removedSeen, listing.removedDay));
      listingsSeen.push({ listed: listedSeen, removed: removedSeen });
    } else {
      openListingSeen = listedSeen;
      listingsSeen.push({ listed: listedSeen, removed: null });
    }
  }

  let status: EnterpriseStatus = plan.terminal?.status ?? 'ACTIVE';
  if (status === 'ACTIVE' && openListingSeen) status = 'ABNORMAL_OPERATIONS';
  // The row holds the state as of the clock: it was learned when its content last changed.
  const rowChanges = [firstSeen, seenAt.get('name'), seenAt.get('address'), seenAt.get('scope'), seenAt.get('capital'), seenAt.get('status')];
  if (status === 'ABNORMAL_OPERATIONS') rowChanges.push(openListingSeen!);
  const observedAt = rowChanges.filter((s): s is string => s !== undefined).sort().at(-1)!;
  const enterprise: EnterpriseRecord = {
    externalId: uscc,
    observedAt,
    uscc,
    name: plan.name,
    legalForm: plan.legalForm,
    industryCode: plan.industry.code,
    regionCode: plan.region.code,
    status,
    establishedOn: formatDay(plan.establishedDay),
    registeredCapitalFen: fenString(plan.capitalFen),
    paidInCapitalFen: plan.paidInFen === null ? null : fenString(Math.min(plan.paidInFen, plan.capitalFen)),
    address: plan.address,
    scope: plan.scope,
    taxpayerType: plan.taxpayerType,
  };
  // The record as the registry showed it after each change of its content, from the first time
  // the hub saw it: what a registry asked on any earlier day answered.
  const seenBy = (key: string, at: string) => {
    const when = seenAt.get(key);
    return when !== undefined && when <= at;
  };
  const recordAt = (at: string): EnterpriseRecord => {
    let statusThen: EnterpriseStatus = plan.terminal && seenBy('status', at) ? plan.terminal.status : 'ACTIVE';
    if (statusThen === 'ACTIVE' && listingsSeen.some((seen) => seen.listed <= at && (seen.removed === null || seen.removed > at))) statusThen = 'ABNORMAL_OPERATIONS';
    const capitalFen = plan.capitalChange && !seenBy('capital', at) ? plan.capitalChange.beforeFen : plan.capitalFen;
    return {
      ...enterprise,
      observedAt: at,
      name: plan.nameChange && !seenBy('name', at) ? plan.nameChange.before : plan.name,
      status: statusThen,
      registeredCapitalFen: fenString(capitalFen),
      paidInCapitalFen: plan.paidInFen === null ? null : fenString(Math.min(plan.paidInFen, capitalFen)),
      address: plan.addressChange && !seenBy('address', at) ? plan.addressChange.before : plan.address,
      scope: plan.scopeChange && !seenBy('scope', at) ? plan.scopeChange.before : plan.scope,
    };
  };
  const instants = [...rowChanges, ...listingsSeen.flatMap((seen) => [seen.listed, seen.removed])].filter((at): at is string => at !== null && at !== undefined && at >= firstSeen && at <= observedAt);
  const recordVersions = [...new Set(instants)].sort().map(recordAt);
  recordVersions[recordVersions.length - 1] = enterprise;
  return { enterprise, recordVersions, relations, changes, abnormal };
}

function sortVersions<T extends { observedAt: string }>(versions: T[]): T[] {
  return versions.sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0));
}

// ---- invoices ----

interface Draft {
  day: number;
  buyer: string;
  netFen: number;
  kind: InvoiceRecord['kind'];
  status: InvoiceRecord['status'];
  original: Draft | null;
  minute: number;
  number: string;
  code: string;
}

const PAPER_BLOCK = 5_000;
const PAPER_SEQUENCE_LIMIT = 20_000;
const DIGITAL_BLOCK = 100_000;

function buildInvoices(
  context: Context,
  plan: EnterprisePlan,
  customers: Customer[],
  activity: MonthActivity,
  outsideByUscc: Map<string, OutsideCounterparty>,
): InvoiceRecord[] {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'invoices');
  const buyerPicks = forkRandom(context.seed, 'enterprise', plan.index, 'invoice-buyers');
  const { industry } = plan;
  const ratePercent = plan.taxpayerType === 'GENERAL' ? industry.vatRate : 3;
  const sizeFactor = clamp((plan.baseMonthlySalesYuan / industry.medianMonthlySalesYuan) ** 0.35, 0.5, 2.2);
  const invoicesPerMonth = industry.invoicesPerMonth * sizeFactor;
  const salesEndDay = plan.terminal ? Math.min(plan.terminal.day, context.clockDay) : context.clockDay;
  const inDistress = (k: number) => plan.distressStart !== null && k >= plan.distressStart;

  const drafts: Draft[] = [];
  const fallbackBuyer = customers.find((c) => c.index === null)?.uscc ?? [...outsideByUscc.keys()][0]!;
  for (let k = 0; k < context.months; k++) {
    const month = context.firstMonth + k;
    const from = Math.max(monthStart(month), plan.activeStartDay);
    const to = Math.min(monthStart(month + 1), salesEndDay);
    if (to <= from) continue;
    const fraction = (to - from) / daysInMonth(month);
    const health = plan.health[k]!;
    const nominal =
      plan.baseMonthlySalesYuan * industry.season[calendarMonth(month) - 1]! * Math.exp((plan.growth * (k - 18)) / 12);
    const relative = fraction * health ** 1.3 * rng.logNormal(0, 0.12);
    const salesYuan = nominal * relative;
    activity.salesYuan[k] = salesYuan;
    const lambda = invoicesPerMonth * Math.max(0.03, relative) ** 0.7;
    let count = rng.poisson(lambda);
    if (count === 0 && relative > 0.5 && rng.bernoulli(0.6)) count = 1;
    if (count === 0) continue;

    // The month's active customers (alive on the invoice day, checked below).
    const active = customers.filter((c) => c.fromMonth <= k && k < c.toMonth);
    const meanAmountYuan = salesYuan / Math.max(lambda, 0.6);
    for (let n = 0; n < count; n++) {
      const day = rng.int(from, to - 1);
      const netFen = Math.max(10_000, yuanToFen(meanAmountYuan * rng.logNormal(-0.18, 0.6)));
      const digital = month >= plan.digitalFromMonth;
      const kind: Draft['kind'] = digital
        ? 'DIGITAL'
        : rng.bernoulli(plan.taxpayerType === 'GENERAL' ? 0.7 : 0.15)
          ? 'SPECIAL'
          : 'NORMAL';
      const voided = !digital && rng.bernoulli(0.01 + (inDistress(k) ? 0.025 : 0));
      const minute = rng.int(32, 71) * 15;
      const redLetter = !voided && rng.bernoulli(0.006 + (inDistress(k) ? 0.03 : 0));
      const redDay = day + rng.int(2, 40);
      const redShare = rng.bernoulli(0.6) ? 1 : rng.float(0.1, 0.9);
      const redMinute = rng.int(32, 71) * 15;

      const alive = active.filter((c) => {
        if (c.index === null) return true;
        const buyer = context.plans[c.index]!;
        return day >= buyer.establishedDay && day < buyer.activeEndDay;
      });
      const buyer = alive.length > 0 ? buyerPicks.weighted(alive, alive.map((c) => c.weight)).uscc : fallbackBuyer;
      const draft: Draft = { day, buyer, netFen, kind, status: voided ? 'VOID' : 'NORMAL', original: null, minute, number: '', code: '' };
      drafts.push(draft);
      if (redLetter && redDay < salesEndDay) {
        const redKind: Draft['kind'] = monthOfDay(redDay) >= plan.digitalFromMonth ? 'DIGITAL' : kind;
        drafts.push({
          day: redDay,
          buyer,
          netFen: -Math.max(100, Math.round(netFen * redShare)),
          kind: redKind,
          status: 'RED_LETTER',
          original: draft,
          minute: redMinute,
          number: '',
          code: '',
        });
      }
    }
  }
  drafts.sort((a, b) => a.day - b.day || a.minute - b.minute);

  // Numbers: unique by construction, from the enterprise's index and its own running sequence.
  const { index, region } = plan;
  const region4 = region.code.slice(0, 4);
  const province2 = region.code.slice(0, 2);
  const paperBlock = pad(Math.floor(index / PAPER_BLOCK), 3);
  const paperBase = (index % PAPER_BLOCK) * PAPER_SEQUENCE_LIMIT;
  const digitalPrefix = `${province2}2${pad(Math.floor(index / DIGITAL_BLOCK), 5)}`;
  const digitalBase = (index % DIGITAL_BLOCK) * 100_000;
  const codes = new Map<string, string>();
  let paperSequence = 0;
  let digitalSequence = 0;
  const invoices: InvoiceRecord[] = [];
  for (const draft of drafts) {
    const yy = formatDay(draft.day).slice(2, 4);
    if (draft.kind === 'DIGITAL') {
      digitalSequence++;
      if (digitalSequence >= 100_000) throw new Error(`enterprise ${index} issued more than 99,999 digital invoices`);
      draft.number = flat(yy, digitalPrefix, pad(digitalBase + digitalSequence, 10));
      draft.code = draft.number.slice(0, 12);
    } else {
      paperSequence++;
      if (paperSequence >= PAPER_SEQUENCE_LIMIT) throw new Error(`enterprise ${index} issued more than ${PAPER_SEQUENCE_LIMIT} paper invoices`);
      const codeKey = `${draft.kind}${yy}`;
      let code = codes.get(codeKey);
      if (code === undefined) {
        code = draft.kind === 'SPECIAL' ? `${region4}${yy}${paperBlock}1` : `0${region4}${yy}${paperBlock}11`;
        codes.set(codeKey, code);
      }
      draft.code = code;
      draft.number = pad(paperBase + paperSequence, 8);
    }
    const taxFen = taxOn(draft.netFen, ratePercent);
    invoices.push({
      externalId: draft.kind === 'DIGITAL' ? draft.number : flat(draft.code, '-', draft.number),
      observedAt: formatStamp(draft.day, draft.minute),
      invoiceCode: draft.code,
      invoiceNumber: draft.number,
      kind: draft.kind,
      issuedOn: formatDay(draft.day),
      sellerUscc: plan.uscc,
      buyerUscc: draft.buyer,
      netAmountFen: fenString(draft.netFen),
      taxFen: fenString(taxFen),
      status: draft.status,
      originalInvoiceNumber: draft.original ? draft.original.number : null,
    });
    if (draft.status !== 'VOID') {
      const k = monthOfDay(draft.day) - context.firstMonth;
      activity.invoicedFen[k] = activity.invoicedFen[k]! + draft.netFen;
    }
  }
  return invoices;
}

// ---- tax: filings, ratings, arrears ----

interface YearTally {
  late: number;
  underpaid: number;
  zero: number;
  missing: number;
}

function buildTax(context: Context, plan: EnterprisePlan, activity: MonthActivity) {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'tax');
  const { uscc, industry } = plan;
  const filings: TaxFilingRecord[] = [];
  const tallies = new Map<number, YearTally>();
  const tally = (year: number) => {
    let entry = tallies.get(year);
    if (!entry) tallies.set(year, (entry = { late: 0, underpaid: 0, zero: 0, missing: 0 }));
    return entry;
  };
  const lastFilingDay = context.clockDay - 2;
  const establishedMonth = monthOfDay(plan.establishedDay);
  const terminalEnd = plan.terminal && plan.terminal.status !== 'LIQUIDATING' ? plan.terminal.day : null;
  const liquidationDay = plan.terminal?.status === 'LIQUIDATING' ? plan.terminal.day : null;
  const declaredFactor = plan.underDeclares ? rng.float(0.55, 0.85) : rng.float(1, 1.04);
  const declaredByMonth: number[] = activity.invoicedFen.map((fen) => Math.max(0, Math.round(fen * declaredFactor)));
  const underpaidFilings: { filedDay: number; unpaidFen: number }[] = [];

  type Period = { startMonth: number; endMonth: number };
  const periods = (quarterly: boolean): Period[] => {
    const list: Period[] = [];
    for (let month = context.firstMonth; month < context.clockMonth; month++) {
      if (quarterly && month % 3 !== 0) continue;
      const endMonth = quarterly ? month + 2 : month;
      if (endMonth >= context.clockMonth || endMonth < establishedMonth) continue;
      list.push({ startMonth: Math.max(month, establishedMonth), endMonth });
    }
    return list;
  };
  const meanHealth = (period: Period) => {
    let sum = 0;
    let n = 0;
    for (let month = period.startMonth; month <= period.endMonth; month++) {
      sum += plan.health[month - context.firstMonth]!;
      n++;
    }
    return sum / n;
  };
  const declaredIn = (period: Period) => {
    let sum = 0;
    for (let month = period.startMonth; month <= period.endMonth; month++) sum += declaredByMonth[month - context.firstMonth]!;
    return sum;
  };

  /** Files one return (or not), returning nothing: the record is pushed when the hub could see it. */
  const file = (
    period: Period,
    formCode: TaxFilingRecord['formCode'],
    taxType: TaxFilingRecord['taxType'],
    declaredFen: number,
    payable: (declaredFen: number) => number,
  ) => {
    const periodEndDay = monthStart(period.endMonth + 1) - 1;
    if (terminalEnd !== null && periodEndDay >= terminalEnd) return;
    const health = meanHealth(period);
    const year = yearOfMonth(period.endMonth);
    const dueDay = dayInMonth(period.endMonth + 1, 15);
    // Deep in trouble some returns are never filed.
    if (health < 0.35 && rng.bernoulli(0.3)) {
      if (dueDay < context.clockDay) tally(year).missing++;
      return;
    }
    const liquidating = liquidationDay !== null && periodEndDay >= liquidationDay;
    const zero = declaredFen <= 0 || liquidating || (health < 0.45 && rng.bernoulli(0.3));
    const declared = zero ? 0 : declaredFen;
    const payableFen = zero ? 0 : Math.max(0, payable(declared));
    const late = rng.bernoulli(0.015 + 0.9 * Math.max(0, 0.8 - health));
    const filedDay = late ? dueDay + rng.int(1, 30 + Math.round(90 * (1 - Math.min(1, health)))) : dueDay - rng.int(0, 12);
    if (filedDay > lastFilingDay) return;
    const paidFen =
      health < 0.7 && payableFen > 0 && rng.bernoulli(0.6)
        ? Math.round(payableFen * clamp(health * rng.float(0.2, 1), 0, 1))
        : payableFen;
    const daysLate = Math.max(0, filedDay - dueDay);
    const lateFeeFen = late ? Math.round((payableFen * 5 * daysLate) / 10_000) : 0;
    const periodStart = formatDay(monthStart(period.startMonth));
    const periodEnd = formatDay(periodEndDay);
    filings.push({
      externalId: flat(uscc, ':', formCode, ':', periodStart, ':', periodEnd),
      observedAt: stampOf(filedDay + 1, 2),
      formCode,
      taxType,
      periodType: period.startMonth === period.endMonth ? '02' : '03',
      periodStart,
      periodEnd,
      declaredRevenueFen: fenString(declared),
      taxPayableFen: fenString(payableFen),
      taxPaidFen: fenString(paidFen),
      lateFeeFen: fenString(lateFeeFen),
      filedOn: formatDay(filedDay),
      late,
      zeroFiling: zero,
    });
    const entry = tally(year);
    if (late) entry.late++;
    if (zero && taxType === 'VAT') entry.zero++;
    if (paidFen < payableFen) {
      entry.underpaid++;
      underpaidFilings.push({ filedDay, unpaidFen: payableFen - paidFen + lateFeeFen });
    }
  };

  // VAT.
  const general = plan.taxpayerType === 'GENERAL';
  const inputShare = industry.inputShare * rng.float(0.9, 1.1);
  for (const period of periods(plan.quarterlyVat)) {
    file(period, general ? '010100' : '010200', 'VAT', declaredIn(period), (declared) =>
      general ? Math.round((declared * industry.vatRate * (1 - inputShare)) / 100) : Math.round((declared * 3) / 100),
    );
  }
  // Corporate income tax prepayments (not for individual businesses and sole proprietorships).
  if (plan.kind === 'COMPANY' || plan.kind === 'JOINT_STOCK') {
    const deemed = !general && rng.bernoulli(0.4);
    for (const period of periods(true)) {
      const health = meanHealth(period);
      const margin = industry.margin - 0.15 * Math.max(0, 0.9 - health);
      file(period, deemed ? '040102' : '040101', 'CORPORATE_INCOME', declaredIn(period), (declared) =>
        deemed ? Math.round(declared * 0.1 * 0.05) : Math.round(Math.max(0, declared * margin) * 0.05),
      );
    }
  }
  filings.sort((a, b) => (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : a.formCode < b.formCode ? -1 : 1));

  // Arrears notices: unpaid tax of the distressed, noticed a month or two after the filing.
  const arrears: TaxArrearsRecord[] = [];
  const outstandingNotices: { since: number; settled: number | null }[] = [];
  if (plan.distressed && underpaidFilings.length > 0 && rng.bernoulli(0.8)) {
    underpaidFilings.sort((a, b) => a.filedDay - b.filedDay);
    let cursor = 0;
    for (let notice = 0; notice < 2 && cursor < underpaidFilings.length; notice++) {
      const since = underpaidFilings[cursor]!.filedDay + rng.int(30, 75);
      if (since + 7 >= context.clockDay) break;
      let amount = 0;
      while (cursor < underpaidFilings.length && underpaidFilings[cursor]!.filedDay < since) {
        amount += underpaidFilings[cursor]!.unpaidFen;
        cursor++;
      }
      const version = (observedAt: string, settledDay: number | null): TaxArrearsRecord => ({
        externalId: `${uscc}:ARREARS:${formatDay(since)}`,
        observedAt,
        authority: plan.region.taxBureau,
        amountFen: fenString(amount),
        since: formatDay(since),
        status: settledDay === null ? 'OUTSTANDING' : 'SETTLED',
        settledOn: settledDay === null ? null : formatDay(settledDay),
      });
      arrears.push(version(stampOf(since + rng.int(2, 7), 5), null));
      const settledDay = rng.bernoulli(plan.severity < 0.65 ? 0.4 : 0.1) ? since + rng.int(20, 150) : null;
      if (settledDay !== null && settledDay + 1 < context.clockDay) {
        arrears.push(version(stampOf(settledDay + 1, 5), settledDay));
        outstandingNotices.push({ since, settled: settledDay });
      } else {
        outstandingNotices.push({ since, settled: null });
      }
      if (!rng.bernoulli(0.5)) break;
    }
  }

  // Ratings: year Y is published around 15 April of Y+1.
  const ratings: TaxRatingRecord[] = [];
  if (plan.kind !== 'INDIVIDUAL') {
    const baseScore = rng.normal(88, 5);
    const firstYear = yearOfMonth(context.firstMonth) - 1;
    for (let year = firstYear; year <= yearOfMonth(context.clockMonth); year++) {
      const publishedDay = dayInMonth((year + 1) * 12 + 3, 15) + rng.int(0, 7);
      if (publishedDay < context.windowStartDay || publishedDay >= context.clockDay) continue;
      const yearEnd = monthStart((year + 1) * 12) - 1;
      if (plan.establishedDay > yearEnd) continue;
      if (terminalEnd !== null && terminalEnd <= publishedDay) continue;
      const entry = tally(year);
      const arrearsOpen = outstandingNotices.some((n) => n.since <= yearEnd && (n.settled === null || n.settled > yearEnd));
      let grade: TaxGrade;
      if (yearEnd - plan.establishedDay < 730) {
        grade = 'M';
      } else {
        const score = baseScore - 5 * entry.late - 6 * entry.underpaid - 3 * entry.zero - 11 * entry.missing - (arrearsOpen ? 35 : 0);
        grade = score >= 90 ? 'A' : score >= 70 ? 'B' : score >= 40 ? 'C' : 'D';
      }
      ratings.push({
        externalId: `${uscc}:${year}`,
        observedAt: stampOf(publishedDay, 9),
        year,
        grade,
        publishedOn: formatDay(publishedDay),
      });
    }
    // Dynamic adjustment: arrears left unpaid drop the latest published grade to D.
    const firstOpen = outstandingNotices.find((n) => n.settled === null);
    if (firstOpen) {
      const adjustedDay = firstOpen.since + rng.int(30, 60);
      const latest = [...ratings].reverse().find((r) => r.publishedOn < formatDay(adjustedDay));
      if (latest && latest.grade !== 'D' && adjustedDay < context.clockDay) {
        const at = ratings.indexOf(latest);
        // Versions of one rating stay together, in observation order.
        const adjusted: TaxRatingRecord = {
          externalId: latest.externalId,
          observedAt: stampOf(adjustedDay, 9),
          year: latest.year,
          grade: 'D',
          publishedOn: formatDay(adjustedDay),
        };
        const next = ratings[at + 1];
        if (!next || next.observedAt > adjusted.observedAt) ratings.splice(at + 1, 0, adjusted);
      }
    }
  }
  return { filings, ratings, arrears };
}

// ---- courts and enforcement ----

function buildCourt(context: Context, plan: EnterprisePlan) {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'court');
  const cases: CourtCaseRecord[] = [];
  const enforcements: EnforcementRecord[] = [];
  const lastDay = context.clockDay - 1;
  const monthlySalesFen = yuanToFen(plan.baseMonthlySalesYuan);

  const caseNumber = (day: number, courtCode: string, kind: string) => {
    const year = formatDay(day).slice(0, 4);
    let sequence = rng.int(100, kind === '执' ? 30_000 : 25_000);
    for (;;) {
      const number = `(${year})${courtCode}${kind}${sequence}号`;
      if (!context.caseNumbers.has(number)) {
        context.caseNumbers.add(number);
        return number;
      }
      sequence++;
    }
  };
  const otherRegion = () => rng.pick(REGIONS);
  const someCompany = () => {
    const region = otherRegion();
    return companyName(rng, 'COMPANY', region, rng.pick(INDUSTRIES));
  };
  const bankBranch = () => `${rng.pick(BANKS)}股份有限公司${plan.region.city}分行`;
  const employees = () => `${rng.pick(['王', '李', '张', '刘', '陈', '周', '吴'])}某等${rng.int(1, 12)}名员工`;
  const representativeOn = (day: number) =>
    plan.legalRepresentatives.find((r) => r.fromDay <= day && (r.toDay === null || r.toDay > day))?.personKey ??
    plan.legalRepresentatives[0]!.personKey;

  const addCase = (options: {
    filedDay: number;
    kind: CourtCaseRecord['caseKind'];
    cause: string;
    role: CourtCaseRecord['partyRole'];
    amountFen: number | null;
    counterparty: string;
    closeAfterDays: number | null;
    local: boolean;
    numberKind?: string;
    court?: { name: string; code: string };
  }): { judgmentDay: number | null; court: { name: string; code: string } } => {
    const region = options.local ? plan.region : otherRegion();
    const court = options.court ?? { name: region.court, code: region.courtCode };
    const number = caseNumber(options.filedDay, court.code, options.numberKind ?? '民初');
    const observedDay = options.filedDay + rng.int(3, 20);
    if (observedDay >= lastDay) return { judgmentDay: null, court };
    const version = (seenDay: number, judgmentDay: number | null): CourtCaseRecord => ({
      externalId: number,
      observedAt: stampOf(seenDay, 6),
      caseNumber: number,
      court: court.name,
      caseKind: options.kind,
      cause: options.cause,
      partyRole: options.role,
      counterparty: options.counterparty,
      amountFen: options.amountFen === null ? null : fenString(options.amountFen),
      filedOn: formatDay(options.filedDay),
      status: judgmentDay === null ? 'OPEN' : 'CLOSED',
      judgmentOn: judgmentDay === null ? null : formatDay(judgmentDay),
    });
    const judgmentDay = options.closeAfterDays === null ? null : options.filedDay + options.closeAfterDays;
    if (judgmentDay !== null && judgmentDay <= observedDay) {
      cases.push(version(observedDay, judgmentDay));
      return { judgmentDay, court };
    }
    cases.push(version(observedDay, null));
    if (judgmentDay === null) return { judgmentDay: null, court };
    const closedSeen = judgmentDay + rng.int(5, 15);
    if (closedSeen >= lastDay) return { judgmentDay: null, court };
    cases.push(version(closedSeen, judgmentDay));
    return { judgmentDay, court };
  };

  const addEnforcement = (filedDay: number, amountFen: number, personKey: string | null, court: { name: string; code: string }, pressure: number) => {
    const number = caseNumber(filedDay, court.code, '执');
    const observedDay = filedDay + rng.int(5, 15);
    if (observedDay >= lastDay) return;
    const version = (
      seenDay: number,
      outstandingFen: number,
      closedDay: number | null,
      dishonestDebtor: boolean,
      consumptionRestriction: boolean,
    ): EnforcementRecord => ({
      externalId: number,
      observedAt: stampOf(seenDay, 7),
      personKey,
      caseNumber: number,
      court: court.name,
      amountFen: fenString(amountFen),
      outstandingFen: fenString(outstandingFen),
      filedOn: formatDay(filedDay),
      status: closedDay === null ? 'OPEN' : 'CLOSED',
      closedOn: closedDay === null ? null : formatDay(closedDay),
      dishonestDebtor,
      consumptionRestriction,
    });
    const restrictedAtOnce = rng.bernoulli(0.5);
    enforcements.push(version(observedDay, amountFen, null, false, restrictedAtOnce));
    let outstanding = amountFen;
    let dishonest = false;
    const listedDay = filedDay + rng.int(40, 120);
    if (rng.bernoulli(0.35 + 0.5 * pressure) && listedDay < lastDay) {
      dishonest = true;
      outstanding = Math.round(amountFen * rng.float(0.6, 1));
      enforcements.push(version(listedDay, outstanding, null, true, true));
    }
    const closedDay = Math.max(filedDay, dishonest ? listedDay : filedDay) + rng.int(60, 300);
    if (rng.bernoulli(0.45 - 0.3 * pressure) && closedDay < lastDay) {
      // Performed in full, or "terminated for this time" (终本) with the debt still outstanding.
      const performed = rng.bernoulli(0.5);
      enforcements.push(
        performed
          ? version(closedDay, 0, closedDay, false, false)
          : version(closedDay, outstanding, closedDay, dishonest, dishonest || restrictedAtOnce),
      );
    }
  };

  if (plan.distressStart !== null) {
    const startDay = monthStart(context.firstMonth + plan.distressStart);
    const suits = Math.min(6, 1 + rng.poisson(1 + 1.5 * plan.severity));
    for (let n = 0; n < suits; n++) {
      const cause = rng.weighted(DEFENDANT_CAUSES, DEFENDANT_CAUSES.map((c) => c.weight));
      const filedDay = startDay + rng.int(20, Math.max(21, context.clockDay - startDay - 25));
      const amountFen = Math.round((monthlySalesFen * rng.float(cause.monthsOfSales[0], cause.monthsOfSales[1])) / 100) * 100;
      const counterparty = cause.bank ? bankBranch() : cause.cause === '劳动争议' ? employees() : someCompany();
      if (cause.bank && rng.bernoulli(0.5)) {
        // The bank first freezes assets: a pre-suit preservation ruling within days.
        const preservationDay = filedDay - rng.int(3, 15);
        addCase({
          filedDay: preservationDay,
          kind: 'PRESERVATION',
          cause: '申请诉前财产保全',
          role: 'DEFENDANT',
          amountFen,
          counterparty,
          closeAfterDays: rng.int(1, 5),
          local: true,
          numberKind: '财保',
        });
      }
      const { judgmentDay, court } = addCase({
        filedDay,
        kind: 'CIVIL',
        cause: cause.cause,
        role: 'DEFENDANT',
        amountFen,
        counterparty,
        closeAfterDays: rng.bernoulli(0.85) ? rng.int(45, 240) : null,
        local: rng.bernoulli(0.8),
      });
      if (judgmentDay !== null && rng.bernoulli(0.75)) {
        const enforcementDay = judgmentDay + rng.int(20, 90);
        const amount = Math.round((amountFen * rng.float(0.8, 1.05)) / 100) * 100;
        addEnforcement(enforcementDay, amount, null, court, plan.severity);
        if (rng.bernoulli(cause.guaranteedByRepresentative)) {
          // The legal representative guaranteed the debt personally.
          addEnforcement(enforcementDay + rng.int(0, 10), amount, representativeOn(filedDay), court, plan.severity);
        }
      }
    }
    if (plan.terminal?.status === 'LIQUIDATING') {
      addCase({
        filedDay: plan.terminal.day - rng.int(20, 40),
        kind: 'BANKRUPTCY',
        cause: '破产清算',
        role: rng.bernoulli(0.5) ? 'DEFENDANT' : 'PLAINTIFF',
        amountFen: null,
        counterparty: rng.bernoulli(0.5) ? bankBranch() : plan.name,
        closeAfterDays: null,
        local: true,
        numberKind: '破申',
        court: { name: plan.region.intermediateCourt, code: plan.region.intermediateCourtCode },
      });
    }
  }

  // Noise: a healthy business sometimes sues a customer, or is sued by an employee.
  const windowDays = context.clockDay - Math.max(context.windowStartDay, plan.establishedDay);
  if (rng.bernoulli(0.12) && windowDays > 60) {
    const filedDay = context.clockDay - rng.int(40, windowDays);
    addCase({
      filedDay,
      kind: 'CIVIL',
      cause: rng.pick(PLAINTIFF_CAUSES),
      role: 'PLAINTIFF',
      amountFen: Math.round((monthlySalesFen * rng.float(0.05, 0.6)) / 100) * 100,
      counterparty: someCompany(),
      closeAfterDays: rng.bernoulli(0.9) ? rng.int(30, 200) : null,
      local: rng.bernoulli(0.5),
    });
  }
  if (rng.bernoulli(plan.distressed ? 0.1 : 0.03) && windowDays > 60) {
    addCase({
      filedDay: context.clockDay - rng.int(40, windowDays),
      kind: 'CIVIL',
      cause: '劳动争议',
      role: 'DEFENDANT',
      amountFen: Math.round((monthlySalesFen * rng.float(0.01, 0.05)) / 100) * 100,
      counterparty: employees(),
      closeAfterDays: rng.int(30, 120),
      local: true,
    });
  }
  if (rng.bernoulli(0.02) && windowDays > 60) {
    addCase({
      filedDay: context.clockDay - rng.int(40, windowDays),
      kind: 'CIVIL',
      cause: '买卖合同纠纷',
      role: 'THIRD_PARTY',
      amountFen: Math.round((monthlySalesFen * rng.float(0.1, 0.5)) / 100) * 100,
      counterparty: someCompany(),
      closeAfterDays: rng.int(30, 200),
      local: true,
    });
  }
  // Keep each fact's versions together and the facts in filing order.
  return { cases: groupVersions(cases, (c) => c.filedOn), enforcements: groupVersions(enforcements, (e) => e.filedOn) };
}

/** Orders facts by a date, keeping each fact's versions together and in observation order. */
function groupVersions<T extends { externalId: string; observedAt: string }>(records: T[], date: (record: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const group = groups.get(record.externalId);
    if (group) group.push(record);
    else groups.set(record.externalId, [record]);
  }
  const ordered = [...groups.values()].map((group) => sortVersions(group));
  ordered.sort((a, b) => {
    const da = date(a[0]!);
    const db = date(b[0]!);
    return da < db ? -1 : da > db ? 1 : a[0]!.externalId < b[0]!.externalId ? -1 : 1;
  });
  return ordered.flat();
}

// ---- utilities ----

const CLIMATE: readonly number[] = [1.1, 0.85, 0.95, 0.95, 1, 1.08, 1.18, 1.2, 1.05, 0.95, 0.95, 1.05];

function buildUtilities(context: Context, plan: EnterprisePlan, activity: MonthActivity): UtilityBillRecord[] {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'utility');
  const { industry, index } = plan;
  const bills: UtilityBillRecord[] = [];
  const scale = clamp((plan.baseMonthlySalesYuan / industry.medianMonthlySalesYuan) ** 0.5, 0.3, 3);
  const endDay = plan.terminal && plan.terminal.status !== 'LIQUIDATING' ? plan.terminal.day : context.clockDay;
  const cashSwitch =
    plan.distressStart !== null && rng.bernoulli(0.4) ? plan.distressStart + rng.int(0, 4) : null;

  type Account = {
    utility: UtilityBillRecord['utility'];
    unit: UtilityBillRecord['unit'];
    number: string;
    priceFen: number;
    base: number;
    per10k: number;
    decimals: number;
    autoDebit: boolean;
  };
  const accounts: Account[] = [
    {
      utility: 'ELECTRICITY',
      unit: 'kWh',
      number: `${plan.region.code.slice(0, 2)}${pad(scramble(index, 8, 13_579_111), 8)}`,
      priceFen: rng.float(65, 85),
      base: industry.baseKwh * scale,
      per10k: industry.kwhPer10kYuan,
      decimals: 0,
      autoDebit: rng.bernoulli(0.7),
    },
  ];
  if (rng.bernoulli(industry.waterShare * (plan.kind === 'INDIVIDUAL' ? 0.6 : 1))) {
    accounts.push({
      utility: 'WATER',
      unit: 'm3',
      number: `W${pad(scramble(index, 9, 246_813_579), 9)}`,
      priceFen: rng.float(420, 560),
      base: industry.baseWaterM3 * scale,
      per10k: industry.waterM3Per10kYuan,
      decimals: 1,
      autoDebit: rng.bernoulli(0.6),
    });
  }
  if ((industry.code === 'H6210' && rng.bernoulli(0.9)) || (industry.code === 'C1431' && rng.bernoulli(0.6))) {
    accounts.push({
      utility: 'GAS',
      unit: 'm3',
      number: `G${pad(scramble(index, 9, 975_318_642), 9)}`,
      priceFen: rng.float(360, 420),
      base: 300 * scale,
      per10k: industry.code === 'H6210' ? 60 : 25,
      decimals: 1,
      autoDebit: rng.bernoulli(0.6),
    });
  }

  for (const account of accounts) {
    for (let k = 0; k < context.months; k++) {
      const month = context.firstMonth + k;
      const from = Math.max(monthStart(month), plan.activeStartDay);
      const to = Math.min(monthStart(month + 1), endDay);
      if (to <= from) continue;
      const dueDay = dayInMonth(month + 1, 20);
      if (dueDay >= context.clockDay) continue;
      const fraction = (to - from) / daysInMonth(month);
      const health = plan.health[k]!;
      const climate = account.utility === 'ELECTRICITY' ? CLIMATE[calendarMonth(month) - 1]! : 1;
      // A base load that shrinks as the business winds down, plus what production needs.
      const raw =
        (account.base * climate * fraction * (0.35 + 0.65 * Math.min(1, health)) + (account.per10k * activity.salesYuan[k]!) / 10_000) *
        rng.logNormal(0, 0.07);
      const consumption = Number(raw.toFixed(account.decimals));
      const billedFen = Math.round(consumption * account.priceFen);
      const autoDebit = account.autoDebit && !(cashSwitch !== null && k >= cashSwitch);
      const billedDay = dayInMonth(month + 1, 5);
      const overdue = rng.bernoulli(0.01 + (autoDebit ? 0.5 : 0.9) * Math.max(0, 0.75 - health));
      let paidDay: number | null = overdue ? dueDay + rng.int(5, 20 + Math.round(100 * (1 - Math.min(1, health)))) : billedDay + rng.int(0, 14);
      if (overdue && health < 0.35 && rng.bernoulli(0.5)) paidDay = null;
      if (paidDay !== null && paidDay >= context.clockDay - 1) paidDay = null;

      const externalId = flat(account.number, ':', formatMonth(month));
      const consumptionText = formatDecimal(consumption, account.decimals);
      const billed = fenString(billedFen);
      const bill = (observedAt: string, paid: boolean, paidOn: number | null, daysOverdue: number): UtilityBillRecord => ({
        externalId,
        observedAt,
        utility: account.utility,
        accountNumber: account.number,
        period: formatMonth(month),
        consumption: consumptionText,
        unit: account.unit,
        billedFen: billed,
        paidFen: paid ? billed : '0',
        dueOn: formatDay(dueDay),
        paidOn: paidOn === null ? null : formatDay(paidOn),
        daysOverdue,
        autoDebit,
      });
      if (paidDay !== null && paidDay <= dueDay) {
        bills.push(bill(stampOf(dueDay, 8), true, paidDay, 0));
        continue;
      }
      // Unpaid at the due date: a version at the due date, every 30 days while unpaid, and at payment.
      bills.push(bill(stampOf(dueDay, 8), false, null, 0));
      const stop = paidDay ?? context.clockDay - 1;
      let checkpoint = dueDay + 30;
      for (; checkpoint < stop; checkpoint += 30) bills.push(bill(stampOf(checkpoint, 8), false, null, checkpoint - dueDay));
      if (paidDay !== null) {
        bills.push(bill(stampOf(paidDay, 20), true, paidDay, paidDay - dueDay));
      } else if (stop > dueDay) {
        // The last look before the clock.
        bills.push(bill(stampOf(stop, 20), false, null, stop - dueDay));
      }
    }
  }
  return bills;
}

// ---- social insurance ----

function buildSocialInsurance(context: Context, plan: EnterprisePlan, activity: MonthActivity): SocialInsuranceMonthRecord[] {
  const rng = forkRandom(context.seed, 'enterprise', plan.index, 'social');
  const { industry, uscc } = plan;
  const months: SocialInsuranceMonthRecord[] = [];
  const base =
    plan.kind === 'INDIVIDUAL'
      ? rng.int(1, 5)
      : clamp(Math.round(((plan.baseMonthlySalesYuan * 12) / industry.salesPerHeadYuan) * rng.logNormal(0, 0.3)), 1, 200);
  const perHeadFen = yuanToFen(plan.region.provinceAbbr === '沪' ? rng.float(2_100, 2_600) : rng.float(1_450, 1_950));
  const endDay = plan.terminal && plan.terminal.status !== 'LIQUIDATING' ? plan.terminal.day : context.clockDay;
  let smoothed = 1;
  for (let k = 0; k < context.months; k++) {
    const month = context.firstMonth + k;
    if (monthStart(month + 1) <= plan.activeStartDay || monthStart(month) >= endDay) continue;
    const observedDay = dayInMonth(month + 1, 12);
    if (observedDay >= context.clockDay) continue;
    const health = plan.health[k]!;
    smoothed = 0.6 * smoothed + 0.4 * Math.min(1.2, health);
    const trend = Math.exp((plan.growth * 0.5 * (k - 18)) / 12);
    let headcount = Math.round(base * trend * (0.45 + 0.55 * smoothed) + rng.normal(0, Math.max(0.3, base * 0.03)));
    headcount = clamp(headcount, 1, 200);
    if (activity.salesYuan[k] === 0 && plan.terminal?.status === 'LIQUIDATING') headcount = Math.min(headcount, 2);
    const due = headcount * perHeadFen;
    const paidFen = health < 0.5 && rng.bernoulli(0.5) ? Math.round(due * rng.float(0, 0.8)) : due;
    months.push({
      externalId: flat(uscc, ':', formatMonth(month)),
      observedAt: stampOf(observedDay, 4),
      month: formatMonth(month),
      insuredHeadcount: headcount,
      contributionsPaidFen: fenString(paidFen),
    });
  }
  return months;
}

/** The counterparty pool outside the portfolio: fixed size, so picks do not depend on N. */
export function outsidePool(seed: number, compose: (rng: Random) => OutsideCounterparty): OutsideCounterparty[] {
  const pool: OutsideCounterparty[] = [];
  const usccs = new Set<string>();
  const names = new Set<string>();
  for (let k = 0; k < OUTSIDE_POOL_SIZE; k++) {
    const rng = forkRandom(seed, 'outside', k);
    let counterparty = compose(rng);
    while (usccs.has(counterparty.uscc) || names.has(counterparty.name)) counterparty = compose(rng);
    usccs.add(counterparty.uscc);
    names.add(counterparty.name);
    pool.push(counterparty);
  }
  return pool;
}
