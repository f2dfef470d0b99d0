import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/roles.js';
import { HubError, RateLimitedError } from '../common/errors.js';
import type { RequestLimits } from '../config/config.js';
import type { Store } from '../store/database.js';
import { InputPolicy } from '../graphql/input-policy.js';

/** What the hub measures of an operation, and refuses past its limit with QUERY_TOO_COMPLEX. */
const MEASURES: readonly (readonly [RegExp, string])[] = [
  // Armor's messages (with its limits exposed) and graphql's parser's, as they are worded.
  [/^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/, 'depth'],
  [/^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/, 'aliases'],
  [/^Syntax Error: Directives limit of (\d+) exceeded, found (\d+)\.$/, 'directives'],
  [/^Syntax Error: Query Cost limit of (\d+) exceeded, found (\d+)\.$/, 'cost'],
  [/^Syntax Error: Document contains more th\w+ (\d+) tokens\. Parsing aborted\.$/, 'tokens'],
];

/**
 * A refusal for asking too much, as the client gets it: QUERY_TOO_COMPLEX, with what was measured,
 * how much was found and the limit, so a frontend developer knows what to cut. Undefined for any
 * other message.
 */
export function tooComplex(message: string): { message: string; extensions: { code: 'QUERY_TOO_COMPLEX'; measure: string; limit: number; found?: number } } | undefined {
  for (const [pattern, measure] of MEASURES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const limit = Number(match[1]);
    if (match[2] === undefined) {
      return { message: `the operation is too complex: it has more than ${limit} tokens, the most the hub parses`, extensions: { code: 'QUERY_TOO_COMPLEX', measure, limit } };
    }
    const found = Number(match[2]);
    return { message: `the operation is too complex: its ${measure} is ${found}, and the hub allows at most ${limit}`, extensions: { code: 'QUERY_TOO_COMPLEX', measure, limit, found } };
  }
  return undefined;
}

/**
 * What a GraphQL document may ask for, enforced before anything runs, on HTTP (Apollo's plugins,
 * validation rules and parse options) and on the websocket alike: depth, aliases and directives
 * (GraphQL Armor's rules), tokens (graphql's parser), and cost (Armor's rule, run once the
 * variables are known, so a list weighs its `first` whether it is written in or passed); and the
 * input policy of every string (src/graphql/input-policy.ts). In production field suggestions are
 * off, and so is introspection.
 */
export function documentProtection(limits: RequestLimits, production: boolean) {
  // Refusals say the limit and what was found (as QUERY_TOO_COMPLEX): hiding them protects
  // nothing an attacker cannot find by bisecting, and leaves a frontend developer guessing.
  const exposeLimits = true;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, exposeLimits },
    maxDirectives: { n: limits.maxDirectives, exposeLimits },
    // Cost is checked with the variables in (below). Tokens are counted by graphql's parser, whose
    // refusal is a syntax error answered 400; Armor's token plugin throws from a hook, a 500.
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  const cost = costLimitRule({ maxCost: limits.maxCost, exposeLimits });
  // A document's cost depends on it and its integer variables only. Apollo hands over the same
  // document object for the same text (its document cache), so the verdict is kept with it: the
  // check cost 20-55 µs a request, some 4% of a profile read (npm run bench -- api).
  const verdicts = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();
  const costErrors = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined): readonly GraphQLError[] => {
    const integers = Object.entries(variables ?? {}).filter(([, value]) => isInt(value));
    const key = JSON.stringify(integers);
    let known = verdicts.get(document);
    const verdict = known?.get(key);
    if (verdict) return verdict;
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, withVariablesInlined(document, variables ?? {}), [cost]);
    } catch (error) {
      // Armor's cost rule throws its refusal rather than reporting it.
      if (!(error instanceof GraphQLError)) throw error;
      errors = [error];
    }
    if (!known || known.size >= 100) verdicts.set(document, (known = new Map()));
    known.set(key, errors);
    return errors;
  };
  const parseOptions = { maxTokens: limits.maxTokens };
  const redact = (message: string) => (production ? message.replace(/ ?Did you mean .*\?$/, '') : message);
  const policies = new WeakMap<GraphQLSchema, InputPolicy>();
  const inputErrors = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined): readonly GraphQLError[] => {
    let policy = policies.get(schema);
    if (!policy) policies.set(schema, (policy = new InputPolicy(schema)));
    const refused = policy.check(document, variables);
    return refused ? [refused] : costErrors(schema, document, variables);
  };
  const socketRules = [...specifiedRules, ...armor.validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];

  const inputsPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const [error] = inputErrors(schema, document, request.variables);
          if (error) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };

  return {
    /** Apollo Server's plugins, validation rules and parse options. */
    apollo: {
      // Armor's types name Apollo's CommonJS build and the hub uses its ES modules: the same plugins.
      plugins: [...(armor.plugins as unknown as ApolloServerPlugin[]), inputsPlugin],
      validationRules: [...armor.validationRules, subscriptionsOverWebSocket],
      parseOptions,
    },
    /**
     * A websocket operation's document, or why it is refused: it parses within the token limit,
     * validates under the same rules, is a subscription (queries and mutations go over HTTP), its
     * strings keep their policy, and it costs no more than allowed. Refusals are errors for the client, never a closed socket.
     */
    subscription(schema: GraphQLSchema, query: string, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): DocumentNode | readonly GraphQLError[] {
      let document: DocumentNode;
      try {
        document = parse(query, parseOptions);
      } catch (error) {
        return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
      }
      const invalid = validate(schema, document, socketRules);
      if (invalid.length > 0) return invalid;
      if (getOperationAST(document, operationName)?.operation !== 'subscription') {
        return [new GraphQLError('the websocket serves subscriptions; queries and mutations go over HTTP POST to /graphql')];
      }
      const refused = inputErrors(schema, document, variables);
      return refused.length > 0 ? refused : document;
    },
    /** A request error's message as production shows it: without "Did you mean …?". */
    redact,
  };
}

