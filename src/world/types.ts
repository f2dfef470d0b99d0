/**
 * The demo portfolio as the generator returns it: plain data, no classes. Money is integer fen
 * as a decimal string (`'123456'`, possibly negative for red-letter invoices), calendar days
 * are `YYYY-MM-DD`, months are the first day of the month, and `observedAt` is an ISO 8601 UTC
 * timestamp strictly before the clock.
 *
 * Every fact carries `externalId`, unique within its source for the fact, and `observedAt`,
 * when the hub would have learned it. A fact that changed over time (a case that closed, an
 * enforcement that was listed then closed, arrears that were settled, a bill paid late, a
 * relation that ended, a rating adjusted) appears as several records with the same
 * `externalId`, consecutive and in `observedAt` order: each is the state as observed then, the
 * last one the state as of the clock.
 */

// The world's own vocabulary: the upstreams speak it, and the hub's canonical model happens to
// share it (the connectors map one onto the other), so the world knows nothing of the hub.
export type EnterpriseStatus = 'UNVERIFIED' | 'ACTIVE' | 'ABNORMAL_OPERATIONS' | 'LIQUIDATING' | 'REVOKED' | 'CANCELLED';
export type RelationType = 'SHAREHOLDER' | 'LEGAL_REPRESENTATIVE' | 'EXECUTIVE' | 'GUARANTOR';
export type TaxGrade = 'A' | 'B' | 'M' | 'C' | 'D';
export type CaseKind = 'CIVIL' | 'ADMINISTRATIVE' | 'CRIMINAL' | 'ENFORCEMENT' | 'PRESERVATION' | 'BANKRUPTCY';
export type PartyRole = 'PLAINTIFF' | 'DEFENDANT' | 'THIRD_PARTY';
export type Utility = 'ELECTRICITY' | 'WATER' | 'GAS';
export type InvoiceStatus = 'NORMAL' | 'VOID' | 'RED_LETTER';

export type FenString = string;
export type DateString = string;
export type MonthString = string;
export type Instant = string;

export interface PortfolioOptions {
  seed: number;
  enterprises: number;
  /** The demo clock: YYYY-MM-01; history covers the full months before it. */
  clock: string;
  /** How many months of history: 36 by default; a longer window starts earlier, its stories' timings keep their distance from the end. */
  historyMonths?: number;
}

export interface Observed {
  externalId: string;
  observedAt: Instant;
}

export type TaxpayerType = 'GENERAL' | 'SMALL_SCALE';

export interface EnterpriseRecord extends Observed {
  uscc: string;
  name: string;
  legalForm: string;
  industryCode: string;
  regionCode: string;
  /** As of the clock; the history of status changes is in the STATUS registry changes. */
  status: EnterpriseStatus;
  establishedOn: DateString;
  registeredCapitalFen: FenString;
  paidInCapitalFen: FenString | null;
  address: string;
  scope: string;
  taxpayerType: TaxpayerType;
}

export interface PersonRecord {
  /** The generator's own key for the person (never the ID number). */
  key: string;
  /** The clear 18-character resident ID number: the loader hashes it and never stores it. */
  idNumber: string;
  name: string;
}

/** Who stands on the "from" side of a relation. */
export type PartyRef = { kind: 'PERSON'; personKey: string } | { kind: 'ENTERPRISE'; uscc: string };

export interface RelationRecord extends Observed {
  from: PartyRef;
  type: RelationType;
  /** Decimal string with 4 decimals ('0.3500'); shareholders only. */
  shareRatio: string | null;
  subscribedCapitalFen: FenString | null;
  validFrom: DateString | null;
  validTo: DateString | null;
  /** For executives: the post (监事, 总经理...). */
  position: string | null;
}

export type RegistryField = 'LEGAL_REPRESENTATIVE' | 'SHAREHOLDER' | 'NAME' | 'ADDRESS' | 'SCOPE' | 'CAPITAL' | 'STATUS';

export interface RegistryChangeRecord extends Observed {
  field: RegistryField;
  before: string | null;
  after: string | null;
  changedOn: DateString;
}

export interface AbnormalOperationRecord extends Observed {
  reason: string;
  listedOn: DateString;
  listedBy: string;
  removedOn: DateString | null;
  removalReason: string | null;
}

export interface TaxFilingRecord extends Observed {
  formCode: '010100' | '010200' | '040101' | '040102';
  taxType: 'VAT' | 'CORPORATE_INCOME';
  /** 02 monthly, 03 quarterly. */
  periodType: '02' | '03';
  periodStart: DateString;
  periodEnd: DateString;
  declaredRevenueFen: FenString;
  taxPayableFen: FenString;
  taxPaidFen: FenString;
  lateFeeFen: FenString;
  filedOn: DateString;
  late: boolean;
  zeroFiling: boolean;
}

export interface TaxRatingRecord extends Observed {
  year: number;
  grade: TaxGrade;
  publishedOn: DateString;
}

export interface TaxArrearsRecord extends Observed {
  authority: string;
  amountFen: FenString;
  since: DateString;
  status: 'OUTSTANDING' | 'SETTLED';
  settledOn: DateString | null;
}

export interface CourtCaseRecord extends Observed {
  caseNumber: string;
  court: string;
  caseKind: CaseKind;
  cause: string;
  partyRole: PartyRole;
  /** The other side, as published (a company or a bank). */
  counterparty: string;
  amountFen: FenString | null;
  filedOn: DateString;
  status: 'OPEN' | 'CLOSED';
  judgmentOn: DateString | null;
}

