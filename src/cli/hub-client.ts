import { graphql, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config/config.js';
import { createContext, readOnlyServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from '../server/errors.js';
import { openStore } from '../store/database.js';

export class OperationError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
    this.name = 'OperationError';
  }
}

/**
 * The CLI's one way to act on data: the same GraphQL operation a frontend would send, over
 * HTTP to a running hub when HUB_URL is set (so PGlite's single process is respected and the
 * hub's rules apply), and otherwise executed in-process against the store opened here.
 */
export async function runOperation<T>(
  config: Config,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  if (config.hub) {
    const response = await fetch(new URL('/graphql', config.hub.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.hub.token ? { authorization: `Bearer ${config.hub.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => {
      throw new Error(`the hub at ${config.hub!.url} answered ${response.status} without a GraphQL body`);
    })) as { data?: T; errors?: GraphQLFormattedError[] };
    if (body.errors?.length) throw new OperationError(body.errors);
    return body.data as T;
  }
  const store = await openStore(config.store);
  try {
    const result = await graphql({
      schema: buildSchema(),
      source: query,
      variableValues: variables,
      contextValue: createContext(readOnlyServices(store)),
    });
    if (result.errors?.length) {
      const format = createErrorFormatter({ exposeInternals: true, logUnexpected: () => undefined });
      throw new OperationError(result.errors.map((error) => format(error.toJSON(), error)));
    }
    return result.data as T;
  } finally {
    await store.close();
  }
}
