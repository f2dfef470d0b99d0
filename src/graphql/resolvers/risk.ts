import { NotFoundError } from '../../common/errors.js';
import { decimalToFen, money } from '../../common/money.js';
import type { Resolvers } from '../../generated/graphql.js';
import { SOURCES } from '../../risk/features/catalog.js';
import { fromGlobalId, toGlobalId } from '../ids.js';

export const riskResolvers: Resolvers = {
  Enterprise: {
    riskView: async (enterprise, { asOf, product }, { risk, loaders }) => {
      const chosen = risk.product(product);
      const t = risk.asOf(asOf);
      const [profile] = await loaders.profilesAsOf.load(enterprise.id, t.toISOString());
      if (!profile) throw new NotFoundError(`enterprise ${enterprise.uscc} is no longer in the store`);
      return risk.assess(profile, chosen);
    },
  },
  Query: {
    featureVectors: (_, { enterpriseIds, asOf, names }, { risk, throttle, viewer, reads }) =>
      // A point for each hundred enterprises.
      throttle.spend(viewer, 'featureVectors', enterpriseIds.length / 100, async () => {
        const ids = enterpriseIds.map((id) => fromGlobalId('Enterprise', id, 'enterpriseIds'));
        return risk.featureVectors(reads, ids, risk.asOf(asOf), risk.features(names));
      }),
    featureCatalog: (_, __, { risk }) => [...risk.features(null)],
    products: (_, __, { risk }) => [...risk.products],
  },
  FeatureVector: {
    enterpriseId: (vector) => toGlobalId('Enterprise', vector.enterpriseId),
  },
  FeatureDefinition: {
    sources: (definition) => [...definition.sources],
  },
  LocalizedText: {
    zhCN: (text) => text['zh-CN'],
  },
  Product: {
    minAmount: (product) => money(decimalToFen(product.minAmount))!,
    maxAmount: (product) => money(decimalToFen(product.maxAmount))!,
    autoApproveMaxAmount: (product) => money(decimalToFen(product.autoApproveMaxAmount))!,
    autoApproveGrades: (product) => [...product.autoApproveGrades],
    seniorApprovalAmount: (product) => money(decimalToFen(product.approvalAuthority.APPROVER))!,
    approvalAuthority: (product) => (['APPROVER', 'SENIOR_APPROVER'] as const).map((role) => ({ role, maxAmount: money(decimalToFen(product.approvalAuthority[role]))! })),
  },
  RuleHit: {
    code: (hit) => hit.rule.code,
    kind: (hit) => hit.rule.kind,
    severity: (hit) => hit.rule.severity,
    // Assessments frozen before texts carried their evidence have the rule's own.
    text: (hit) => hit.text ?? hit.rule.text,
  },
  RiskView: {
    recommendedLimit: (view) => money(view.recommendedLimitFen),
    limitComponents: (view) => view.limitComponents.map((component) => ({ kind: component.kind, amount: money(component.amountFen)!, text: component.text })),
    dataCoverage: (view) => SOURCES.map((source) => ({ source, state: view.sources[source], lastSeenAt: view.lastSeen[source] ?? null })),
  },
};
