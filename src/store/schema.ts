import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Row types of the store, in camelCase (Kysely's CamelCasePlugin maps them to the snake_case
 * columns). bigint columns arrive as strings and dates as `YYYY-MM-DD` strings on both
 * backends (see src/store/database.ts), so no value is silently rounded or shifted by a zone.
 */
type Id = Generated<string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateString = string;
type Fen = ColumnType<string, string | bigint | number, string | bigint | number>;

export interface Provenance {
  source: string;
  externalId: string;
  syncRunId: string | null;
  payloadHash: string;
  observedAt: Timestamp;
  supersededAt: Timestamp | null;
}

export type EnterpriseStatus = 'UNVERIFIED' | 'ACTIVE' | 'ABNORMAL_OPERATIONS' | 'LIQUIDATING' | 'REVOKED' | 'CANCELLED';
export type RelationType = 'SHAREHOLDER' | 'LEGAL_REPRESENTATIVE' | 'EXECUTIVE' | 'GUARANTOR';
export type SyncRunStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'REFUSED' | 'ABANDONED';
/** A run that fetched from the upstream, or one that normalized quarantined payloads again (migration 0023). */
export type SyncRunKind = 'SYNC' | 'REPLAY';
export type QuarantineResolution = 'LANDED' | 'SUPERSEDED';

export interface SyncRunTable {
  id: Id;
  source: string;
  enterpriseId: string | null;
  status: SyncRunStatus;
  startedAt: Date;
  finishedAt: Timestamp | null;
  fetched: Generated<number>;
  stored: Generated<number>;
  duplicates: Generated<number>;
  quarantined: Generated<number>;
  error: string | null;
  /** The process running it (migration 0021); null for runs written in one transaction (the demo's load). */
  holder: ColumnType<string | null, string | null | undefined, string | null>;
  /** When its holder last showed it was alive, in real time. */
  heartbeatAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  kind: Generated<SyncRunKind>;
}

export interface EnterpriseTable extends Omit<Provenance, 'supersededAt'> {
  id: Id;
  uscc: string;
  name: string;
  legalForm: string | null;
  industryCode: string | null;
  regionCode: string;
  status: EnterpriseStatus;
  establishedOn: DateString | null;
  registeredCapitalFen: Fen | null;
  registeredCapitalCurrency: Generated<string>;
  paidInCapitalFen: Fen | null;
}

/** A state the enterprise's record had, from when it was observed until it was superseded (kept by the database). */
export interface EnterpriseVersionTable extends Omit<EnterpriseTable, 'id' | 'uscc'>, Pick<Provenance, 'supersededAt'> {
  id: Id;
  enterpriseId: string;
}

export interface PersonTable {
  id: Id;
  idHash: string;
  maskedIdNumber: string;
  name: string;
  source: string;
  observedAt: Timestamp;
}

export interface RelationTable extends Provenance {
  id: Id;
  fromPersonId: string | null;
  fromEnterpriseId: string | null;
  toEnterpriseId: string;
  type: RelationType;
  /** numeric(9,8) as a decimal string. */
  shareRatio: string | null;
  subscribedCapitalFen: Fen | null;
  validFrom: DateString | null;
  validTo: DateString | null;
}

export interface RegistryChangeTable extends Provenance {
  id: Id;
  enterpriseId: string;
  field: 'LEGAL_REPRESENTATIVE' | 'SHAREHOLDER' | 'NAME' | 'ADDRESS' | 'SCOPE' | 'CAPITAL' | 'STATUS';
  beforeValue: string | null;
  afterValue: string | null;
  changedOn: DateString;
}

export interface AbnormalOperationTable extends Provenance {
  id: Id;
  enterpriseId: string;
  reason: string;
  listedOn: DateString;
  listedBy: string | null;
  removedOn: DateString | null;
  removalReason: string | null;
}

export interface TaxFilingTable extends Provenance {
  id: Id;
  enterpriseId: string;
  formCode: string;
  taxType: 'VAT' | 'CORPORATE_INCOME';
  periodStart: DateString;
  periodEnd: DateString;
  declaredRevenueFen: Fen;
  taxPayableFen: Fen;
  taxPaidFen: Fen;
  lateFeeFen: Fen;
  filedOn: DateString | null;
  late: boolean;
  zeroFiling: boolean;
}

