import { on } from 'node:events';
import { InputError, NotFoundError } from '../../common/errors.js';
import { money } from '../../common/money.js';
import { GRADE_ORDER, slices } from '../../monitoring/portfolio.js';
import type { AlertRow } from '../../store/schema.js';
import type { Resolvers } from '../../generated/graphql.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import { connectionResolvers, latestFirstConnection } from '../paging.js';

const SEVERITY_RANK = { INFO: 0, WARNING: 1, CRITICAL: 2 } as const;

/**
 * The events that pass `keep`, one at a time. Written out rather than as an async generator: a
 * generator waiting for the next event cannot be returned from until one comes, and a
 * subscriber who leaves must release its listener at once.
 */
function filterEvents<T>(events: AsyncIterableIterator<[T]>, keep: (event: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const result = await events.next();
        if (result.done) return { done: true, value: undefined };
        if (keep(result.value[0])) return { done: false, value: result.value[0] };
      }
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function checkSweepId(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new InputError('filter.sweepId is not a sweep id', { argument: 'filter.sweepId' });
  return id;
}

export const monitoringResolvers: Resolvers = {
  Query: {
    loans: (_, { filter, first, after }, { origination }) => {
      const criteria = { status: filter?.status, enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null };
      return latestFirstConnection('loan', { first, after }, (size, beforeId) => origination.pageLoans(criteria, size, beforeId), () => origination.countLoans(criteria));
    },
    limitActions: (_, { filter, first, after }, { limits }) => {
      const criteria = { status: filter?.status, loanId: filter?.loanId ? fromGlobalId('Loan', filter.loanId, 'filter.loanId') : null };
      return latestFirstConnection('limit-action', { first, after }, (size, beforeId) => limits.page(criteria, size, beforeId), () => limits.count(criteria));
    },
    portfolio: (_, __, { portfolio }) => portfolio.snapshot(),
    alert: async (_, { id }, { monitoring }) => (await monitoring.find(fromGlobalId('Alert', id))) ?? null,
    alerts: (_, { filter, first, after }, { monitoring }) => {
      const criteria = {
        status: filter?.status,
        severity: filter?.severity,
        assignee: filter?.assignee,
        sweepId: filter?.sweepId ? checkSweepId(filter.sweepId) : null,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
      };
      return latestFirstConnection('alert', { first, after }, (size, beforeId) => monitoring.page(criteria, size, beforeId), () => monitoring.count(criteria));
    },
  },
  Mutation: {
    freezeLimit: (_, { loanId, reason, alertId }, { limits, actor }) =>
      limits.propose(actor, { loanId: fromGlobalId('Loan', loanId, 'loanId'), kind: 'FREEZE', reason, alertId: alertId ? fromGlobalId('Alert', alertId, 'alertId') : null }),
    reduceLimit: (_, { loanId, newLimit, reason, alertId }, { limits, actor }) =>
      limits.propose(actor, { loanId: fromGlobalId('Loan', loanId, 'loanId'), kind: 'REDUCE', newLimit, reason, alertId: alertId ? fromGlobalId('Alert', alertId, 'alertId') : null }),
    unfreezeLimit: (_, { loanId, reason }, { limits, actor }) => limits.propose(actor, { loanId: fromGlobalId('Loan', loanId, 'loanId'), kind: 'UNFREEZE', reason }),
    approveLimitAction: (_, { id, note }, { limits, actor }) => limits.approve(actor, fromGlobalId('LimitAction', id), note),
    rejectLimitAction: (_, { id, note }, { limits, actor }) => limits.reject(actor, fromGlobalId('LimitAction', id), note),
    withdrawLimitAction: (_, { id }, { limits, actor }) => limits.withdraw(actor, fromGlobalId('LimitAction', id)),
    // A sweep of the whole book weighs ten.
    refreshMonitoring: (_, __, { monitoring, actor, throttle, viewer }) => throttle.spend(viewer, 'refreshMonitoring', 10, () => monitoring.refresh(actor)),
    acknowledgeAlert: (_, { id }, { monitoring, actor }) => monitoring.acknowledge(actor, fromGlobalId('Alert', id)),
    assignAlert: (_, { id, user }, { monitoring, actor }) => monitoring.assign(actor, fromGlobalId('Alert', id), user),
    resolveAlert: (_, { id, note }, { monitoring, actor }) => monitoring.resolve(actor, fromGlobalId('Alert', id), note),
    escalateAlert: (_, { id }, { monitoring, actor }) => monitoring.escalate(actor, fromGlobalId('Alert', id)),
  },
  Subscription: {
    alertRaised: {
      subscribe: async (_, { minSeverity }, { monitoring }) => {
        const floor = SEVERITY_RANK[minSeverity ?? 'INFO'];
        await monitoring.listenForAlerts();
        return filterEvents(on(monitoring.raised, 'alert') as AsyncIterableIterator<[AlertRow]>, (alert) => SEVERITY_RANK[alert.severity] >= floor);
      },
      resolve: (alert: AlertRow) => alert,
    },
  },
  AlertConnection: connectionResolvers,
  LoanConnection: connectionResolvers,
  LimitActionConnection: connectionResolvers,
  Loan: {
    limitActions: (loan, _, { loaders }) => loaders.limitActionsOfLoan.load(loan.id),
  },
  LimitAction: {
    id: (action) => toGlobalId('LimitAction', action.id),
    loan: async (action, _, { loaders }) => (await loaders.loanById.load(action.loanId))!,
    newLimit: (action) => money(action.newLimitFen),
    alert: (action, _, { loaders }) => (action.alertId ? loaders.alertById.load(action.alertId) : null),
  },
  Portfolio: {
    loans: (model) => model.book.length,
    enterprises: (model) => new Set(model.book.map((loan) => loan.enterpriseId)).size,
    exposure: (model) => money(model.book.reduce((sum, loan) => sum + loan.limitFen, 0n))!,
    byGrade: (model) => slices(model, (loan) => model.grades.get(loan.id)!, GRADE_ORDER),
    byIndustry: (model) => slices(model, (loan) => loan.industryCode ?? 'UNKNOWN'),
    byRegion: (model) => slices(model, (loan) => loan.regionCode),
    gradeMigration: (model, { from, to }, { portfolio }) => {
      const until = to ?? model.asOf;
      if (from.getTime() >= until.getTime()) throw new InputError('from must be before to', { argument: 'from' });
      if (until.getTime() > model.asOf.getTime()) throw new InputError('to is in the future', { argument: 'to' });
      return portfolio.migration(model.book, from, until);
    },
  },
  PortfolioSlice: { exposure: (slice) => money(slice.exposureFen)! },
  GradeMigration: { exposure: (cell) => money(cell.exposureFen)! },
  Alert: {
    id: (alert) => toGlobalId('Alert', alert.id),
    enterprise: async (alert, _, { loaders }) => {
      const enterprise = await loaders.enterpriseById.load(alert.enterpriseId);
      if (!enterprise) throw new NotFoundError('the enterprise is no longer in the store');
      return enterprise;
    },
    createdAt: (alert) => alert.detectedAt,
    signal: (alert) => ({ code: alert.code, severity: alert.severity, evidence: alert.evidence, detectedAt: alert.detectedAt }),
    history: async (alert, _, { loaders }) =>
      (await loaders.alertHistory.load(alert.id)).map((occurrence) => ({ code: alert.code, severity: occurrence.severity, evidence: occurrence.evidence, detectedAt: occurrence.detectedAt })),
  },
};
