import { graphql } from '../generated/cli/index.js';

/**
 * Every operation the CLI sends, typed by graphql-codegen's client preset (`npm run codegen`).
 * Their ids are in src/generated/cli/persisted-documents.json, which a hub with
 * TRUSTED_DOCUMENTS_ONLY accepts: add an operation here, run codegen, and both follow.
 */

export const ENTERPRISE_PROFILE = graphql(`
  query EnterpriseProfile($uscc: String!) {
    enterprise(uscc: $uscc) {
      id uscc name legalForm industryCode regionCode status establishedOn
      registeredCapital { amount currency }
      legalRepresentative { name maskedIdNumber }
      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name uscc } } }
      taxRatings { year grade }
      dataFreshness { source lastObservedAt }
    }
  }
`);

export const ENTERPRISE_ID = graphql(`
  query EnterpriseId($uscc: String!) {
    enterprise(uscc: $uscc) { id }
  }
`);

export const ENTERPRISE_PAGE = graphql(`
  query EnterprisePage($after: String) {
    enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id uscc } } }
  }
`);

export const SYNC = graphql(`
  mutation Sync($id: ID!, $sources: [String!]) {
    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }
  }
`);

export const FEATURE_VECTORS = graphql(`
  query ExportVectors($ids: [ID!]!, $asOf: DateTime!, $names: [String!]) {
    featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId values { name value } }
  }
`);

export const REFRESH = graphql(`
  mutation Refresh {
    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }
  }
`);

export const RAISED = graphql(`
  query Raised($sweepId: ID!, $after: String) {
    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }
    }
  }
`);

export const DEMO_CLOCK = graphql(`
  query DemoClock {
    demoClock { ...Clock }
  }
`);

export const ADVANCE_DEMO_CLOCK = graphql(`
  mutation AdvanceDemoClock($months: Int!) {
    advanceDemoClock(months: $months) { ...Clock }
  }
`);

graphql(`
  fragment Clock on DemoClock { monthsAdvanced prepared upstreamsAsOf today storyEndsAt }
`);
