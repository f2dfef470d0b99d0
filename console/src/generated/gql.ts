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
    "\n  query ConsoleToday {\n    today\n  }\n": typeof types.ConsoleTodayDocument,
    "\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n": typeof types.ConsoleSearchDocument,
    "\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": typeof types.ConsoleProfileDocument,
    "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        limitComponents { kind amount { amount } text { zhCN en } }\n        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n": typeof types.ConsoleRiskViewDocument,
    "\n  query ConsoleRelated($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name\n      relatedEnterprises(depth: 2) {\n        distance\n        enterprise { id uscc name status }\n        via { kind from { uscc } to { uscc } through { __typename ... on Person { name } ... on Enterprise { name } } }\n      }\n    }\n  }\n": typeof types.ConsoleRelatedDocument,
    "\n  query ConsoleProducts {\n    products { id name { zhCN en } minAmount { amount } maxAmount { amount } minTermMonths maxTermMonths }\n  }\n": typeof types.ConsoleProductsDocument,
    "\n  query ConsoleApplications($state: ApplicationState, $first: Int!, $after: String) {\n    applications(filter: { state: $state }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...ApplicationFields } }\n    }\n  }\n": typeof types.ConsoleApplicationsDocument,
    "\n  mutation ConsoleCreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) { ...ApplicationFields }\n  }\n": typeof types.ConsoleCreateApplicationDocument,
    "\n  mutation ConsoleSubmitApplication($id: ID!) {\n    submitApplication(id: $id) { ...ApplicationFields }\n  }\n": typeof types.ConsoleSubmitApplicationDocument,
    "\n  mutation ConsoleDecideApplication($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String) {\n    decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment) { ...ApplicationFields }\n  }\n": typeof types.ConsoleDecideApplicationDocument,
    "\n  mutation ConsoleWithdrawApplication($id: ID!) {\n    withdrawApplication(id: $id) { ...ApplicationFields }\n  }\n": typeof types.ConsoleWithdrawApplicationDocument,
    "\n  fragment ApplicationFields on Application {\n    id product termMonths state createdBy createdAt submittedBy assignee missingConsentScopes\n    amount { amount currency }\n    enterprise { uscc name }\n    assessment { decision grade score recommendedLimit { amount } reasonCodes { code text { zhCN en } } }\n    decision { decision basis decidedBy decidedAt reasonCode comment againstModel }\n  }\n": typeof types.ApplicationFieldsFragmentDoc,
    "\n  query ConsoleAlerts($status: AlertStatus, $first: Int!) {\n    alerts(filter: { status: $status }, first: $first) {\n      totalCount\n      edges { node { ...AlertFields } }\n    }\n  }\n": typeof types.ConsoleAlertsDocument,
    "\n  subscription ConsoleAlertRaised {\n    alertRaised { ...AlertFields }\n  }\n": typeof types.ConsoleAlertRaisedDocument,
    "\n  mutation ConsoleAcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { ...AlertFields }\n  }\n": typeof types.ConsoleAcknowledgeAlertDocument,
    "\n  mutation ConsoleAssignAlert($id: ID!, $user: String!) {\n    assignAlert(id: $id, user: $user) { ...AlertFields }\n  }\n": typeof types.ConsoleAssignAlertDocument,
    "\n  mutation ConsoleResolveAlert($id: ID!, $note: String!) {\n    resolveAlert(id: $id, note: $note) { ...AlertFields }\n  }\n": typeof types.ConsoleResolveAlertDocument,
    "\n  fragment AlertFields on Alert {\n    id status assignee recommendedAction resolutionNote createdAt\n    enterprise { uscc name }\n    signal { code severity detectedAt }\n  }\n": typeof types.AlertFieldsFragmentDoc,
    "\n  query ConsolePortfolio($from: DateTime!) {\n    portfolio {\n      asOf loans enterprises\n      exposure { amount currency }\n      byGrade { ...Slice }\n      byIndustry { ...Slice }\n      byRegion { ...Slice }\n      openAlerts { severity count }\n      gradeMigration(from: $from) { from to loans exposure { amount } }\n    }\n  }\n": typeof types.ConsolePortfolioDocument,
    "\n  fragment Slice on PortfolioSlice { key loans enterprises exposure { amount } }\n": typeof types.SliceFragmentDoc,
};
const documents: Documents = {
    "\n  query ConsoleToday {\n    today\n  }\n": types.ConsoleTodayDocument,
    "\n  query ConsoleSearch($name: String, $first: Int!, $after: String) {\n    enterprises(filter: { name: $name }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id uscc name status regionCode industryCode establishedOn } }\n    }\n  }\n": types.ConsoleSearchDocument,
    "\n  query ConsoleProfile($uscc: String!, $from: Date!) {\n    enterprise(uscc: $uscc) {\n      id uscc name legalForm industryCode regionCode status establishedOn\n      registeredCapital { amount currency }\n      legalRepresentative { name maskedIdNumber }\n      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }\n      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }\n      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }\n      utilityBills(from: $from) { utility period consumption unit daysOverdue }\n      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }\n      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }\n      dataFreshness { source lastObservedAt }\n    }\n  }\n": types.ConsoleProfileDocument,
    "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        limitComponents { kind amount { amount } text { zhCN en } }\n        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n": types.ConsoleRiskViewDocument,
    "\n  query ConsoleRelated($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name\n      relatedEnterprises(depth: 2) {\n        distance\n        enterprise { id uscc name status }\n        via { kind from { uscc } to { uscc } through { __typename ... on Person { name } ... on Enterprise { name } } }\n      }\n    }\n  }\n": types.ConsoleRelatedDocument,
    "\n  query ConsoleProducts {\n    products { id name { zhCN en } minAmount { amount } maxAmount { amount } minTermMonths maxTermMonths }\n  }\n": types.ConsoleProductsDocument,
    "\n  query ConsoleApplications($state: ApplicationState, $first: Int!, $after: String) {\n    applications(filter: { state: $state }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...ApplicationFields } }\n    }\n  }\n": types.ConsoleApplicationsDocument,
    "\n  mutation ConsoleCreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) { ...ApplicationFields }\n  }\n": types.ConsoleCreateApplicationDocument,
    "\n  mutation ConsoleSubmitApplication($id: ID!) {\n    submitApplication(id: $id) { ...ApplicationFields }\n  }\n": types.ConsoleSubmitApplicationDocument,
    "\n  mutation ConsoleDecideApplication($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String) {\n    decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment) { ...ApplicationFields }\n  }\n": types.ConsoleDecideApplicationDocument,
    "\n  mutation ConsoleWithdrawApplication($id: ID!) {\n    withdrawApplication(id: $id) { ...ApplicationFields }\n  }\n": types.ConsoleWithdrawApplicationDocument,
    "\n  fragment ApplicationFields on Application {\n    id product termMonths state createdBy createdAt submittedBy assignee missingConsentScopes\n    amount { amount currency }\n    enterprise { uscc name }\n    assessment { decision grade score recommendedLimit { amount } reasonCodes { code text { zhCN en } } }\n    decision { decision basis decidedBy decidedAt reasonCode comment againstModel }\n  }\n": types.ApplicationFieldsFragmentDoc,
    "\n  query ConsoleAlerts($status: AlertStatus, $first: Int!) {\n    alerts(filter: { status: $status }, first: $first) {\n      totalCount\n      edges { node { ...AlertFields } }\n    }\n  }\n": types.ConsoleAlertsDocument,
    "\n  subscription ConsoleAlertRaised {\n    alertRaised { ...AlertFields }\n  }\n": types.ConsoleAlertRaisedDocument,
    "\n  mutation ConsoleAcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { ...AlertFields }\n  }\n": types.ConsoleAcknowledgeAlertDocument,
    "\n  mutation ConsoleAssignAlert($id: ID!, $user: String!) {\n    assignAlert(id: $id, user: $user) { ...AlertFields }\n  }\n": types.ConsoleAssignAlertDocument,
    "\n  mutation ConsoleResolveAlert($id: ID!, $note: String!) {\n    resolveAlert(id: $id, note: $note) { ...AlertFields }\n  }\n": types.ConsoleResolveAlertDocument,
    "\n  fragment AlertFields on Alert {\n    id status assignee recommendedAction resolutionNote createdAt\n    enterprise { uscc name }\n    signal { code severity detectedAt }\n  }\n": types.AlertFieldsFragmentDoc,
    "\n  query ConsolePortfolio($from: DateTime!) {\n    portfolio {\n      asOf loans enterprises\n      exposure { amount currency }\n      byGrade { ...Slice }\n      byIndustry { ...Slice }\n      byRegion { ...Slice }\n      openAlerts { severity count }\n      gradeMigration(from: $from) { from to loans exposure { amount } }\n    }\n  }\n": types.ConsolePortfolioDocument,
    "\n  fragment Slice on PortfolioSlice { key loans enterprises exposure { amount } }\n": types.SliceFragmentDoc,
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
export function graphql(source: "\n  query ConsoleToday {\n    today\n  }\n"): (typeof documents)["\n  query ConsoleToday {\n    today\n  }\n"];
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
export function graphql(source: "\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        limitComponents { kind amount { amount } text { zhCN en } }\n        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {\n    enterprise(uscc: $uscc) {\n      id\n      riskView(asOf: $asOf) {\n        asOf score grade probabilityOfDefault decision pricingRateBps\n        product { id name { zhCN en } }\n        recommendedLimit { amount currency }\n        limitComponents { kind amount { amount } text { zhCN en } }\n        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }\n        reasonCodes { code text { zhCN en } }\n        ruleHits { code kind severity text { zhCN en } }\n        features { name value }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleRelated($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name\n      relatedEnterprises(depth: 2) {\n        distance\n        enterprise { id uscc name status }\n        via { kind from { uscc } to { uscc } through { __typename ... on Person { name } ... on Enterprise { name } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRelated($uscc: String!) {\n    enterprise(uscc: $uscc) {\n      id uscc name\n      relatedEnterprises(depth: 2) {\n        distance\n        enterprise { id uscc name status }\n        via { kind from { uscc } to { uscc } through { __typename ... on Person { name } ... on Enterprise { name } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleProducts {\n    products { id name { zhCN en } minAmount { amount } maxAmount { amount } minTermMonths maxTermMonths }\n  }\n"): (typeof documents)["\n  query ConsoleProducts {\n    products { id name { zhCN en } minAmount { amount } maxAmount { amount } minTermMonths maxTermMonths }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleApplications($state: ApplicationState, $first: Int!, $after: String) {\n    applications(filter: { state: $state }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...ApplicationFields } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleApplications($state: ApplicationState, $first: Int!, $after: String) {\n    applications(filter: { state: $state }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...ApplicationFields } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) { ...ApplicationFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) { ...ApplicationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSubmitApplication($id: ID!) {\n    submitApplication(id: $id) { ...ApplicationFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleSubmitApplication($id: ID!) {\n    submitApplication(id: $id) { ...ApplicationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDecideApplication($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String) {\n    decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment) { ...ApplicationFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleDecideApplication($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String) {\n    decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment) { ...ApplicationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleWithdrawApplication($id: ID!) {\n    withdrawApplication(id: $id) { ...ApplicationFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleWithdrawApplication($id: ID!) {\n    withdrawApplication(id: $id) { ...ApplicationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApplicationFields on Application {\n    id product termMonths state createdBy createdAt submittedBy assignee missingConsentScopes\n    amount { amount currency }\n    enterprise { uscc name }\n    assessment { decision grade score recommendedLimit { amount } reasonCodes { code text { zhCN en } } }\n    decision { decision basis decidedBy decidedAt reasonCode comment againstModel }\n  }\n"): (typeof documents)["\n  fragment ApplicationFields on Application {\n    id product termMonths state createdBy createdAt submittedBy assignee missingConsentScopes\n    amount { amount currency }\n    enterprise { uscc name }\n    assessment { decision grade score recommendedLimit { amount } reasonCodes { code text { zhCN en } } }\n    decision { decision basis decidedBy decidedAt reasonCode comment againstModel }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAlerts($status: AlertStatus, $first: Int!) {\n    alerts(filter: { status: $status }, first: $first) {\n      totalCount\n      edges { node { ...AlertFields } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAlerts($status: AlertStatus, $first: Int!) {\n    alerts(filter: { status: $status }, first: $first) {\n      totalCount\n      edges { node { ...AlertFields } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleAlertRaised {\n    alertRaised { ...AlertFields }\n  }\n"): (typeof documents)["\n  subscription ConsoleAlertRaised {\n    alertRaised { ...AlertFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleAcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { ...AlertFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleAcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) { ...AlertFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleAssignAlert($id: ID!, $user: String!) {\n    assignAlert(id: $id, user: $user) { ...AlertFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleAssignAlert($id: ID!, $user: String!) {\n    assignAlert(id: $id, user: $user) { ...AlertFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResolveAlert($id: ID!, $note: String!) {\n    resolveAlert(id: $id, note: $note) { ...AlertFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleResolveAlert($id: ID!, $note: String!) {\n    resolveAlert(id: $id, note: $note) { ...AlertFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertFields on Alert {\n    id status assignee recommendedAction resolutionNote createdAt\n    enterprise { uscc name }\n    signal { code severity detectedAt }\n  }\n"): (typeof documents)["\n  fragment AlertFields on Alert {\n    id status assignee recommendedAction resolutionNote createdAt\n    enterprise { uscc name }\n    signal { code severity detectedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePortfolio($from: DateTime!) {\n    portfolio {\n      asOf loans enterprises\n      exposure { amount currency }\n      byGrade { ...Slice }\n      byIndustry { ...Slice }\n      byRegion { ...Slice }\n      openAlerts { severity count }\n      gradeMigration(from: $from) { from to loans exposure { amount } }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePortfolio($from: DateTime!) {\n    portfolio {\n      asOf loans enterprises\n      exposure { amount currency }\n      byGrade { ...Slice }\n      byIndustry { ...Slice }\n      byRegion { ...Slice }\n      openAlerts { severity count }\n      gradeMigration(from: $from) { from to loans exposure { amount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Slice on PortfolioSlice { key loans enterprises exposure { amount } }\n"): (typeof documents)["\n  fragment Slice on PortfolioSlice { key loans enterprises exposure { amount } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;