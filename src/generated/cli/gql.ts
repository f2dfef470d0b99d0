/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query EnterpriseProfile($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name uscc } } }\n      taxRatings { year grade }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": typeof types.EnterpriseProfileDocument,
    "\n  query EnterpriseId($uscc: String!) {\n    enterprise(uscc: $uscc) { id }\n  }\n": typeof types.EnterpriseIdDocument,
    "\n  query EnterprisePage($after: String) {\n    enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id uscc } } }\n  }\n": typeof types.EnterprisePageDocument,
    "\n  mutation Sync($id: ID!, $sources: [String!]) {\n    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }\n  }\n": typeof types.SyncDocument,
    "\n  query ExportVectors($ids: [ID!]!, $asOf: DateTime!, $names: [String!]) {\n    featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId values { name value } }\n  }\n": typeof types.ExportVectorsDocument,
    "\n  mutation Refresh {\n    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }\n  }\n": typeof types.RefreshDocument,
    "\n  query Raised($sweepId: ID!, $after: String) {\n    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }\n    }\n  }\n": typeof types.RaisedDocument,
    "\n  query DemoClock {\n    demoClock { ...Clock }\n  }\n": typeof types.DemoClockDocument,
    "\n  mutation AdvanceDemoClock($months: Int!) {\n    advanceDemoClock(months: $months) { ...Clock }\n  }\n": typeof types.AdvanceDemoClockDocument,
    "\n  fragment Clock on DemoClock { monthsAdvanced prepared upstreamsAsOf today storyEndsAt }\n": typeof types.ClockFragmentDoc,
};
const documents: Documents = {
    "\n  query EnterpriseProfile($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name uscc } } }\n      taxRatings { year grade }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": types.EnterpriseProfileDocument,
    "\n  query EnterpriseId($uscc: String!) {\n    enterprise(uscc: $uscc) { id }\n  }\n": types.EnterpriseIdDocument,
    "\n  query EnterprisePage($after: String) {\n    enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id uscc } } }\n  }\n": types.EnterprisePageDocument,
    "\n  mutation Sync($id: ID!, $sources: [String!]) {\n    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }\n  }\n": types.SyncDocument,
    "\n  query ExportVectors($ids: [ID!]!, $asOf: DateTime!, $names: [String!]) {\n    featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId values { name value } }\n  }\n": types.ExportVectorsDocument,
    "\n  mutation Refresh {\n    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }\n  }\n": types.RefreshDocument,
    "\n  query Raised($sweepId: ID!, $after: String) {\n    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }\n    }\n  }\n": types.RaisedDocument,
    "\n  query DemoClock {\n    demoClock { ...Clock }\n  }\n": types.DemoClockDocument,
    "\n  mutation AdvanceDemoClock($months: Int!) {\n    advanceDemoClock(months: $months) { ...Clock }\n  }\n": types.AdvanceDemoClockDocument,
    "\n  fragment Clock on DemoClock { monthsAdvanced prepared upstreamsAsOf today storyEndsAt }\n": types.ClockFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnterpriseProfile($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name uscc } } }\n      taxRatings { year grade }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n"): (typeof documents)["\n  query EnterpriseProfile($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name uscc } } }\n      taxRatings { year grade }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnterpriseId($uscc: String!) {\n    enterprise(uscc: $uscc) { id }\n  }\n"): (typeof documents)["\n  query EnterpriseId($uscc: String!) {\n    enterprise(uscc: $uscc) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnterprisePage($after: String) {\n    enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id uscc } } }\n  }\n"): (typeof documents)["\n  query EnterprisePage($after: String) {\n    enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id uscc } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Sync($id: ID!, $sources: [String!]) {\n    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }\n  }\n"): (typeof documents)["\n  mutation Sync($id: ID!, $sources: [String!]) {\n    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportVectors($ids: [ID!]!, $asOf: DateTime!, $names: [String!]) {\n    featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId values { name value } }\n  }\n"): (typeof documents)["\n  query ExportVectors($ids: [ID!]!, $asOf: DateTime!, $names: [String!]) {\n    featureVectors(enterpriseIds: $ids, asOf: $asOf, names: $names) { enterpriseId values { name value } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh {\n    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }\n  }\n"): (typeof documents)["\n  mutation Refresh {\n    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Raised($sweepId: ID!, $after: String) {\n    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }\n    }\n  }\n"): (typeof documents)["\n  query Raised($sweepId: ID!, $after: String) {\n    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoClock {\n    demoClock { ...Clock }\n  }\n"): (typeof documents)["\n  query DemoClock {\n    demoClock { ...Clock }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdvanceDemoClock($months: Int!) {\n    advanceDemoClock(months: $months) { ...Clock }\n  }\n"): (typeof documents)["\n  mutation AdvanceDemoClock($months: Int!) {\n    advanceDemoClock(months: $months) { ...Clock }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Clock on DemoClock { monthsAdvanced prepared upstreamsAsOf today storyEndsAt }\n"): (typeof documents)["\n  fragment Clock on DemoClock { monthsAdvanced prepared upstreamsAsOf today storyEndsAt }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;