import { monotonicMs, systemClock } from '../common/clock.js';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute, validate, type GraphQLFormattedError } from 'graphql';
import { createAuthenticator, resolveTokenKeys } from '../auth/tokens.js';
import { hubClock, type Config } from '../config/config.js';
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

/** An operation of src/cli/operations.ts: its document, with the id the hub knows it by. */
export type Operation<R, V> = TypedDocumentNode<R, V> & { __meta__?: { hash?: string } };

export interface HubClient {
  run<R, V>(operation: Operation<R, V>, ...variables: V extends Record<string, never> ? [] : [V]): Promise<R>;
  close(): Promise<void>;
}

/** The id of an operation of src/cli/operations.ts, as the hub knows it. */
export function documentId(operation: object): string {
  const id = (operation as Operation<unknown, unknown>).__meta__?.hash;
  if (!id) throw new Error('the operation has no document id: declare it in src/cli/operations.ts and run npm run codegen');
  return id;
}

const NO_TOKEN = 'UNAUTHENTICATED: set HUB_TOKEN to a token of yours, e.g. HUB_TOKEN=$(npm run -s cli -- token --role ANALYST --user <you>)';

/**
 * The CLI's one way to act on data: the same GraphQL operations a frontend sends, with the
 * operator's token (HUB_TOKEN), over HTTP to a running hub when HUB_URL is set (so PGlite's
 * single process is respected), by their document ids, which a hub that accepts only trusted
 * documents knows; and otherwise executed in-process against the store opened
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
    // Operations under way at once are refused together: the operator is told once a wait.
    let quietUntil = 0;
    return {
      async run<R, V>(operation: Operation<R, V>, ...[variables]: [V?]) {
        for (;;) {
          const response = await fetch(new URL('/graphql', url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ documentId: documentId(operation), variables: variables ?? {} }),
          });
          const body = (await response.json().catch(() => {
            throw new Error(`the hub at ${url} answered ${response.status} without a GraphQL body`);
          })) as { data?: R; errors?: GraphQLFormattedError[] };
          const waitSeconds = rateLimitedFor(body.errors);
          if (waitSeconds !== undefined) {
            // The hub refuses before doing anything, so asking again when it says is safe: a bulk
            // command goes at the pace of the operator's budget instead of stopping halfway.
            if (monotonicMs() >= quietUntil) console.error(`${body.errors![0]!.message}; waiting (a hub with a larger RATE_LIMIT_EXPENSIVE_PER_MINUTE goes faster)`);
            quietUntil = Math.max(quietUntil, monotonicMs() + waitSeconds * 1000);
            await setTimeout(waitSeconds * 1000);
            continue;
          }
          if (body.errors?.length) throw new OperationError(body.errors);
          return body.data as R;
        }
      },
      close: async () => undefined,
    };
  }
  const { viewer } = await createAuthenticator(resolveTokenKeys(config.auth, config.dataDir), systemClock)
    .verify(token)
    .catch((error: Error) => {
      throw new Error(`UNAUTHENTICATED: HUB_TOKEN: ${error.message}`);
    });
  const store = await openStore(config.store);
  let world: DemoWorld | undefined;
  try {
    world = options.demo && config.demo.enabled ? await openDemoWorld(store, config.demo, { create: false, real: systemClock, personIdSalt: config.personIdSalt }) : undefined;
    // The per-user budget of expensive operations guards the shared API; in-process the operator
    // runs their own process on the store, so it does not apply (as it does not to the demo's fill).
    const { limits: _apiLimits, ...own } = config;
    const services = createServices(store, { ...own, ...(world ? { demoWorld: world } : { now: hubClock(config) }) }, process.env);
    await services.jobs.start({ work: options.worker ?? false });
    const schema = buildSchema();
    const format = createErrorFormatter({ exposeInternals: true, logUnexpected: () => undefined, logUnavailable: () => undefined });
    return {
      async run<R, V>(operation: Operation<R, V>, ...[variables]: [V?]) {
        const invalid = validate(schema, operation);
        if (invalid.length > 0) throw new OperationError(invalid.map((error) => format(error.toJSON(), error)));
        const context = createContext(services, { viewer, requestId: randomUUID(), purpose: null });
        const result = await execute({ schema, document: operation, variableValues: (variables ?? {}) as Record<string, unknown>, contextValue: context });
        await auditPersonalReads(context, null);
        if (result.errors?.length) throw new OperationError(result.errors.map((error) => format(error.toJSON(), error)));
        return result.data as R;
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

/** How long the hub asks to wait when it refused the operation only for the user's rate limit. */
function rateLimitedFor(errors: readonly GraphQLFormattedError[] | undefined): number | undefined {
  const [error] = errors ?? [];
  if (errors?.length !== 1 || error?.extensions?.code !== 'RATE_LIMITED') return undefined;
  const seconds = Number(error.extensions.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 1;
}

/** One operation, then close. */
export async function runOperation<R, V>(config: Config, operation: Operation<R, V>, ...variables: V extends Record<string, never> ? [] : [V]): Promise<R> {
  const client = await openHubClient(config);
  try {
    return await client.run(operation, ...variables);
  } finally {
    await client.close();
  }
}
