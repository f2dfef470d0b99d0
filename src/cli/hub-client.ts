import { graphql, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config/config.js';
import { createContext, createServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from '../server/errors.js';
import { openStore } from '../store/database.js';

export class OperationError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
    this.name = 'OperationError';
  }
}

export interface HubClient {
  run<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The CLI's one way to act on data: the same GraphQL operations a frontend sends, over HTTP
 * to a running hub when HUB_URL is set (so PGlite's single process is respected and the
 * hub's rules apply), and otherwise executed in-process against the store opened here.
 */
export async function openHubClient(config: Config): Promise<HubClient> {
  if (config.hub) {
    const { url, token } = config.hub;
    return {
      async run<T>(query: string, variables: Record<string, unknown> = {}) {
        const response = await fetch(new URL('/graphql', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json().catch(() => {
          throw new Error(`the hub at ${url} answered ${response.status} without a GraphQL body`);
        })) as { data?: T; errors?: GraphQLFormattedError[] };
        if (body.errors?.length) throw new OperationError(body.errors);
        return body.data as T;
      },
      close: async () => undefined,
    };
  }
  const store = await openStore(config.store);
  try {
    const services = createServices(store, config, process.env);
    const schema = buildSchema();
    const format = createErrorFormatter({ exposeInternals: true, logUnexpected: () => undefined });
    return {
      async run<T>(query: string, variables: Record<string, unknown> = {}) {
        const result = await graphql({ schema, source: query, variableValues: variables, contextValue: createContext(services) });
        if (result.errors?.length) throw new OperationError(result.errors.map((error) => format(error.toJSON(), error)));
        return result.data as T;
      },
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** One operation, then close. */
export async function runOperation<T>(config: Config, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const client = await openHubClient(config);
  try {
    return await client.run<T>(query, variables);
  } finally {
    await client.close();
  }
}
