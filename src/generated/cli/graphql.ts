/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type EnterpriseStatus =
  /** Listed on the registry's abnormal-operations list (经营异常名录). */
  | 'ABNORMAL_OPERATIONS'
  | 'ACTIVE'
  /** Deregistered (注销). */
  | 'CANCELLED'
  | 'LIQUIDATING'
  /** Business licence revoked (吊销). */
  | 'REVOKED'
  /** Known to the bank by USCC and name; the business registry has not been synced yet. */
  | 'UNVERIFIED';

export type RecommendedAction =
  | 'FREEZE'
  | 'RECALL'
  | 'REDUCE_LIMIT'
  | 'WATCH';

export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

export type SyncRunStatus =
  /** Its process stopped (killed, crashed) while it ran: what it had committed is kept, and its source resumed from the last checkpoint in a new run. */
  | 'ABANDONED'
  | 'FAILED'
  /** Completed, with records quarantined. */
  | 'PARTIAL'
  /** Not started: no valid consent covers the source. */
  | 'REFUSED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type TaxGrade =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'M';

export type EnterpriseProfileQueryVariables = Exact<{
  uscc: string;
}>;


export type EnterpriseProfileQuery = { enterprise: { id: string, uscc: string, name: string, legalForm: string | null, industryCode: string | null, regionCode: string, status: EnterpriseStatus, establishedOn: string | null, registeredCapital: { amount: string, currency: string } | null, legalRepresentative: { name: string, maskedIdNumber: string } | null, shareholders: Array<{ shareRatio: number, holder:
        | { __typename: 'Enterprise', name: string, uscc: string }
        | { __typename: 'Person', name: string }
       }>, taxRatings: Array<{ year: number, grade: TaxGrade }>, dataFreshness: Array<{ source: string, lastObservedAt: string }> } | null };

export type EnterpriseIdQueryVariables = Exact<{
  uscc: string;
}>;


export type EnterpriseIdQuery = { enterprise: { id: string } | null };

export type EnterprisePageQueryVariables = Exact<{
  after: string | null | undefined;
}>;


export type EnterprisePageQuery = { enterprises: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, uscc: string } }> } };

export type SyncMutationVariables = Exact<{
  id: string | number;
  sources: Array<string> | string | null | undefined;
}>;


export type SyncMutation = { syncEnterprise: Array<{ connector: string, status: SyncRunStatus, fetched: number, stored: number, duplicates: number, quarantined: number, error: string | null }> };

export type ExportVectorsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
  asOf: string;
  names: Array<string> | string | null | undefined;
}>;


export type ExportVectorsQuery = { featureVectors: Array<{ enterpriseId: string, values: Array<{ name: string, value: number | null }> }> };

export type RefreshMutationVariables = Exact<{ [key: string]: never; }>;


export type RefreshMutation = { refreshMonitoring: { sweepId: string, startedAt: string, finishedAt: string, enterprises: number, failedPulls: number, signals: number, raised: number } };

export type RaisedQueryVariables = Exact<{
  sweepId: string | number;
  after: string | null | undefined;
}>;


export type RaisedQuery = { alerts: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { recommendedAction: RecommendedAction, enterprise: { uscc: string, name: string }, signal: { code: string, severity: Severity } } }> } };

export type DemoClockQueryVariables = Exact<{ [key: string]: never; }>;


export type DemoClockQuery = { demoClock: { monthsAdvanced: number, prepared: boolean, upstreamsAsOf: string, today: string, storyEndsAt: string } | null };

export type AdvanceDemoClockMutationVariables = Exact<{
  months: number;
}>;


export type AdvanceDemoClockMutation = { advanceDemoClock: { monthsAdvanced: number, prepared: boolean, upstreamsAsOf: string, today: string, storyEndsAt: string } };

export type ClockFragment = { monthsAdvanced: number, prepared: boolean, upstreamsAsOf: string, today: string, storyEndsAt: string };

