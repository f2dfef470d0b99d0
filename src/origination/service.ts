import type { UserDirectory } from '../auth/directory.js';
import type { Clock } from '../common/clock.js';
import { sql, type Transaction } from 'kysely';
import { recordAudit, type Actor, type AuditEntry } from '../audit/audit.js';
import { APPROVER_ROLES, hasAnyRole } from '../auth/roles.js';
import { ConsentRequiredError, ForbiddenError, InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import { decimalToFen, fenToDecimal, isDecimal } from '../common/money.js';
import { hasConsent, personsAuthorizing } from '../ingest/consents.js';
import type { IngestService } from '../ingest/service.js';
import { checkUscc } from '../profile/uscc.js';
import type { Product } from '../risk/config.js';
import { FEATURES } from '../risk/features/catalog.js';
import type { RiskService } from '../risk/service.js';
import type { Db } from '../store/database.js';
import { latestFirst } from '../store/latest-first.js';
import { loadProfilesAsOf } from '../store/profiles-as-of.js';
import type { ApplicationRow, ApplicationState, Database, LoanRow, PersonConsentRole } from '../store/schema.js';
import { freezeAssessment, type FrozenAssessment } from './snapshot.js';
import { canonicalUser, userArgument } from '../auth/identity.js';

export interface CreateApplication {
  uscc: string;
  product: string;
  /** A decimal string in yuan. */
  amount: string;
  termMonths: number;
}

/** A natural person's own authorization a product's pulls need: a role's, for a scope. */
export interface PersonAuthorizationGap {
  role: PersonConsentRole;
  scope: string;
  /** Whether the store knows who holds the role (the registry names them). */
  personKnown: boolean;
}

/** A manual decision: approve (an amount, by default what was applied for) or decline. */
export interface ManualDecision {
  decision: 'APPROVE' | 'DECLINE';
  reasonCode: string | null;
  comment: string | null;
  /** The amount approved, a decimal string in yuan; none for a decline. */
  amount: string | null;
}

export interface LoanFilter {
  status?: LoanRow['status'] | null;
  enterpriseId?: string | null;
}

export interface ApplicationFilter {
  state?: ApplicationState | null;
  product?: string | null;
  assignee?: string | null;
  enterpriseId?: string | null;
}

/** States an application still waits in, and which time can expire. */
const OPEN_STATES: readonly ApplicationState[] = ['DRAFT', 'AWAITING_CONSENT', 'IN_REVIEW'];
const MAX_COMMENT = 2000;
/** A submission still COLLECTING after this long was cut short. */
const STALLED_COLLECTION_MS = 15 * 60_000;

/**
 * The application workflow: create, submit (consent, collection through the ingest engine,
 * assessment frozen with the application, automatic decision where the product allows one),
 * review under maker-checker, withdrawal and expiry. Every change and its audit line commit in
 * one transaction; the database's constraints and triggers (migration 0006) hold the same rules.
 */
export class OriginationService {
  constructor(
    private readonly db: Db,
    private readonly ingest: IngestService,
    private readonly risk: RiskService,
    private readonly users: UserDirectory,
    private readonly now: Clock,
  ) {}

  async create(actor: Actor, input: CreateApplication): Promise<ApplicationRow> {
    const checked = checkUscc(input.uscc);
    if (!checked.valid) throw new InputError(`uscc '${input.uscc}' is not valid: ${checked.reason}`, { argument: 'input.uscc' });
    const product = this.risk.product(input.product);
    const amountFen = parseAmount(input.amount);
    const [min, max] = [decimalToFen(product.minAmount), decimalToFen(product.maxAmount)];
    if (amountFen < min || amountFen > max) {
      throw new InputError(`amount ${fenToDecimal(amountFen)} is outside ${product.id}'s bounds, ${product.minAmount} to ${product.maxAmount}`, { argument: 'input.amount' });
    }
    if (!Number.isInteger(input.termMonths) || input.termMonths < product.minTermMonths || input.termMonths > product.maxTermMonths) {
      throw new InputError(`termMonths ${input.termMonths} is outside ${product.id}'s bounds, ${product.minTermMonths} to ${product.maxTermMonths}`, { argument: 'input.termMonths' });
    }
    const enterprise = await this.db.selectFrom('enterprise').select('id').where('uscc', '=', checked.uscc).executeTakeFirst();
    if (!enterprise) throw new NotFoundError(`no enterprise with uscc ${checked.uscc} is known to the hub`, { argument: 'input.uscc' });
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const application = await trx
        .insertInto('application')
        .values({
          enterpriseId: enterprise.id,
          product: product.id,
          amountFen,
          termMonths: input.termMonths,
          autoApproveMaxFen: decimalToFen(product.autoApproveMaxAmount),
          seniorApprovalFen: decimalToFen(product.approvalAuthority.APPROVER),
          seniorAuthorityFen: decimalToFen(product.approvalAuthority.SENIOR_APPROVER),
          createdBy: actor.user,
          createdAt: now,
          updatedAt: now,
          expiresAt: addDays(now, product.applicationValidDays),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, [entry('CREATE_APPLICATION', application, null, application)]);
      return application;
    });
  }

  /**
   * Consent first (CONSENT_REQUIRED naming what is missing, and nothing changes); then the
   * product's sources are pulled, the risk view is frozen with the application, and the
   * product's rules decide where they may; everything else goes to review.
   */
  async submit(actor: Actor, id: string): Promise<ApplicationRow> {
    const application = await this.load(id);
    // A submission cut short (the process stopped while pulling) may be submitted again once
    // nothing has touched it for a while; the syncs resume from their checkpoints.
    const stalled = application.state === 'COLLECTING' && this.now().getTime() - application.updatedAt.getTime() > STALLED_COLLECTION_MS;
    if (!stalled) this.expectState(application, ['DRAFT', 'AWAITING_CONSENT'], 'submitted');
    // Whoever submitted first stays the maker: no one else may submit it again and later check it.
    if (application.submittedBy !== null && application.submittedBy !== actor.user) {
      throw new ForbiddenError(`${application.submittedBy} submitted this application; only they can submit it again`);
    }
    const product = this.productOf(application);
    const missing = await this.missingScopes(application.enterpriseId, product);
    // A person the store does not know yet (the registry names them) is checked at the pull itself.
    const persons = (await this.missingPersonAuthorizations(application.enterpriseId, product)).filter((gap) => gap.personKnown);
    if (missing.length > 0 || persons.length > 0) {
      const enterprise = missing.length > 0 ? `the enterprise has no valid consent for ${missing.join(', ')}` : null;
      const own = persons.length > 0 ? `${persons.map((gap) => `the ${gap.role.toLowerCase().replace('_', ' ')}`).join(' and ')} has not authorized ${persons.map((gap) => gap.scope).join(', ')} themselves` : null;
      throw new ConsentRequiredError(`${[enterprise, own].filter(Boolean).join('; ')}, which ${product.id} needs; record the signed consents with grantConsent and grantPersonConsent`, {
        missingScopes: missing,
        missingPersonAuthorizations: persons,
      });
    }
    const collecting = await this.transition(actor, application, 'SUBMIT_APPLICATION', 'COLLECTING', { submittedBy: actor.user, submittedAt: this.now() });

    const runIds: string[] = [];
    for (const source of product.requiredSources.filter((id) => this.ingest.isConfigured(id))) {
      const [run] = await this.ingest.syncEnterprise(actor, application.enterpriseId, [source]);
      runIds.push(run!.id);
      if (run!.status === 'REFUSED') {
        // The consent was revoked or expired between the check and the pull.
        return this.transition(actor, collecting, 'AWAIT_CONSENT', 'AWAITING_CONSENT', {});
      }
    }
    return this.assessAndDecide(actor, collecting, product, runIds);
  }

  private async assessAndDecide(actor: Actor, application: ApplicationRow, product: Product, runIds: string[]): Promise<ApplicationRow> {
    const now = this.now();
    const profile = (await loadProfilesAsOf(this.db, [application.enterpriseId], now)).get(application.enterpriseId);
    if (!profile) throw new NotFoundError('the application\'s enterprise is no longer in the store');
    const assessment = this.risk.assess(profile, product);
    const frozen = freezeAssessment(assessment);
    const amountFen = BigInt(application.amountFen);
    const knockouts = assessment.ruleHits.filter((hit) => hit.rule.kind === 'KNOCKOUT');
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('applicationAssessment')
        .values({
          applicationId: application.id,
          assessedAt: now,
          modelId: assessment.model.id,
          modelVersion: assessment.model.version,
          score: assessment.score,
          grade: assessment.grade,
          decision: assessment.decision,
          snapshot: JSON.stringify(frozen),
          syncRunIds: runIds,
        })
        .execute();
      const assessed = await this.transition(actor, application, 'ASSESS_APPLICATION', 'ASSESSED', {
        recommendedDecision: assessment.decision,
        recommendedLimitFen: assessment.recommendedLimitFen?.toString() ?? null,
      }, trx, { score: assessment.score, grade: assessment.grade, decision: assessment.decision, model: assessment.model });
      const system = { ...actor, user: 'system', roles: [] };
      if (assessment.decision === 'DECLINE' && knockouts.length > 0) {
        return this.transition(system, assessed, 'DECIDE_APPLICATION', 'DECLINED', {
          decision: 'DECLINE',
          decisionBasis: 'AUTOMATIC',
          decidedBy: 'system',
          decidedAt: now,
          reasonCode: knockouts[0]!.rule.code,
        }, trx);
      }
      const limitFen = assessment.recommendedLimitFen;
      if (
        assessment.decision === 'APPROVE' &&
        limitFen !== null &&
        amountFen <= limitFen &&
        amountFen <= BigInt(application.autoApproveMaxFen) &&
        product.autoApproveGrades.includes(assessment.grade)
      ) {
        const approved = await this.transition(system, assessed, 'DECIDE_APPLICATION', 'APPROVED', {
          decision: 'APPROVE',
          decisionBasis: 'AUTOMATIC',
          decidedBy: 'system',
          decidedAt: now,
          approvedAmountFen: application.amountFen,
        }, trx);
        await this.book(trx, system, approved, frozen);
        return approved;
      }
      return this.transition(actor, assessed, 'REFER_APPLICATION', 'IN_REVIEW', { expiresAt: addDays(now, product.applicationValidDays) }, trx);
    });
  }

  /**
   * Maker-checker: an approver who neither created nor submitted the application. An approval
   * names its amount (at most what was applied for; the loan's line), within the approver's
   * authority for the product; above the model's limit only a senior approver. A reason code and
   * a comment against the model's advice; a decline always names its reason.
   */
  async decide(actor: Actor, id: string, { decision, reasonCode, comment, amount }: ManualDecision): Promise<ApplicationRow> {
    const application = await this.load(id);
    this.expectState(application, ['IN_REVIEW'], 'decided');
    if (!hasAnyRole(actor, APPROVER_ROLES)) throw new ForbiddenError('deciding an application needs APPROVER or SENIOR_APPROVER');
    if (actor.user === application.createdBy || actor.user === application.submittedBy) {
      throw new ForbiddenError(`${actor.user} ${actor.user === application.createdBy ? 'created' : 'submitted'} this application and so cannot decide it: another approver must`);
    }
    const deciderRole = actor.roles.includes('SENIOR_APPROVER') ? 'SENIOR_APPROVER' : 'APPROVER';
    const approvedFen = decision === 'APPROVE' ? this.approvedAmount(application, amount, deciderRole) : null;
    if (decision === 'DECLINE' && amount !== null) throw new InputError('a decline approves no amount: leave amount out', { argument: 'amount' });
    const code = reasonCode?.trim() || null;
    const note = comment?.trim() || null;
    if (note !== null && note.length > MAX_COMMENT) throw new InputError(`comment is longer than ${MAX_COMMENT} characters`, { argument: 'comment' });
    const frozen = await this.frozenAssessment(application.id);
    const cap = this.productOf(application).maxRateBps;
    if (decision === 'APPROVE' && frozen?.pricing && frozen.pricing.rateBps > cap) {
      // Never booked at a loss: the cap is the most the product charges, the price what the risk costs.
      throw new InvalidStateError(`its risk-based rate of ${frozen.pricing.rateBps} bps is above ${cap} bps, the product's cap: no rate within it covers the risk`, { rateBps: frozen.pricing.rateBps, maxRateBps: cap });
    }
    if (code !== null && !this.knownReasonCodes(frozen).has(code)) {
      throw new InputError(`reasonCode ${code} is not a known reason: use a rule's or a feature's code or one of ${[...this.risk.config.decisionReasons.keys()].join(', ')}`, { argument: 'reasonCode' });
    }
    if (decision === 'DECLINE' && code === null) throw new InputError('a decline needs a reasonCode: the enterprise is told why', { argument: 'reasonCode' });
    if (againstModel(decision, { ...application, approvedAmountFen: approvedFen?.toString() ?? null }) && (code === null || note === null)) {
      throw new InputError(`deciding ${decision} against the model's advice (${application.recommendedDecision}${decision === 'APPROVE' ? ', limit ' + (application.recommendedLimitFen === null ? 'none' : fenToDecimal(application.recommendedLimitFen)) : ''}) needs a reasonCode and a comment`, {
        argument: code === null ? 'reasonCode' : 'comment',
      });
    }
    return this.db.transaction().execute(async (trx) => {
      const decided = await this.transition(actor, application, 'DECIDE_APPLICATION', decision === 'APPROVE' ? 'APPROVED' : 'DECLINED', {
        decision,
        decisionBasis: 'MANUAL',
        decidedBy: actor.user,
        deciderRole,
        decidedAt: this.now(),
        reasonCode: code,
        decisionComment: note,
        approvedAmountFen: approvedFen?.toString() ?? null,
      }, trx);
      if (decision === 'APPROVE') await this.book(trx, actor, decided, frozen);
      return decided;
    });
  }

  /**
   * The amount an approver approves: what they name, by default what was applied for; never more
   * than that, nor below the product's minimum; within their role's authority; above the model's
   * recommended limit (or where it gives none) only a senior approver's.
   */
  private approvedAmount(application: ApplicationRow, amount: string | null, deciderRole: 'APPROVER' | 'SENIOR_APPROVER'): bigint {
    const applied = BigInt(application.amountFen);
    const approved = amount === null ? applied : parseAmount(amount, 'amount');
    const product = this.productOf(application);
    if (approved > applied) {
      throw new InputError(`amount ${fenToDecimal(approved)} is more than the ${fenToDecimal(applied)} applied for: an approval approves at most what was asked`, { argument: 'amount' });
    }
    if (approved < decimalToFen(product.minAmount)) {
      throw new InputError(`amount ${fenToDecimal(approved)} is below ${product.id}'s minimum, ${product.minAmount}`, { argument: 'amount' });
    }
    const authority = deciderRole === 'SENIOR_APPROVER' ? (application.seniorAuthorityFen ?? application.amountFen) : application.seniorApprovalFen;
    if (approved > BigInt(authority)) {
      throw new ForbiddenError(
        deciderRole === 'APPROVER'
          ? `approving ${fenToDecimal(approved)} is above an APPROVER's authority of ${fenToDecimal(authority)} for ${product.id}: it needs a SENIOR_APPROVER`
          : `approving ${fenToDecimal(approved)} is above a SENIOR_APPROVER's authority of ${fenToDecimal(authority)} for ${product.id}: a credit committee decides`,
        { authority: fenToDecimal(authority) },
      );
    }
    const recommended = application.recommendedDecision === 'APPROVE' && application.recommendedLimitFen !== null ? BigInt(application.recommendedLimitFen) : null;
    if ((recommended === null || approved > recommended) && deciderRole !== 'SENIOR_APPROVER') {
      throw new ForbiddenError(
        `approving ${fenToDecimal(approved)} is ${recommended === null ? 'against the model, which recommends no limit' : `above the model's recommended limit of ${fenToDecimal(recommended)}`}: it needs a SENIOR_APPROVER`,
      );
    }
    return approved;
  }

  async withdraw(actor: Actor, id: string): Promise<ApplicationRow> {
    const application = await this.load(id);
    this.expectState(application, ['DRAFT', 'AWAITING_CONSENT', 'IN_REVIEW'], 'withdrawn');
    if (actor.user !== application.createdBy && actor.user !== application.submittedBy) {
      throw new ForbiddenError(`only ${[application.createdBy, application.submittedBy].filter(Boolean).join(' or ')}, who made this application, can withdraw it`);
    }
    return this.transition(actor, application, 'WITHDRAW_APPLICATION', 'WITHDRAWN', {});
  }

  async assign(actor: Actor, id: string, user: string): Promise<ApplicationRow> {
    const named = userArgument(user, 'user');
    const application = await this.load(id);
    this.expectState(application, ['IN_REVIEW'], 'assigned');
    if (named === application.createdBy || named === application.submittedBy) {
      throw new InputError(`${named} made this application and cannot review it`, { argument: 'user' });
    }
    const assignee = await this.users.assignee(named, 'user', APPROVER_ROLES, 'review an application');
    return this.transition(actor, application, 'ASSIGN_APPLICATION', 'IN_REVIEW', { assignee });
  }

  /** Marks open applications past their expiry EXPIRED; returns how many. */
  async expireDue(actor: Actor): Promise<number> {
    const now = this.now();
    const due = await this.db.selectFrom('application').selectAll().where('state', 'in', OPEN_STATES).where('expiresAt', '<=', now).execute();
    let expired = 0;
    for (const application of due) {
      await this.transition(actor, application, 'EXPIRE_APPLICATION', 'EXPIRED', {}).then(
        () => expired++,
        // Decided or withdrawn meanwhile: nothing to expire.
        (error: unknown) => {
          if (!(error instanceof InvalidStateError)) throw error;
        },
      );
    }
    return expired;
  }

  async find(id: string): Promise<ApplicationRow | undefined> {
    return this.db.selectFrom('application').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async frozenAssessment(applicationId: string): Promise<FrozenAssessment | null> {
    return (await findFrozenAssessments(this.db, [applicationId])).get(applicationId) ?? null;
  }

  /** Latest first, keyset-paged on the id. */
  async page(filter: ApplicationFilter, size: number, beforeId: string | undefined) {
    return latestFirst(this.filtered(filter).selectAll(), size, beforeId);
  }

  /** The loan book, latest first. */
  async pageLoans(filter: LoanFilter, size: number, beforeId: string | undefined) {
    return latestFirst(this.filteredLoans(filter).selectAll(), size, beforeId);
  }

  async countLoans(filter: LoanFilter): Promise<number> {
    const row = await this.filteredLoans(filter).select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filteredLoans(filter: LoanFilter) {
    let query = this.db.selectFrom('loan');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
    return query;
  }

  async count(filter: ApplicationFilter): Promise<number> {
    const row = await this.filtered(filter).select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * The authorizations of natural persons the product's pulls need and do not have now: for each
   * source that brings a person's own data, each person in that role without one (or the role,
   * where the store does not know who holds it yet).
   */
  async missingPersonAuthorizations(enterpriseId: string, product: Product): Promise<PersonAuthorizationGap[]> {
    const now = this.now();
    const gaps: PersonAuthorizationGap[] = [];
    for (const source of product.requiredSources) {
      const manifest = this.ingest.registered.find((connector) => connector.manifest.id === source)?.manifest;
      if (!manifest?.personalSubjects?.length) continue;
      const persons = (await personsAuthorizing(enterpriseId, manifest.personalSubjects, manifest.consentScope, now).execute(this.db)).rows;
      for (const role of manifest.personalSubjects) {
        const holders = persons.filter((person) => person.role === role);
        if (holders.length === 0) gaps.push({ role, scope: manifest.consentScope, personKnown: false });
        else if (holders.some((person) => !person.covered)) gaps.push({ role, scope: manifest.consentScope, personKnown: true });
      }
    }
    return gaps;
  }

  /** The consent scopes the product needs that no valid consent of the enterprise covers now. */
  async missingScopes(enterpriseId: string, product: Product): Promise<string[]> {
    const now = this.now();
    const scopes = product.requiredSources.map((source) => this.ingest.registered.find((c) => c.manifest.id === source)?.manifest.consentScope ?? source);
    const covered = await Promise.all(scopes.map((scope) => hasConsent(this.db, enterpriseId, scope, now)));
    return scopes.filter((_, index) => !covered[index]);
  }

  private filtered(filter: ApplicationFilter) {
    let query = this.db.selectFrom('application');
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.product) query = query.where('product', '=', filter.product);
    if (filter.assignee) query = query.where('assignee', '=', canonicalUser(filter.assignee));
    if (filter.enterpriseId) query = query.where('enterpriseId', '=', filter.enterpriseId);
    return query;
  }

  private async load(id: string): Promise<ApplicationRow> {
    const application = await this.find(id);
    if (!application) throw new NotFoundError('no application with that id', { argument: 'id' });
    return application;
  }

  private productOf(application: ApplicationRow): Product {
    const product = this.risk.products.find((candidate) => candidate.id === application.product);
    if (!product) throw new InvalidStateError(`product ${application.product} is no longer offered`);
    return product;
  }

  private expectState(application: ApplicationRow, allowed: readonly ApplicationState[], verb: string) {
    if (!allowed.includes(application.state)) {
      throw new InvalidStateError(`the application is ${application.state}; it can be ${verb} only when ${allowed.join(' or ')}`, { state: application.state });
    }
    if (OPEN_STATES.includes(application.state) && application.expiresAt <= this.now()) {
      throw new InvalidStateError(`the application expired at ${application.expiresAt.toISOString()}`, { state: application.state });
    }
  }

  private knownReasonCodes(frozen: FrozenAssessment | null): Set<string> {
    return new Set([
      ...this.risk.config.decisionReasons.keys(),
      ...this.risk.config.rules.keys(),
      ...FEATURES.map((feature) => feature.reason.code),
      ...(frozen?.reasonCodes.map((reason) => reason.code) ?? []),
    ]);
  }

  /**
   * Moves the application from the state it was read in to `to`, with `set`, and audits it; in
   * `trx` when given. If another request moved it meanwhile, INVALID_STATE and nothing changes.
   */
  private async transition(
    actor: Actor,
    from: ApplicationRow,
    action: string,
    to: ApplicationState,
    set: Partial<Omit<ApplicationRow, 'id' | 'state' | 'version'>>,
    trx?: Transaction<Database>,
    detail?: Record<string, unknown>,
  ): Promise<ApplicationRow> {
    const run = async (db: Transaction<Database>) => {
      const updated = await db
        .updateTable('application')
        .set({ ...set, state: to, updatedAt: this.now(), version: from.version + 1 })
        .where('id', '=', from.id)
        .where('version', '=', from.version)
        .returningAll()
        .executeTakeFirst()
        .catch(translateConstraint);
      if (!updated) {
        const current = await this.load(from.id);
        throw new InvalidStateError(`the application changed meanwhile (now ${current.state}): read it again`, { state: current.state });
      }
      await recordAudit(db, actor, [entry(action, updated, from, updated, detail)]);
      return updated;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /** An approved application becomes a loan on the book, its line what was approved: the model's limit is advice. */
  private async book(trx: Transaction<Database>, actor: Actor, application: ApplicationRow, frozen: FrozenAssessment | null) {
    const approvedFen = BigInt(application.approvedAmountFen!);
    const openedAt = application.decidedAt ?? this.now();
    const loan = await trx
      .insertInto('loan')
      .values({
        applicationId: application.id,
        enterpriseId: application.enterpriseId,
        product: application.product,
        amountFen: approvedFen,
        limitFen: approvedFen,
        termMonths: application.termMonths,
        // The risk-based rate (an approval against the model's decline still takes its risk's price).
        rateBps: frozen?.pricing?.rateBps ?? frozen?.pricingRateBps ?? null,
        openedAt,
        maturesOn: addMonths(openedAt, application.termMonths),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, [
      { action: 'BOOK_LOAN', subjectType: 'Loan', subjectId: loan.id, enterpriseId: loan.enterpriseId, after: { applicationId: application.id, amount: fenToDecimal(loan.amountFen), limit: fenToDecimal(loan.limitFen), status: loan.status } },
    ]);
  }
}

/** The frozen assessments of applications, by application id. */
export async function findFrozenAssessments(db: Db, applicationIds: readonly string[]): Promise<Map<string, FrozenAssessment>> {
  const rows = await db.selectFrom('applicationAssessment').select(['applicationId', 'snapshot']).where('applicationId', 'in', [...applicationIds]).execute();
  return new Map(rows.map((row) => [row.applicationId, row.snapshot as FrozenAssessment]));
}

/** The loans booked from applications, by application id. */
export async function findLoans(db: Db, applicationIds: readonly string[]): Promise<Map<string, LoanRow>> {
  const rows = await db.selectFrom('loan').selectAll().where('applicationId', 'in', [...applicationIds]).execute();
  return new Map(rows.map((row) => [row.applicationId, row]));
}

/**
 * A decision against the model's advice: declining what it approves, approving what it declines
 * or more than its limit (the amount approved; for approvals made before they named it, the
 * amount applied for).
 */
export function againstModel(decision: 'APPROVE' | 'DECLINE', application: Pick<ApplicationRow, 'recommendedDecision' | 'recommendedLimitFen' | 'approvedAmountFen' | 'amountFen'>): boolean {
  if (decision === 'DECLINE') return application.recommendedDecision === 'APPROVE';
  return (
    application.recommendedDecision === 'DECLINE' ||
    application.recommendedLimitFen === null ||
    BigInt(application.approvedAmountFen ?? application.amountFen) > BigInt(application.recommendedLimitFen)
  );
}

function entry(action: string, subject: ApplicationRow, before: ApplicationRow | null, after: ApplicationRow, detail?: Record<string, unknown>): AuditEntry {
  const view = (row: ApplicationRow) => ({
    state: row.state,
    amount: fenToDecimal(row.amountFen),
    termMonths: row.termMonths,
    product: row.product,
    assignee: row.assignee,
    decision: row.decision,
    reasonCode: row.reasonCode,
  });
  return { action, subjectType: 'Application', subjectId: subject.id, enterpriseId: subject.enterpriseId, before: before ? view(before) : null, after: { ...view(after), ...detail } };
}

function parseAmount(amount: string, argument = 'input.amount'): bigint {
  if (!isDecimal(amount)) throw new InputError(`amount '${amount}' is not a decimal number`, { argument });
  try {
    return decimalToFen(amount);
  } catch (error) {
    throw new InputError(`amount ${(error as Error).message}`, { argument });
  }
}

/** A constraint of migration 0006 that the service's own checks should have caught first. */
function translateConstraint(error: unknown): never {
  const constraint = (error as { constraint?: string }).constraint ?? /constraint "([a-z_]+)"/.exec(String((error as Error).message))?.[1];
  if (constraint === 'maker_is_not_checker' || constraint === 'checker_has_approver_role' || constraint === 'approval_within_authority' || constraint === 'above_model_is_senior') {
    throw new ForbiddenError(`refused by the store: ${constraint.replaceAll('_', ' ')}`);
  }
  if (constraint === 'override_is_explained' || constraint === 'decline_has_reason') throw new InputError(`refused by the store: ${constraint.replaceAll('_', ' ')}`);
  throw error;
}

const addDays = (instant: Date, days: number) => new Date(instant.getTime() + days * 86_400_000);

/** China Standard Time has no daylight saving: a business day is the UTC+8 date. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The business day `months` after `instant`'s (in China), clamped to the month's last day. */
function addMonths(instant: Date, months: number): string {
  const local = new Date(instant.getTime() + CHINA_OFFSET_MS);
  const target = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(local.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}
