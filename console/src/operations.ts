import { graphql } from './generated';

/**
 * Every operation the console sends, typed by graphql-codegen's client preset (`npm run codegen`).
 * Their ids are in src/generated/persisted-documents.json, one of the hub's trusted-document
 * manifests: frontend teams can copy this file's pattern, the allowlist follows.
 */

export const SEARCH_ENTERPRISES = graphql(`
  query ConsoleSearch($name: String, $first: Int!, $after: String) {
    enterprises(filter: { name: $name }, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id uscc name status regionCode industryCode establishedOn } }
    }
  }
`);

export const ENTERPRISE_PROFILE = graphql(`
  query ConsoleProfile($uscc: String!, $from: Date!) {
    enterprise(uscc: $uscc) {
      id uscc name legalForm industryCode regionCode status establishedOn
      registeredCapital { amount currency }
      legalRepresentative { name maskedIdNumber }
      shareholders { shareRatio since subscribedCapital { amount currency } holder { __typename ... on Person { name } ... on Enterprise { uscc name } } }
      invoiceMonthly(from: $from) { month sales { count netAmount { amount } } }
      taxFilings(from: $from) { taxType periodStart periodEnd declaredRevenue { amount } taxPaid { amount } late }
      utilityBills(from: $from) { utility period consumption unit daysOverdue }
      courtCases { caseNumber court caseKind cause partyRole amount { amount currency } filedOn status }
      enforcements { caseNumber court amount { amount currency } outstanding { amount currency } filedOn status dishonestDebtor }
      dataFreshness { source lastObservedAt }
    }
  }
`);

export const RISK_VIEW = graphql(`
  query ConsoleRiskView($uscc: String!, $asOf: DateTime) {
    enterprise(uscc: $uscc) {
      id
      riskView(asOf: $asOf) {
        asOf score grade probabilityOfDefault decision pricingRateBps
        product { id name { zhCN en } }
        recommendedLimit { amount currency }
        reasonCodes { code text { zhCN en } }
        ruleHits { code kind severity text { zhCN en } }
        features { name value }
      }
    }
  }
`);