export const ClockFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Clock"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DemoClock"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"monthsAdvanced"}},{"kind":"Field","name":{"kind":"Name","value":"prepared"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamsAsOf"}},{"kind":"Field","name":{"kind":"Name","value":"today"}},{"kind":"Field","name":{"kind":"Name","value":"storyEndsAt"}}]}}]} as unknown as DocumentNode<ClockFragment, unknown>;
export const EnterpriseProfileDocument = {"__meta__":{"hash":"sha256:6f1f693c3cba345d521314605cae84e79fb75e820c9c81d6e7e8a3a099a0966c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EnterpriseProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"uscc"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enterprise"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"uscc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"uscc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"uscc"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"legalForm"}},{"kind":"Field","name":{"kind":"Name","value":"industryCode"}},{"kind":"Field","name":{"kind":"Name","value":"regionCode"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"establishedOn"}},{"kind":"Field","name":{"kind":"Name","value":"registeredCapital"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"legalRepresentative"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"maskedIdNumber"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shareholders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shareRatio"}},{"kind":"Field","name":{"kind":"Name","value":"holder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Person"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Enterprise"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"uscc"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"taxRatings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"grade"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataFreshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"lastObservedAt"}}]}}]}}]}}]} as unknown as DocumentNode<EnterpriseProfileQuery, EnterpriseProfileQueryVariables>;
export const EnterpriseIdDocument = {"__meta__":{"hash":"sha256:e8e848f65d89213f63f6b14614e36d9f3a0fbfdac96d73f5a5043bf40e1773e8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EnterpriseId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"uscc"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enterprise"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"uscc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"uscc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<EnterpriseIdQuery, EnterpriseIdQueryVariables>;
export const EnterprisePageDocument = {"__meta__":{"hash":"sha256:6c3a452fa6f11eb752f176c9c8783fcda56a963577bbf068cfea7cd8b0cf6a70"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EnterprisePage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enterprises"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"uscc"}}]}}]}}]}}]}}]} as unknown as DocumentNode<EnterprisePageQuery, EnterprisePageQueryVariables>;
export const SyncDocument = {"__meta__":{"hash":"sha256:cce2ab0ddfc9965debb797367864ed57b1c384d9bf0df6e52a2203096711cbb6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Sync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sources"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncEnterprise"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"sources"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sources"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connector"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"stored"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"quarantined"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<SyncMutation, SyncMutationVariables>;
export const ExportVectorsDocument = {"__meta__":{"hash":"sha256:00a2e7d26ddbff9baab29778a641f05dc9be6cb2d955165ddd416eb6ea716af4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportVectors"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"names"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"featureVectors"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"enterpriseIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}},{"kind":"Argument","name":{"kind":"Name","value":"names"},"value":{"kind":"Variable","name":{"kind":"Name","value":"names"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enterpriseId"}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<ExportVectorsQuery, ExportVectorsQueryVariables>;
export const RefreshDocument = {"__meta__":{"hash":"sha256:f0272eeb6731a68c032109d79f96167bcf583be23cee317ddf2384cd1ef8cb2e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Refresh"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshMonitoring"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sweepId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"enterprises"}},{"kind":"Field","name":{"kind":"Name","value":"failedPulls"}},{"kind":"Field","name":{"kind":"Name","value":"signals"}},{"kind":"Field","name":{"kind":"Name","value":"raised"}}]}}]}}]} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;
export const RaisedDocument = {"__meta__":{"hash":"sha256:c9f0076d2b2a04ba45a61fe0e4a581517e0f75c00fe02e9a972b9e2286bf6886"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Raised"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sweepId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"sweepId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sweepId"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recommendedAction"}},{"kind":"Field","name":{"kind":"Name","value":"enterprise"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uscc"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"signal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RaisedQuery, RaisedQueryVariables>;
export const DemoClockDocument = {"__meta__":{"hash":"sha256:4e2326311e60aa2de85a454ad0e8c27d46e2d1335236e77e23f48f533dad3143"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DemoClock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"demoClock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Clock"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Clock"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DemoClock"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"monthsAdvanced"}},{"kind":"Field","name":{"kind":"Name","value":"prepared"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamsAsOf"}},{"kind":"Field","name":{"kind":"Name","value":"today"}},{"kind":"Field","name":{"kind":"Name","value":"storyEndsAt"}}]}}]} as unknown as DocumentNode<DemoClockQuery, DemoClockQueryVariables>;
export const AdvanceDemoClockDocument = {"__meta__":{"hash":"sha256:6d0a2cb133f4d4ed55d8b33a2ad391fa9ce5fd6e6d10b42ff6849e4ef77221c3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdvanceDemoClock"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"months"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"advanceDemoClock"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"months"},"value":{"kind":"Variable","name":{"kind":"Name","value":"months"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Clock"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Clock"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DemoClock"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"monthsAdvanced"}},{"kind":"Field","name":{"kind":"Name","value":"prepared"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamsAsOf"}},{"kind":"Field","name":{"kind":"Name","value":"today"}},{"kind":"Field","name":{"kind":"Name","value":"storyEndsAt"}}]}}]} as unknown as DocumentNode<AdvanceDemoClockMutation, AdvanceDemoClockMutationVariables>;