export type TaxGrade = 'A' | 'B' | 'M' | 'C' | 'D';

export interface TaxRatingTable extends Provenance {
  id: Id;
  enterpriseId: string;
  year: number;
  grade: TaxGrade;
  publishedOn: DateString;
}

export interface TaxArrearsTable extends Provenance {
  id: Id;
  enterpriseId: string;
  authority: string;
  amountFen: Fen;
  since: DateString;
  status: 'OUTSTANDING' | 'SETTLED';
  settledOn: DateString | null;
}

export type CaseKind = 'CIVIL' | 'ADMINISTRATIVE' | 'CRIMINAL' | 'ENFORCEMENT' | 'PRESERVATION' | 'BANKRUPTCY';
export type PartyRole = 'PLAINTIFF' | 'DEFENDANT' | 'THIRD_PARTY';

export interface CourtCaseTable extends Provenance {
  id: Id;
  enterpriseId: string;
  caseNumber: string;
  court: string;
  caseKind: CaseKind;
  cause: string;
  partyRole: PartyRole;
  amountFen: Fen | null;
  filedOn: DateString;
  status: 'OPEN' | 'CLOSED';
  judgmentOn: DateString | null;
}

export interface EnforcementTable extends Provenance {
  id: Id;
  enterpriseId: string | null;
  personId: string | null;
  caseNumber: string;
  court: string;
  amountFen: Fen;
  outstandingFen: Fen;
  filedOn: DateString;
  status: 'OPEN' | 'CLOSED';
  closedOn: DateString | null;
  dishonestDebtor: boolean;
  consumptionRestriction: boolean;
}

export type Utility = 'ELECTRICITY' | 'WATER' | 'GAS';

export interface UtilityBillTable extends Provenance {
  id: Id;
  enterpriseId: string;
  utility: Utility;
  accountNumber: string;
  period: DateString;
  /** numeric(14,3) as a decimal string. */
  consumption: string;
  unit: string;
  billedFen: Fen;
  paidFen: Fen;
  dueOn: DateString;
  paidOn: DateString | null;
  daysOverdue: number;
}

export type InvoiceStatus = 'NORMAL' | 'VOID' | 'RED_LETTER';

export interface InvoiceTable extends Provenance {
  id: Id;
  invoiceCode: string;
  invoiceNumber: string;
  kind: 'SPECIAL' | 'NORMAL' | 'DIGITAL';
  issuedOn: DateString;
  sellerUscc: string;
  buyerUscc: string;
  sellerEnterpriseId: string | null;
  buyerEnterpriseId: string | null;
  netAmountFen: Fen;
  taxFen: Fen;
  status: InvoiceStatus;
  originalInvoiceNumber: string | null;
}

export interface SocialInsuranceMonthTable extends Provenance {
  id: Id;
  enterpriseId: string;
  month: DateString;
  insuredHeadcount: number;
  contributionsPaidFen: Fen;
}

export interface ConsentTable {
  id: Id;
  enterpriseId: string;
  scopes: string[];
  purpose: string;
  evidenceRef: string;
  grantedBy: string;
  grantedAt: Date;
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
}

/** Roles whose natural persons authorize the pulls that bring their own data. */
export type PersonConsentRole = 'LEGAL_REPRESENTATIVE' | 'GUARANTOR';

/** A person's own consent: an enterprise's consent's columns, and who gave it. */
export interface PersonConsentTable extends ConsentTable {
  personIdHash: string;
  maskedIdNumber: string;
  name: string;
  role: PersonConsentRole;
}

export interface RawPayloadTable {
  id: Id;
  source: string;
  payloadHash: string;
  payload: unknown;
  firstSyncRunId: string | null;
  receivedAt: Date;
}