/** The document with each variable that holds a number written in, so a cost rule sees `first: $n` as the number. */
function withVariablesInlined(document: DocumentNode, variables: Record<string, unknown>): DocumentNode {
  return visit(document, {
    Variable(node, _key, parent) {
      // Only uses of a variable (argument values), not its definition.
      if ((parent as { kind?: string } | undefined)?.kind === Kind.VARIABLE_DEFINITION) return undefined;
      const value = variables[node.name.value];
      // Only an Int GraphQL takes: anything else is the variable's own error, BAD_USER_INPUT.
      return isInt(value) ? { kind: Kind.INT, value: String(value) } : undefined;
    },
  });
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31;

/** A subscription sent over HTTP is the client's mistake: it is served on the websocket. */
const subscriptionsOverWebSocket: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(new GraphQLError('subscriptions are served over graphql-ws on the websocket at /graphql, not over HTTP', { nodes: [node] }));
    }
  },
});

export type DocumentProtection = ReturnType<typeof documentProtection>;

/** Operations that cost the hub or an upstream real work, and what one costs of a user's budget. */
export type ExpensiveOperation = 'featureVectors' | 'syncEnterprise' | 'submitApplication' | 'refreshMonitoring';

/**
 * Per-user rate limiting of expensive operations: a budget of points a minute a user, across
 * them, answered with RATE_LIMITED and when to retry. Work the hub refuses as the caller's
 * mistake (BAD_USER_INPUT, NOT_FOUND) gives its points back. Kept in the store (the
 * `rate_limit` table), so the budget is one however many API processes serve the user.
 */
export class Throttle {
  private readonly limiter: RateLimiterPostgres | undefined;

  /** `perMinute` null: no limit (services made without configured limits: tests, benchmarks). */
  constructor(
    store: Store,
    private readonly perMinute: number | null,
  ) {
    this.limiter =
      perMinute === null
        ? undefined
        : new RateLimiterPostgres({
            // The store's own way of running SQL, on PGlite and on a server alike; without the
            // library's statement names, which a transaction pooler could not keep.
            storeClient: { query: ({ text, values }: { text: string; values?: unknown[] }) => store.runSql(text, values) },
            storeType: 'pool',
            tableName: 'rate_limit',
            tableCreated: true,
            points: perMinute,
            duration: 60,
            keyPrefix: 'expensive',
          });
  }

  async spend<T>(viewer: Viewer, operation: ExpensiveOperation, points: number, work: () => Promise<T>): Promise<T> {
    if (!this.limiter || this.perMinute === null) return work();
    const cost = Math.min(this.perMinute, Math.max(1, Math.ceil(points)));
    try {
      await this.limiter.consume(viewer.user, cost);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedError(
        `${viewer.user} has used the ${this.perMinute} points a minute of expensive operations (feature vectors, syncs, submissions, sweeps); ${operation} costs ${cost} and may be asked again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof HubError && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) await this.limiter.reward(viewer.user, cost);
      throw error;
    }
  }
}
