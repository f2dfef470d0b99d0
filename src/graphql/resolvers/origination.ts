import { countAuditEvents, pageAuditEvents } from '../../audit/audit.js';
import { NotFoundError } from '../../common/errors.js';
import { money } from '../../common/money.js';
import type { Resolvers } from '../../generated/graphql.js';
import { againstModel } from '../../origination/service.js';
import { thawAssessment } from '../../origination/snapshot.js';
import type { EnterpriseRow } from '../../store/schema.js';
import { decodeGlobalId, fromGlobalId, toGlobalId, type NodeType } from '../ids.js';
import { connectionResolvers, latestFirstConnection } from '../paging.js';


export const originationResolvers: Resolvers = {
  Query: {
    application: async (_, { id }, { origination }) => (await origination.find(fromGlobalId('Application', id))) ?? null,
    applications: (_, { filter, first, after }, { origination }) => {
      const criteria = {
        state: filter?.state,
        product: filter?.product,
        assignee: filter?.assignee,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
      };
      return latestFirstConnection('application', { first, after }, (size, beforeId) => origination.page(criteria, size, beforeId), () => origination.count(criteria));
    },
    auditEvents: (_, { filter, first, after }, { store }) => {
      const subject = filter?.subject ? decodeGlobalId(filter.subject, 'filter.subject') : null;
      const criteria = {
        actor: filter?.actor,
        action: filter?.action,
        subjectType: subject?.type ?? filter?.subjectType,
        subjectId: subject?.id,
        from: filter?.from,
        to: filter?.to,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
      };
      return latestFirstConnection('audit-event', { first, after }, (size, beforeId) => pageAuditEvents(store.db, criteria, size, beforeId), () => countAuditEvents(store.db, criteria));
    },
  },
  Mutation: {
    createApplication: (_, { input }, { origination, actor }) => origination.create(actor, input),
    // A submission pulls the product's sources: a point each.
    submitApplication: (_, { id }, { origination, actor, throttle, viewer }) =>
      throttle.spend(viewer, 'submitApplication', 4, async () => origination.submit(actor, fromGlobalId('Application', id))),
    decideApplication: (_, { id, decision, reasonCode, comment, amount }, { origination, actor }) =>
      origination.decide(actor, fromGlobalId('Application', id), { decision, reasonCode: reasonCode ?? null, comment: comment ?? null, amount: amount ?? null }),
    withdrawApplication: (_, { id }, { origination, actor }) => origination.withdraw(actor, fromGlobalId('Application', id)),
    assignApplication: (_, { id, user }, { origination, actor }) => origination.assign(actor, fromGlobalId('Application', id), user),
    expireApplications: (_, __, { origination, actor }) => origination.expireDue(actor),
  },
  ApplicationConnection: connectionResolvers,
  AuditEventConnection: connectionResolvers,
  Application: {
    id: (application) => toGlobalId('Application', application.id),
    enterprise: (application, _, { loaders }) => enterpriseOf(loaders.enterpriseById.load(application.enterpriseId)),
    amount: (application) => money(application.amountFen)!,
    missingConsentScopes: async (application, _, { origination, risk }) => {
      if (!['DRAFT', 'AWAITING_CONSENT'].includes(application.state)) return [];
      return origination.missingScopes(application.enterpriseId, risk.product(application.product));
    },
    missingPersonAuthorizations: async (application, _, { origination, risk }) => {
      if (!['DRAFT', 'AWAITING_CONSENT'].includes(application.state)) return [];
      return origination.missingPersonAuthorizations(application.enterpriseId, risk.product(application.product));
    },
    assessment: async (application, _, { loaders }) => {
      const frozen = await loaders.assessmentOfApplication.load(application.id);
      return frozen ? thawAssessment(frozen) : null;
    },
    decision: (application) => (application.decision === null ? null : application),
    loan: (application, _, { loaders }) => (application.state === 'APPROVED' ? loaders.loanOfApplication.load(application.id) : null),
  },
  ApplicationDecisionRecord: {
    decision: (application) => application.decision!,
    basis: (application) => application.decisionBasis!,
    decidedBy: (application) => application.decidedBy!,
    deciderRole: (application) => (application.deciderRole as 'APPROVER' | 'SENIOR_APPROVER' | null) ?? null,
    decidedAt: (application) => application.decidedAt!,
    comment: (application) => application.decisionComment,
    againstModel: (application) => againstModel(application.decision!, application),
    approvedAmount: (application) => money(application.approvedAmountFen),
  },
  Loan: {
    id: (loan) => toGlobalId('Loan', loan.id),
    enterprise: (loan, _, { loaders }) => enterpriseOf(loaders.enterpriseById.load(loan.enterpriseId)),
    amount: (loan) => money(loan.amountFen)!,
    limit: (loan) => money(loan.limitFen)!,
    pricingRateBps: (loan) => loan.rateBps,
  },
  AuditEvent: {
    id: (event) => toGlobalId('AuditEvent', event.id),
    roles: (event) => event.roles as never,
    subject: (event) => (event.subjectId === null ? null : toGlobalId(event.subjectType as NodeType, event.subjectId)),
    enterprise: (event, _, { loaders }) => (event.enterpriseId === null ? null : loaders.enterpriseById.load(event.enterpriseId)),
  },
};

async function enterpriseOf(row: Promise<EnterpriseRow | null>): Promise<EnterpriseRow> {
  const enterprise = await row;
  if (!enterprise) throw new NotFoundError('the enterprise is no longer in the store');
  return enterprise;
}