export interface QuarantinedRecordTable {
  id: Id;
  source: string;
  syncRunId: string | null;
  enterpriseId: string | null;
  externalId: string | null;
  payloadHash: string;
  payload: unknown;
  rawText: string | null;
  errors: unknown;
  quarantinedAt: Date;
  /** The stream it came in (migration 0022); null for records quarantined before. */
  stream: ColumnType<string | null, string | null | undefined, string | null>;
  /** Open (null) until a later run lands the record or quarantines it again (migration 0023). */
  resolution: ColumnType<QuarantineResolution | null, QuarantineResolution | null | undefined, QuarantineResolution | null>;
  resolvedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  resolvedBySyncRunId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SyncCheckpointTable {
  source: string;
  enterpriseId: string;
  state: unknown;
  syncRunId: string;
  updatedAt: Date;
}

export type ApplicationState = 'DRAFT' | 'AWAITING_CONSENT' | 'COLLECTING' | 'ASSESSED' | 'IN_REVIEW' | 'APPROVED' | 'DECLINED' | 'WITHDRAWN' | 'EXPIRED';

export interface AuditEventTable {
  id: Id;
  at: Date;
  actor: string;
  roles: string[];
  action: string;
  subjectType: string;
  subjectId: string | null;
  enterpriseId: string | null;
  purpose: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  /** For a delivery to several users at once (subscription events, migration 0020): each of them; the actor is then `system`. */
  recipients: ColumnType<string[] | null, string[] | null | undefined, never>;
}

export interface ApplicationTable {
  id: Id;
  enterpriseId: string;
  product: string;
  amountFen: Fen;
  termMonths: number;
  state: Generated<ApplicationState>;
  autoApproveMaxFen: Fen;
  /** The APPROVER's authority for the product when the application was made. */
  seniorApprovalFen: Fen;
  /** The SENIOR_APPROVER's; null for applications made before migration 0016. */
  seniorAuthorityFen: Fen | null;
  createdBy: string;
  createdAt: Date;
  submittedBy: string | null;
  submittedAt: Timestamp | null;
  assignee: string | null;
  expiresAt: Timestamp;
  updatedAt: Date;
  version: Generated<number>;
  recommendedDecision: 'APPROVE' | 'REVIEW' | 'DECLINE' | null;
  recommendedLimitFen: Fen | null;
  /** What an approval approved: at most what was applied for, and the loan's line (migration 0016). */
  approvedAmountFen: Fen | null;
  decision: 'APPROVE' | 'DECLINE' | null;
  decisionBasis: 'AUTOMATIC' | 'MANUAL' | null;
  decidedBy: string | null;
  deciderRole: string | null;
  decidedAt: Timestamp | null;
  reasonCode: string | null;
  decisionComment: string | null;
}

export interface ApplicationAssessmentTable {
  applicationId: string;
  assessedAt: Date;
  modelId: string;
  modelVersion: string;
  score: number;
  grade: string;
  decision: string;
  snapshot: unknown;
  syncRunIds: string[];
}

export interface LoanTable {
  id: Id;
  applicationId: string;
  enterpriseId: string;
  product: string;
  amountFen: Fen;
  limitFen: Fen;
  termMonths: number;
  rateBps: number | null;
  status: Generated<'ACTIVE' | 'FROZEN' | 'CLOSED'>;
  openedAt: Timestamp;
  maturesOn: DateString;
}

export type AlertStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'ESCALATED';

export interface MonitoringRefreshTable {
  enterpriseId: string;
  refreshedAt: Timestamp;
  /** The product graded at that refresh (the enterprise's largest line's) and its grade. */
  product: string | null;
  grade: 'A' | 'B' | 'C' | 'D' | 'E' | null;
}

export interface AlertTable {
  id: Id;
  enterpriseId: string;
  code: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  signalKey: string;
  evidence: unknown;
  recommendedAction: 'WATCH' | 'REDUCE_LIMIT' | 'FREEZE' | 'RECALL';
  detectedAt: Timestamp;
  status: Generated<AlertStatus>;
  assignee: string | null;
  resolutionNote: string | null;
  updatedAt: Timestamp;
  /** The sweep that raised it. */
  sweepId: string | null;
}

/** Each occurrence of an alert's condition, once per enterprise and signal key (migration 0024). */
export interface AlertOccurrenceTable {
  id: Id;
  alertId: string;
  enterpriseId: string;
  signalKey: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  evidence: unknown;
  recommendedAction: 'WATCH' | 'REDUCE_LIMIT' | 'FREEZE' | 'RECALL';
  detectedAt: Timestamp;
  sweepId: string | null;
}

export interface MonitoringSweepTable {
  id: string;
  requestedBy: string;
  startedAt: Timestamp;
  enterprises: number;
  batches: number;
}

export interface MonitoringSweepBatchTable {
  sweepId: string;
  batch: number;
  finishedAt: Timestamp;
  enterprises: number;
  failedPulls: number;
  signals: number;
  raised: number;
}

export type LimitActionKind = 'FREEZE' | 'REDUCE' | 'UNFREEZE';
export type LimitActionStatus = 'PROPOSED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

export interface LimitActionTable {
  id: Id;
  loanId: string;
  kind: LimitActionKind;
  newLimitFen: Fen | null;
  reason: string;
  alertId: string | null;
  proposedBy: string;
  proposedAt: Timestamp;
  status: Generated<LimitActionStatus>;
  decidedBy: string | null;
  decidedAt: Timestamp | null;
  decisionNote: string | null;
}

/** The demo's clock (migration 0010). */
export interface WritePositionTable {
  /** The token's user. */
  subject: string;
  /** A pg_lsn, as PostgreSQL prints it: `16/B374D848`. */
  lsn: string;
  recordedAt: Date;
}

/** Written by rate-limiter-flexible only (src/server/limits.ts). */
export interface RateLimitTable {
  key: string;
  points: number;
  /** Epoch milliseconds, bigint: read as a string. */
  expire: string | null;
}

/** A user the hub has seen, with the roles of their latest token (migration 0019). */
export interface HubUserTable {
  name: string;
  roles: string[];
  firstSeenAt: Timestamp;
  lastSeenAt: Timestamp;
}

export interface DemoClockTable {
  id: Generated<boolean>;
  startsOn: string;
  /** bigint: read as a string. */
  seed: ColumnType<string, number, number>;
  enterprises: number;
  monthsAdvanced: number;
  /** The hub's today at `anchoredAt` (a real instant). */
  todayAnchor: Timestamp;
  anchoredAt: Timestamp;
  preparedAt: Timestamp | null;
}

export interface Database {
  hubUser: HubUserTable;
  syncRun: SyncRunTable;
  enterprise: EnterpriseTable;
  enterpriseVersion: EnterpriseVersionTable;
  person: PersonTable;
  relation: RelationTable;
  registryChange: RegistryChangeTable;
  abnormalOperation: AbnormalOperationTable;
  taxFiling: TaxFilingTable;
  taxRating: TaxRatingTable;
  taxArrears: TaxArrearsTable;
  courtCase: CourtCaseTable;
  enforcement: EnforcementTable;
  utilityBill: UtilityBillTable;
  invoice: InvoiceTable;
  socialInsuranceMonth: SocialInsuranceMonthTable;
  consent: ConsentTable;
  personConsent: PersonConsentTable;
  rawPayload: RawPayloadTable;
  quarantinedRecord: QuarantinedRecordTable;
  syncCheckpoint: SyncCheckpointTable;
  auditEvent: AuditEventTable;
  application: ApplicationTable;
  applicationAssessment: ApplicationAssessmentTable;
  loan: LoanTable;
  monitoringRefresh: MonitoringRefreshTable;
  alert: AlertTable;
  alertOccurrence: AlertOccurrenceTable;
  monitoringSweep: MonitoringSweepTable;
  monitoringSweepBatch: MonitoringSweepBatchTable;
  limitAction: LimitActionTable;
  demoClock: DemoClockTable;
  writePosition: WritePositionTable;
  rateLimit: RateLimitTable;
}

export type EnterpriseRow = Selectable<EnterpriseTable>;
export type PersonRow = Selectable<PersonTable>;
export type RelationRow = Selectable<RelationTable>;
export type TaxFilingRow = Selectable<TaxFilingTable>;
export type TaxRatingRow = Selectable<TaxRatingTable>;
export type CourtCaseRow = Selectable<CourtCaseTable>;
export type EnforcementRow = Selectable<EnforcementTable>;
export type UtilityBillRow = Selectable<UtilityBillTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type ApplicationRow = Selectable<ApplicationTable>;
export type LoanRow = Selectable<LoanTable>;
export type AlertRow = Selectable<AlertTable>;
export type AlertOccurrenceRow = Selectable<AlertOccurrenceTable>;
export type LimitActionRow = Selectable<LimitActionTable>;
export type NewEnterprise = Insertable<EnterpriseTable>;
export type ProvenanceRow = Selectable<Provenance>;
