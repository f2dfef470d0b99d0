import type { Clock } from '../common/clock.js';
import { sql } from 'kysely';
import { recordAudit, type Actor, type AuditEntry } from '../audit/audit.js';
import { ForbiddenError, InputError, InvalidStateError, NotFoundError } from '../common/errors.js';
import { decimalToFen, fenToDecimal, isDecimal } from '../common/money.js';
import type { Db } from '../store/database.js';
import { latestFirst } from '../store/latest-first.js';
import type { LimitActionKind, LimitActionRow, LimitActionStatus, LoanRow } from '../store/schema.js';

export interface Proposal {
  loanId: string;
  kind: LimitActionKind;
  /** For REDUCE: the new limit, a decimal in yuan. */
  newLimit?: string | null;
  reason: string;
  /** The alert that prompted it. */
  alertId?: string | null;
}

export interface LimitActionFilter {
  status?: LimitActionStatus | null;
  loanId?: string | null;
}

const MAX_TEXT = 2000;
/** The loan status each kind needs when it is proposed and again when it is applied. */
const NEEDS: Record<LimitActionKind, LoanRow['status'][]> = { FREEZE: ['ACTIVE'], REDUCE: ['ACTIVE', 'FROZEN'], UNFREEZE: ['FROZEN'] };

/**
 * Freezing, reducing and unfreezing credit lines, under maker-checker: one user proposes,
 * another decides; the loan changes only on approval, in the transaction that records it, and
 * only if it is still in a state the action applies to. Migration 0009 holds the same rules.
 */
export class LimitActions {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  async propose(actor: Actor, proposal: Proposal): Promise<LimitActionRow> {
    const reason = checkText(proposal.reason, 'reason');
    const loan = await this.loan(proposal.loanId);
    expectLoan(loan, proposal.kind);
    let newLimitFen: bigint | null = null;
    if (proposal.kind === 'REDUCE') {
      newLimitFen = parseLimit(proposal.newLimit);
      checkReduction(loan, newLimitFen);
    } else if (proposal.newLimit != null) {
      throw new InputError(`newLimit belongs to a reduction, not to ${proposal.kind.toLowerCase()}`, { argument: 'newLimit' });
    }
    if (proposal.alertId) {
      const alert = await this.db.selectFrom('alert').select('enterpriseId').where('id', '=', proposal.alertId).executeTakeFirst();
      if (!alert) throw new NotFoundError('no alert with that id', { argument: 'alertId' });
      if (alert.enterpriseId !== loan.enterpriseId) throw new InputError('the alert is about another enterprise than the loan', { argument: 'alertId' });
    }
    return this.db.transaction().execute(async (trx) => {
      const pending = await trx.selectFrom('limitAction').select('id').where('loanId', '=', loan.id).where('status', '=', 'PROPOSED').executeTakeFirst();
      if (pending) throw new InvalidStateError('the loan has a limit action awaiting a decision: decide or withdraw it first', { pendingId: pending.id });
      const action = await trx
        .insertInto('limitAction')
        .values({ loanId: loan.id, kind: proposal.kind, newLimitFen, reason, alertId: proposal.alertId ?? null, proposedBy: actor.user, proposedAt: this.now() })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(translateConstraint);
      await recordAudit(trx, actor, [
        { action: `PROPOSE_${proposal.kind}_LIMIT`, subjectType: 'LimitAction', subjectId: action.id, enterpriseId: loan.enterpriseId, after: { loan: loan.id, limit: newLimitFen === null ? null : fenToDecimal(newLimitFen), reason } },
      ]);
      return action;
    });
  }

  /** The checker approves: the loan changes now, if the action still applies to it. */
  async approve(actor: Actor, id: string, note: string | null | undefined): Promise<LimitActionRow> {
    return this.decide(actor, id, 'APPROVED', note);
  }

  async reject(actor: Actor, id: string, note: string): Promise<LimitActionRow> {
    return this.decide(actor, id, 'REJECTED', checkText(note, 'note'));
  }

  /** Only the maker withdraws a proposal. */
  async withdraw(actor: Actor, id: string): Promise<LimitActionRow> {
    const action = await this.find(id);
    if (!action) throw new NotFoundError('no limit action with that id', { argument: 'id' });
    if (action.proposedBy !== actor.user) throw new ForbiddenError(`only ${action.proposedBy}, who proposed it, can withdraw it`);
    const loan = await this.loan(action.loanId);
    return this.db.transaction().execute(async (trx) => {
      const withdrawn = await trx.updateTable('limitAction').set({ status: 'WITHDRAWN', decidedAt: this.now() }).where('id', '=', id).where('status', '=', 'PROPOSED').returningAll().executeTakeFirst();
      if (!withdrawn) throw new InvalidStateError(`the limit action is ${action.status}, no longer awaiting a decision`, { state: action.status });
      await recordAudit(trx, actor, [{ action: 'WITHDRAW_LIMIT_ACTION', subjectType: 'LimitAction', subjectId: id, enterpriseId: loan.enterpriseId, before: { status: 'PROPOSED' }, after: { status: 'WITHDRAWN' } }]);
      return withdrawn;
    });
  }

