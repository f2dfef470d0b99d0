import { on } from 'node:events';
import { InputError, NotFoundError } from '../../common/errors.js';
import type { AlertRow } from '../../store/schema.js';
import type { Resolvers } from '../../generated/graphql.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import { checkPageSize, connectionResolvers, decodeCursor, encodeCursor } from '../paging.js';

const ALERT_CURSOR = 'alert';
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
    alert: async (_, { id }, { monitoring }) => (await monitoring.find(fromGlobalId('Alert', id))) ?? null,
    alerts: async (_, { filter, first, after }, { monitoring }) => {
      const size = checkPageSize(first);
      const beforeId = decodeCursor(ALERT_CURSOR, after);
      const criteria = {
        status: filter?.status,
        severity: filter?.severity,
        assignee: filter?.assignee,
        sweepId: filter?.sweepId ? checkSweepId(filter.sweepId) : null,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
      };
      const page = await monitoring.page(criteria, size, beforeId);
      return {
        nodes: page.rows,
        cursorOf: (alert) => encodeCursor(ALERT_CURSOR, alert.id),
        hasNextPage: page.hasNextPage,
        totalCount: () => monitoring.count(criteria),
      };
    },
  },
  Mutation: {
    refreshMonitoring: (_, __, { monitoring, actor }) => monitoring.refresh(actor),
    acknowledgeAlert: (_, { id }, { monitoring, actor }) => monitoring.acknowledge(actor, fromGlobalId('Alert', id)),
    assignAlert: (_, { id, user }, { monitoring, actor }) => monitoring.assign(actor, fromGlobalId('Alert', id), user),
    resolveAlert: (_, { id, note }, { monitoring, actor }) => monitoring.resolve(actor, fromGlobalId('Alert', id), note),
    escalateAlert: (_, { id }, { monitoring, actor }) => monitoring.escalate(actor, fromGlobalId('Alert', id)),
  },
  Subscription: {
    alertRaised: {
      subscribe: (_, { minSeverity }, { monitoring }) => {
        const floor = SEVERITY_RANK[minSeverity ?? 'INFO'];
        return filterEvents(on(monitoring.raised, 'alert') as AsyncIterableIterator<[AlertRow]>, (alert) => SEVERITY_RANK[alert.severity] >= floor);
      },
      resolve: (alert: AlertRow) => alert,
    },
  },
  AlertConnection: connectionResolvers,
  Alert: {
    id: (alert) => toGlobalId('Alert', alert.id),
    enterprise: async (alert, _, { loaders }) => {
      const enterprise = await loaders.enterpriseById.load(alert.enterpriseId);
      if (!enterprise) throw new NotFoundError('the enterprise is no longer in the store');
      return enterprise;
    },
    createdAt: (alert) => alert.detectedAt,
    signal: (alert) => ({ code: alert.code, severity: alert.severity, evidence: alert.evidence, detectedAt: alert.detectedAt }),
  },
};
