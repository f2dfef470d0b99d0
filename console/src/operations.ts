import { graphql } from './generated';

/**
 * Every operation the console sends, typed by graphql-codegen's client preset (`npm run codegen`).
 * Their ids are in src/generated/persisted-documents.json, one of the hub's trusted-document
 * manifests: frontend teams can copy this file's pattern, the allowlist follows.
 */

export const TODAY = graphql(`
  query ConsoleToday {
    today
  }
`);

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
        limitComponents { kind amount { amount } text { zhCN en } }
        pricing { baseRateBps expectedLossBps fundingBps operatingBps capitalBps rateBps }
        reasonCodes { code text { zhCN en } }
        ruleHits { code kind severity text { zhCN en } }
        features { name value }
      }
    }
  }
`);

export const RELATED_ENTERPRISES = graphql(`
  query ConsoleRelated($uscc: String!) {
    enterprise(uscc: $uscc) {
      id uscc name
      relatedEnterprises(depth: 2) {
        distance
        enterprise { id uscc name status }
        via { kind from { uscc } to { uscc } through { __typename ... on Person { name } ... on Enterprise { name } } }
      }
    }
  }
`);

export const PRODUCTS = graphql(`
  query ConsoleProducts {
    products { id name { zhCN en } minAmount { amount } maxAmount { amount } minTermMonths maxTermMonths }
  }
`);

export const APPLICATIONS = graphql(`
  query ConsoleApplications($state: ApplicationState, $first: Int!, $after: String) {
    applications(filter: { state: $state }, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ApplicationFields } }
    }
  }
`);

export const CREATE_APPLICATION = graphql(`
  mutation ConsoleCreateApplication($input: CreateApplicationInput!) {
    createApplication(input: $input) { ...ApplicationFields }
  }
`);

export const SUBMIT_APPLICATION = graphql(`
  mutation ConsoleSubmitApplication($id: ID!) {
    submitApplication(id: $id) { ...ApplicationFields }
  }
`);

export const DECIDE_APPLICATION = graphql(`
  mutation ConsoleDecideApplication($id: ID!, $decision: ApplicationDecision!, $reasonCode: String, $comment: String) {
    decideApplication(id: $id, decision: $decision, reasonCode: $reasonCode, comment: $comment) { ...ApplicationFields }
  }
`);

export const WITHDRAW_APPLICATION = graphql(`
  mutation ConsoleWithdrawApplication($id: ID!) {
    withdrawApplication(id: $id) { ...ApplicationFields }
  }
`);

graphql(`
  fragment ApplicationFields on Application {
    id product termMonths state createdBy createdAt submittedBy assignee missingConsentScopes
    amount { amount currency }
    enterprise { uscc name }
    assessment { decision grade score recommendedLimit { amount } reasonCodes { code text { zhCN en } } }
    decision { decision basis decidedBy decidedAt reasonCode comment againstModel }
  }
`);

export const ALERTS = graphql(`
  query ConsoleAlerts($status: AlertStatus, $first: Int!) {
    alerts(filter: { status: $status }, first: $first) {
      totalCount
      edges { node { ...AlertFields } }
    }
  }
`);

export const ALERT_RAISED = graphql(`
  subscription ConsoleAlertRaised {
    alertRaised { ...AlertFields }
  }
`);

export const ACKNOWLEDGE_ALERT = graphql(`
  mutation ConsoleAcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) { ...AlertFields }
  }
`);

export const ASSIGN_ALERT = graphql(`
  mutation ConsoleAssignAlert($id: ID!, $user: String!) {
    assignAlert(id: $id, user: $user) { ...AlertFields }
  }
`);

export const RESOLVE_ALERT = graphql(`
  mutation ConsoleResolveAlert($id: ID!, $note: String!) {
    resolveAlert(id: $id, note: $note) { ...AlertFields }
  }
`);

graphql(`
  fragment AlertFields on Alert {
    id status assignee recommendedAction resolutionNote createdAt
    enterprise { uscc name }
    signal { code severity detectedAt }
  }
`);

export const PORTFOLIO = graphql(`
  query ConsolePortfolio($from: DateTime!) {
    portfolio {
      asOf loans enterprises
      exposure { amount currency }
      byGrade { ...Slice }
      byIndustry { ...Slice }
      byRegion { ...Slice }
      openAlerts { severity count }
      gradeMigration(from: $from) { from to loans exposure { amount } }
    }
  }
`);

graphql(`
  fragment Slice on PortfolioSlice { key loans enterprises exposure { amount } }
`);