export interface EnforcementRecord extends Observed {
  /** null: the enterprise itself; otherwise the person (the legal representative) enforced against. */
  personKey: string | null;
  caseNumber: string;
  court: string;
  amountFen: FenString;
  outstandingFen: FenString;
  filedOn: DateString;
  status: 'OPEN' | 'CLOSED';
  closedOn: DateString | null;
  dishonestDebtor: boolean;
  consumptionRestriction: boolean;
}

export interface UtilityBillRecord extends Observed {
  utility: Utility;
  accountNumber: string;
  period: MonthString;
  /** Decimal string, at most 3 decimals. */
  consumption: string;
  unit: 'kWh' | 'm3';
  billedFen: FenString;
  paidFen: FenString;
  dueOn: DateString;
  paidOn: DateString | null;
  /** Days past due as of the observation (for a bill paid late: how late it was paid). */
  daysOverdue: number;
  autoDebit: boolean;
}

export interface InvoiceRecord extends Observed {
  invoiceCode: string;
  invoiceNumber: string;
  kind: 'SPECIAL' | 'NORMAL' | 'DIGITAL';
  issuedOn: DateString;
  sellerUscc: string;
  buyerUscc: string;
  netAmountFen: FenString;
  taxFen: FenString;
  status: InvoiceStatus;
  /** Red-letter invoices: the number of the seller's original invoice they reverse. */
  originalInvoiceNumber: string | null;
}

export interface SocialInsuranceMonthRecord extends Observed {
  month: MonthString;
  insuredHeadcount: number;
  contributionsPaidFen: FenString;
}

/** What the generator knows and the hub does not: the latent condition behind the facts. */
export interface EnterpriseTruth {
  distressed: boolean;
  distressStartMonth: MonthString | null;
  /** One value per month of `Portfolio.months`, about 1 in normal times; 0 before the enterprise existed. */
  healthByMonth: number[];
  /** How far health falls in distress (0..1), 0 for a healthy enterprise. */
  severity: number;
  /** Declares noticeably less VAT revenue than it invoices. */
  underDeclares: boolean;
}

/**
 * One enterprise: its registry record (the EnterpriseRecord fields, see `enterpriseRecordOf`),
 * its position in the portfolio, the generator's ground truth, and its facts.
 */
export interface EnterpriseBundle extends EnterpriseRecord {
  index: number;
  truth: EnterpriseTruth;
  /**
   * The registry record as observed after each change of its content (name, address, scope,
   * capital, status), in observation order from the first sight of it; the last is the record.
   */
  recordVersions: EnterpriseRecord[];
  /** Relations pointing to this enterprise (its shareholders, legal representative, executives). */
  relations: RelationRecord[];
  registryChanges: RegistryChangeRecord[];
  abnormalOperations: AbnormalOperationRecord[];
  taxFilings: TaxFilingRecord[];
  taxRatings: TaxRatingRecord[];
  taxArrears: TaxArrearsRecord[];
  courtCases: CourtCaseRecord[];
  enforcements: EnforcementRecord[];
  utilityBills: UtilityBillRecord[];
  /** Invoices this enterprise issued (as seller). */
  invoices: InvoiceRecord[];
  socialInsuranceMonths: SocialInsuranceMonthRecord[];
}

export interface OutsideCounterparty {
  uscc: string;
  name: string;
  regionCode: string;
}

export interface Portfolio {
  options: PortfolioOptions;
  /** The 36 months of history, oldest first, as YYYY-MM-01. */
  months: MonthString[];
  /** observedAt of every fact is strictly before this instant (the clock at midnight UTC). */
  clockInstant: Instant;
  enterprises: EnterpriseBundle[];
  persons: PersonRecord[];
  /** Invoice buyers outside the portfolio. */
  outsideCounterparties: OutsideCounterparty[];
}

/** The per-enterprise fact lists, in one place for loops over all of them. */
export const FACT_KINDS = [
  'relations',
  'registryChanges',
  'abnormalOperations',
  'taxFilings',
  'taxRatings',
  'taxArrears',
  'courtCases',
  'enforcements',
  'utilityBills',
  'invoices',
  'socialInsuranceMonths',
] as const satisfies readonly (keyof EnterpriseBundle)[];

export type FactKind = (typeof FACT_KINDS)[number];

/** The fields of the registry record, in a fixed order. */
export const ENTERPRISE_RECORD_FIELDS = [
  'externalId',
  'observedAt',
  'uscc',
  'name',
  'legalForm',
  'industryCode',
  'regionCode',
  'status',
  'establishedOn',
  'registeredCapitalFen',
  'paidInCapitalFen',
  'address',
  'scope',
  'taxpayerType',
] as const satisfies readonly (keyof EnterpriseRecord)[];

/** The registry record of an enterprise, without its facts and truth. */
export function enterpriseRecordOf(bundle: EnterpriseBundle): EnterpriseRecord {
  const record: Record<string, unknown> = {};
  for (const field of ENTERPRISE_RECORD_FIELDS) record[field] = bundle[field];
  return record as unknown as EnterpriseRecord;
}

/**
 * The latest version of each fact observed before `instant`, in first-seen order. The
 * generator lists a fact's versions consecutively, oldest first.
 */
export function asOf<R extends Observed>(records: readonly R[], instant: string): R[] {
  const latest = new Map<string, R>();
  for (const record of records) {
    if (record.observedAt < instant) latest.set(record.externalId, record);
  }
  return [...latest.values()];
}
