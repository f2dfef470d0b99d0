import type { Role, Viewer } from '../../src/auth/roles.js';
import { createAuthenticator, signToken } from '../../src/auth/tokens.js';
import { systemClock, type Clock } from '../../src/common/clock.js';
import { createServices, type HubServices } from '../../src/graphql/context.js';
import type { Hub } from '../../src/server/hub.js';
import { startHub } from '../../src/server/hub.js';
import { createLogger } from '../../src/server/logger.js';
import type { Store } from '../../src/store/database.js';
import { testClock } from './clock.js';

/** The salt test hubs hash person ID numbers with. */
export const TEST_PERSON_ID_SALT = 'test-hub-person-salt-0001';
/** The HS256 secret test hubs verify tokens with. */
export const TEST_JWT_SECRET = new TextEncoder().encode('test-hub-jwt-secret-test-hub-jwt-secret');

/**
 * Who the tests act as unless they say otherwise: a user with roles that read everything and
 * run the sources (none of them a maker's or a decider's of credit, which one person may not
 * hold with the others), so a test about profiles or syncs is not about authorization. Tests of
 * authorization, and of the credit process, pick a viewer.
 */
export const TEST_VIEWER: Viewer = { user: 'test-user', roles: ['RISK_MANAGER', 'DATA_ENGINEER', 'SCORING_SERVICE'] };

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface GraphQLClient {
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/** A real hub on a loopback port, and a client that posts GraphQL to it as a frontend does. */
export interface TestHub extends GraphQLClient {
  hub: Hub;
  /** The hub's today (its services' clock): what a test dates the facts it writes by. */
  now: Clock;
  /** A client acting as this user with these roles (a token signed for them). */
  as(user: string, ...roles: Role[]): GraphQLClient;
  /** A client sending this exact Authorization header value, or none. */
  withAuthorization(value: string | undefined): GraphQLClient;
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** A token issued now in real time (the clock tokens are on, src/auth/tokens.ts), or at `now`. */
export const testToken = (viewer: Viewer, ttlSeconds = 3600, now: Date = systemClock()) => signToken(TEST_JWT_SECRET, viewer, ttlSeconds, now);

/** The authenticator of test hubs. */
export const testAuthenticator = () => createAuthenticator({ kind: 'secret', secret: TEST_JWT_SECRET }, systemClock);

export async function startTestHub(
  store: Store,
  nodeEnv: 'test' | 'production' | 'development' = 'test',
  services: HubServices = createServices(store, { personIdSalt: TEST_PERSON_ID_SALT, now: testClock() }),
): Promise<TestHub> {
  await services.jobs.start({ work: true });
  const hub = await startHub({
    config: { nodeEnv, port: 0, host: '127.0.0.1' },
    services,
    authenticator: testAuthenticator(),
    logger: createLogger({ logLevel: 'silent' }),
  });
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };
  const client = (authorization: () => Promise<string | undefined>): GraphQLClient => ({
    async query<T>(query: string, variables: Record<string, unknown> = {}) {
      const value = await authorization();
      const { status, json } = await post(JSON.stringify({ query, variables }), value === undefined ? {} : { authorization: value });
      return { status, ...(json as object) } as GraphQLResponse<T>;
    },
  });
  const tokens = new Map<string, Promise<string>>();
  const bearer = (viewer: Viewer) => {
    const key = `${viewer.user}:${viewer.roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, testToken(viewer));
    return async () => `Bearer ${await tokens.get(key)!}`;
  };
  const standard = client(bearer(TEST_VIEWER));
  return {
    hub,
    now: services.now,
    post: async (body, headers = {}) => post(body, { authorization: await bearer(TEST_VIEWER)(), ...headers }),
    query: standard.query,
    as: (user, ...roles) => client(bearer({ user, roles })),
    withAuthorization: (value) => client(async () => value),
    async stop() {
      await hub.stop();
      await services.jobs.stop();
    },
  };
}