  private async decide(actor: Actor, id: string, status: 'APPROVED' | 'REJECTED', note: string | null | undefined): Promise<LimitActionRow> {
    const decisionNote = note == null || note.trim() === '' ? null : checkText(note, 'note');
    const action = await this.find(id);
    if (!action) throw new NotFoundError('no limit action with that id', { argument: 'id' });
    if (action.proposedBy === actor.user) throw new ForbiddenError(`${actor.user} proposed this limit action; another user must decide it (maker-checker)`);
    return this.db.transaction().execute(async (trx) => {
      const decided = await trx
        .updateTable('limitAction')
        .set({ status, decidedBy: actor.user, decidedAt: this.now(), decisionNote })
        .where('id', '=', id)
        .where('status', '=', 'PROPOSED')
        .returningAll()
        .executeTakeFirst()
        .catch(translateConstraint);
      if (!decided) throw new InvalidStateError(`the limit action is ${action.status}, no longer awaiting a decision`, { state: action.status });
      // The loan as it is now, locked until this transaction ends.
      const loan = await trx.selectFrom('loan').selectAll().where('id', '=', action.loanId).forUpdate().executeTakeFirstOrThrow();
      const audit: AuditEntry[] = [{ action: `${status === 'APPROVED' ? 'APPROVE' : 'REJECT'}_LIMIT_ACTION`, subjectType: 'LimitAction', subjectId: id, enterpriseId: loan.enterpriseId, before: { status: 'PROPOSED' }, after: { status, note: decisionNote } }];
      if (status === 'APPROVED') {
        expectLoan(loan, action.kind);
        const set =
          action.kind === 'FREEZE' ? { status: 'FROZEN' as const } : action.kind === 'UNFREEZE' ? { status: 'ACTIVE' as const } : { limitFen: BigInt(action.newLimitFen!) };
        if (action.kind === 'REDUCE') checkReduction(loan, BigInt(action.newLimitFen!));
        const changed = await trx.updateTable('loan').set(set).where('id', '=', loan.id).returningAll().executeTakeFirstOrThrow();
        audit.push({
          action: `${action.kind}_LIMIT`,
          subjectType: 'Loan',
          subjectId: loan.id,
          enterpriseId: loan.enterpriseId,
          before: { status: loan.status, limit: fenToDecimal(loan.limitFen) },
          after: { status: changed.status, limit: fenToDecimal(changed.limitFen), limitAction: id },
        });
      }
      await recordAudit(trx, actor, audit);
      return decided;
    });
  }

  find(id: string): Promise<LimitActionRow | undefined> {
    return this.db.selectFrom('limitAction').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Latest first, keyset-paged on the id. */
  async page(filter: LimitActionFilter, size: number, beforeId: string | undefined) {
    return latestFirst(this.filtered(filter).selectAll(), size, beforeId);
  }

  async count(filter: LimitActionFilter): Promise<number> {
    const row = await this.filtered(filter).select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filtered(filter: LimitActionFilter) {
    let query = this.db.selectFrom('limitAction');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.loanId) query = query.where('loanId', '=', filter.loanId);
    return query;
  }

  private async loan(id: string): Promise<LoanRow> {
    const loan = await this.db.selectFrom('loan').selectAll().where('id', '=', id).executeTakeFirst();
    if (!loan) throw new NotFoundError('no loan with that id', { argument: 'loanId' });
    return loan;
  }
}

function expectLoan(loan: LoanRow, kind: LimitActionKind) {
  if (!NEEDS[kind].includes(loan.status)) {
    throw new InvalidStateError(`the loan is ${loan.status}; ${kind.toLowerCase()} needs it ${NEEDS[kind].join(' or ')}`, { state: loan.status });
  }
}

function checkReduction(loan: LoanRow, newLimitFen: bigint) {
  if (newLimitFen >= BigInt(loan.limitFen)) throw new InputError(`newLimit ${fenToDecimal(newLimitFen)} does not reduce the limit of ${fenToDecimal(loan.limitFen)}`, { argument: 'newLimit' });
  if (newLimitFen < BigInt(loan.amountFen)) {
    throw new InputError(`newLimit ${fenToDecimal(newLimitFen)} is below the ${fenToDecimal(loan.amountFen)} drawn: that is a recall, not a reduction`, { argument: 'newLimit' });
  }
}

function parseLimit(value: string | null | undefined): bigint {
  if (value == null) throw new InputError('a reduction needs newLimit', { argument: 'newLimit' });
  if (!isDecimal(value)) throw new InputError(`newLimit '${value}' is not a decimal number`, { argument: 'newLimit' });
  try {
    return decimalToFen(value);
  } catch (error) {
    throw new InputError(`newLimit ${(error as Error).message}`, { argument: 'newLimit' });
  }
}

function checkText(value: string, argument: string): string {
  const text = value.trim();
  if (!text || text.length > MAX_TEXT) throw new InputError(`${argument} must say why, in 1 to ${MAX_TEXT} characters`, { argument });
  return text;
}

/** Migration 0009's rules, should a race get past the checks above. */
function translateConstraint(error: unknown): never {
  const constraint = (error as { constraint?: string }).constraint ?? /constraint "([a-z_]+)"|index "([a-z_]+)"/.exec(String((error as Error).message))?.slice(1).find(Boolean);
  if (constraint === 'limit_action_one_pending') throw new InvalidStateError('the loan has a limit action awaiting a decision: decide or withdraw it first');
  if (constraint === 'checker_is_not_maker') throw new ForbiddenError('the proposer cannot decide their own limit action (maker-checker)');
  throw error;
}
