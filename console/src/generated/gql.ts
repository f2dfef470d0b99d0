/* eslint-disable */
import * as types from './graphql';
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
    "\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n": typeof types.ConsoleSearchDocument,
    "\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": typeof types.ConsoleProfileDocument,
    "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n": typeof types.ConsoleRiskViewDocument,
};
const documents: Documents = {
    "\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n": types.ConsoleSearchDocument,
    "\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": types.ConsoleProfileDocument,
    "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n": types.ConsoleRiskViewDocument,
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
export function graphql(source: "\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;