import { randomUUID } from 'node:crypto';
import { graphql, type GraphQLFormattedError } from 'graphql';
import { createAuthenticator, resolveTokenKeys } from '../auth/tokens.js';
import type { Config } from '../config/config.js';
import { auditPersonalReads, createContext, createServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from '../server/errors.js';
import { openStore } from '../store/database.js';
import { openDemoWorld, type DemoWorld } from '../demo/world.js';

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

const NO_TOKEN = 'UNAUTHENTICATED: set HUB_TOKEN to a token of yours, e.g. HUB_TOKEN=$(npm run -s cli -- token --role ANALYST --user <you>)';

/**
 * The CLI's one way to act on data: the same GraphQL operations a frontend sends, with the
 * operator's token (HUB_TOKEN), over HTTP to a running hub when HUB_URL is set (so PGlite's
 * single process is respected), and otherwise executed in-process against the store opened
 * here, after verifying the token with this deployment's keys: the same roles and audit apply.
 * In-process, the job queue only takes jobs when `worker` is set: an operation that waits for
 * its own jobs (a monitoring sweep) works them here, any other leaves the queue to the hub; and
 * with `demo` set, when the store is a demo `serve` made, the demo's sandboxes and clock run
 * here as `serve` runs them, for operations that pull sources or move the demo on.
 */
export async function openHubClient(config: Config, options: { worker?: boolean; demo?: boolean } = {}): Promise<HubClient> {
  const { url, token } = config.hub;
  if (!token) throw new Error(NO_TOKEN);
  if (url) {
    return {
      async run<T>(query: string, variables: Record<string, unknown> = {}) {
        const response = await fetch(new URL('/graphql', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
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
  const { viewer } = await createAuthenticator(resolveTokenKeys(config.auth, config.dataDir))
    .verify(token)
    .catch((error: Error) => {
      throw new Error(`UNAUTHENTICATED: HUB_TOKEN: ${error.message}`);
    });
  const store = await openStore(config.store);
  let world: DemoWorld | undefined;
  try {
    world = options.demo && config.demo.enabled ? await openDemoWorld(store, config.demo, { create: false }) : undefined;
    const services = createServices(store, { ...config, ...(world ? { demoWorld: world } : {}) }, process.env);
    await services.jobs.start({ work: options.worker ?? false });
    const schema = buildSchema();
    const format = createErrorFormatter({ exposeInternals: true, logUnexpected: () => undefined, logUnavailable: () => undefined });
    return {
      async run<T>(query: string, variables: Record<string, unknown> = {}) {
        const context = createContext(services, { viewer, requestId: randomUUID(), purpose: null });
        const result = await graphql({ schema, source: query, variableValues: variables, contextValue: context });
        await auditPersonalReads(context, null);
        if (result.errors?.length) throw new OperationError(result.errors.map((error) => format(error.toJSON(), error)));
        return result.data as T;
      },
      async close() {
        await services.jobs.stop();
        await world?.close();
        await store.close();
      },
    };
  } catch (error) {
    await world?.close();
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
