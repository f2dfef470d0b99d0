import { createServices, type HubServices } from '../../src/graphql/context.js';
import type { Hub } from '../../src/server/hub.js';
import { startHub } from '../../src/server/hub.js';
import { createLogger } from '../../src/server/logger.js';
import type { Store } from '../../src/store/database.js';

/** The salt test hubs hash person ID numbers with. */
export const TEST_PERSON_ID_SALT = 'test-hub-person-salt-0001';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A real hub on a loopback port, and a client that posts GraphQL to it as a frontend does. */
export interface TestHub {
  hub: Hub;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export async function startTestHub(
  store: Store,
  nodeEnv: 'test' | 'production' | 'development' = 'test',
  services: HubServices = createServices(store, { personIdSalt: TEST_PERSON_ID_SALT }),
): Promise<TestHub> {
  const hub = await startHub({
    config: { nodeEnv, port: 0, host: '127.0.0.1' },
    services,
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
  return {
    hub,
    post,
    async query<T>(query: string, variables: Record<string, unknown> = {}) {
      const { status, json } = await post(JSON.stringify({ query, variables }));
      return { status, ...(json as object) } as GraphQLResponse<T>;
    },
    stop: () => hub.stop(),
  };
}
