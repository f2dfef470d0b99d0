import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Authenticator } from '../auth/tokens.js';
import type { Viewer } from '../auth/roles.js';
import { Kind } from 'graphql';
import { HubError } from '../common/errors.js';
import { metrics, metricsRegistry } from '../common/metrics.js';
import { loadConfig, type Config } from '../config/config.js';
import { auditPersonalReads, createContext, type GraphQLContext, type HubServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from './errors.js';
import { serveSubscriptions } from './subscriptions.js';
import { requestScope, type Logger } from './logger.js';
import { documentProtection } from './limits.js';
import { BUILT_IN_MANIFESTS, loadTrustedDocuments, trustedDocumentsMiddleware } from './trusted-documents.js';

export interface Hub {
  /** The base URL the hub listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  stop(): Promise<void>;
}

export interface HubOptions {
  /** Limits and CORS origins default to those of an empty environment. */
  config: Pick<Config, 'nodeEnv' | 'port' | 'host'> & Partial<Pick<Config, 'limits' | 'corsOrigins' | 'metricsToken' | 'trustedDocuments'>>;
  services: HubServices;
  /** Verifies every request's bearer token (src/auth/tokens.ts). */
  authenticator: Authenticator;
  logger: Logger;
  /** The built console (`npm run build:console`). @default console/dist */
  consoleDir?: string;
  /** A token per demo role, which the console's sign-in offers: development only. */
  demoTokens?: ReadonlyMap<string, string>;
}

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

/** The console's pages load nothing from outside the hub (Mantine and GraphiQL set inline styles). */
const CONSOLE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * The HTTP side of the hub, on one port: GraphQL at /graphql (subscriptions over graphql-ws on the
 * same path), liveness at /healthz, readiness at /readyz.
 */
export async function startHub({ config, services, authenticator, logger, consoleDir = CONSOLE_DIST, demoTokens }: HubOptions): Promise<Hub> {
  const { store, jobs } = services;
  const defaults = loadConfig({});
  const [limits, corsOrigins, metricsToken] = [config.limits ?? defaults.limits, config.corsOrigins ?? defaults.corsOrigins, config.metricsToken];
  const { only, files } = config.trustedDocuments ?? defaults.trustedDocuments;
  const trusted = loadTrustedDocuments([...BUILT_IN_MANIFESTS, ...files], only);
  const production = config.nodeEnv === 'production';
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const exposeInternals = config.nodeEnv === 'development';
  const schema = buildSchema();
  const protection = documentProtection(limits, production);
  // The request id is on every line the request logs (src/server/logger.ts).
  const formatError = createErrorFormatter({
    exposeInternals,
    logUnexpected: (error) => logger.error({ err: error }, 'unexpected error in a GraphQL request'),
    logUnavailable: (error) => logger.error({ err: error }, 'the store is unavailable'),
    redact: protection.redact,
  });
  const subscriptions = serveSubscriptions({ httpServer, schema, services, authenticator, formatError, protection, trusted, logger, limits });
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    includeStacktraceInErrorResponses: exposeInternals,
    introspection: !production,
    // One operation a request: a batch would multiply what one request may ask for.
    allowBatchedHttpRequests: false,
    // Operations are named by the ids of trusted documents (src/server/trusted-documents.ts), not
    // registered by clients at run time as automatic persisted queries would let them.
    persistedQueries: false,
    csrfPrevention: true,
    formatError,
    validationRules: protection.apollo.validationRules,
    parseOptions: protection.apollo.parseOptions,
    plugins: [
      ...protection.apollo.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return { drainServer: async () => void (await subscriptions.dispose()) };
        },
      },
      // The hub sets no cache hints; the plugin would still wrap every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          const started = performance.now();
          return {
            async didResolveOperation({ contextValue, operation }) {
              contextValue.operation.type = operation?.operation ?? null;
            },
            async willSendResponse({ contextValue, operationName, operation, response }) {
              // A mutation refused before it ran (its variables, say) changed nothing, and records nothing either.
              const ran = response.body.kind === 'single' && response.body.singleResult.data !== undefined;
              if (operation?.operation === 'mutation' && ran) {
                try {
                  await contextValue.readRouting.recordWrite(contextValue.viewer.user);
                } catch (error) {
                  // The mutation has committed: the client must not take it for failed and send it again.
                  logger.warn({ err: error }, "could not record a user's write position: their next reads may lag behind it");
                }
              }
              try {
                await auditPersonalReads(contextValue, operationName ?? null);
              } catch (error) {
                // Personal data whose read cannot be recorded is not sent.
                logger.error({ err: error }, 'could not audit the personal data a request read');
                if (response.body.kind === 'single') {
                  response.body.singleResult = { errors: [{ message: 'the request could not be audited', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
                }
              }
              const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
              const root = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
              const label = operation ? `${operation.operation}:${root?.kind === Kind.FIELD ? root.name.value : 'fragment'}` : 'unknown';
              metrics.graphqlRequest(label, (performance.now() - started) / 1000, errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
              const limited = errors.find((error) => error.extensions?.code === 'RATE_LIMITED');
              if (limited) response.http.headers.set('retry-after', String(limited.extensions?.retryAfterSeconds ?? 60));
              // The store down: a request that got nothing says so in its status too, for proxies and clients that retry.
              if (errors.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) {
                response.http.headers.set('retry-after', '5');
                if (response.body.kind === 'single' && response.body.singleResult.data == null) response.http.status = 503;
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // Liveness: the process answers. The store's state is readiness's business, or a database
  // outage would have an orchestrator restart every hub at once.
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  // Prometheus scrapes: operational figures only, no personal data (src/common/metrics.ts); with
  // METRICS_TOKEN set, only for that bearer token, and in production not at all without one.
  app.get('/metrics', async (request, response) => {
    if (metricsToken ? !sameSecret(request.get('authorization') ?? '', `Bearer ${metricsToken}`) : production) {
      response.status(metricsToken ? 401 : 404).json({ errors: [{ message: metricsToken ? 'the metrics need the METRICS_TOKEN bearer token' : 'metrics are served only with METRICS_TOKEN set', extensions: { code: metricsToken ? 'UNAUTHENTICATED' : 'NOT_FOUND' } }] });
      return;
    }
    response.setHeader('content-type', metricsRegistry.contentType);
    response.end(await metricsRegistry.metrics());
  });
  // Ready to take traffic: the store answers and the job queue's tables are reachable.
  app.get('/readyz', async (_request, response) => {
    const [storeUp, queueUp] = await Promise.all([store.ping(), jobs.reachable()]);
    const ready = storeUp && queueUp;
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store: storeUp ? 'up' : 'down', queue: queueUp ? 'up' : 'down' });
  });
  app.use(
    '/graphql',
    // Browsers from the configured origins only; other clients send no Origin and are not concerned.
    cors({ origin: corsOrigins, allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'x-purpose', 'apollo-require-preflight'], exposedHeaders: ['x-request-id'], maxAge: 600 }),
    authenticate(authenticator),
    express.json({ limit: '1mb' }),
    trustedDocumentsMiddleware(trusted),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const { viewer, requestId } = res.locals as { viewer: Viewer; requestId: string };
        const purpose = res.req.get('x-purpose')?.trim().slice(0, 200) || null;
        // The directory is for assignments: a request is not refused because its user could not be recorded.
        await services.users.seen(viewer).catch((error: unknown) => logger.warn({ err: error }, 'could not record a user in the directory'));
        return createContext(services, { viewer, requestId, purpose: purpose ?? null });
      },
    }),
  );
  app.use(requestErrors(logger));
  serveConsole(app, consoleDir, production, demoTokens);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, store: store.kind }, 'hub listening');
  return {
    url,
    async stop() {
      await apollo.stop();
    },
  };
}

/**
 * The risk console at / and GraphiQL at /graphiql (not in production), from the console's build,
 * under a CSP that lets a page talk to this hub only; and, in development, the demo roles' tokens
 * for the console's sign-in.
 */
function serveConsole(app: express.Express, dir: string, production: boolean, demoTokens: ReadonlyMap<string, string> | undefined) {
  app.get('/console/demo-tokens', (_request, response) => {
    if (!demoTokens || production) {
      response.status(404).json({ errors: [{ message: 'demo tokens are handed out in development only', extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    response.json({ tokens: Object.fromEntries(demoTokens) });
  });
  const built = existsSync(join(dir, 'index.html'));
  app.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path === '/graphiql' || request.path === '/graphiql.html') {
      if (production) return response.status(404).type('text/plain').send('GraphiQL is off in production\n');
      request.url = '/graphiql.html';
    }
    if (!built) return response.status(404).type('text/plain').send('the console is not built: npm run build:console\n');
    response.setHeader('content-security-policy', CONSOLE_CSP);
    response.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  // Assets carry a content hash in their names: cached for good; the pages are checked each time.
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(express.static(dir, { index: 'index.html', maxAge: 0 }));
}

/** Compares a presented secret in constant time, so its timing tells nothing of how much matched. */
function sameSecret(presented: string, expected: string): boolean {
  const [a, b] = [createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest()];
  return timingSafeEqual(a, b);
}

/**
 * Every GraphQL request carries a bearer token; without a valid one it never reaches Apollo:
 * 401 with a GraphQL error body coded UNAUTHENTICATED (403, FORBIDDEN, for a token whose roles
 * one person may not hold together). The request id (the caller's
 * `X-Request-Id` when sane, else a new one) is echoed back and recorded in audit lines.
 */
function authenticate(authenticator: Authenticator): RequestHandler {
  return (request, response, next) => {
    const given = request.get('x-request-id');
    const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    response.setHeader('x-request-id', requestId);
    const header = request.get('authorization') ?? '';
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header.trim());
    const refuse = (message: string, code: 'UNAUTHENTICATED' | 'FORBIDDEN' = 'UNAUTHENTICATED') => {
      metrics.requestRefused(code);
      if (code === 'UNAUTHENTICATED') response.setHeader('www-authenticate', 'Bearer realm="creditgraph"');
      response.status(code === 'UNAUTHENTICATED' ? 401 : 403).json({ errors: [{ message, extensions: { code } }] });
    };
    if (!match) return refuse(header ? 'the Authorization header is not a bearer JWT' : 'a bearer token is required (Authorization: Bearer <JWT>)');
    authenticator.verify(match[1]!).then(
      ({ viewer }) => {
        response.locals.viewer = viewer;
        response.locals.requestId = requestId;
        requestScope.run({ requestId }, next);
      },
      (error: unknown) => (error instanceof HubError ? refuse(error.message, error.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'UNAUTHENTICATED') : next(error)),
    );
  };
}

/**
 * A body that is not JSON, or too large, never reaches Apollo: answer it as GraphQL over
 * HTTP would, with a JSON error body and a code, instead of Express's HTML page. Anything else
 * that failed before Apollo (the identity provider unreachable, say) is logged and masked.
 */
function requestErrors(logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number; message?: string }, _request, response, next) => {
    if (response.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unexpected error before a GraphQL request ran');
    const message =
      error.type === 'entity.parse.failed'
        ? 'the request body is not valid JSON'
        : error.type === 'entity.too.large'
          ? 'the request body is larger than the hub accepts'
          : status === 500
            ? 'Internal server error'
            : (error.message ?? 'bad request');
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
    metrics.requestRefused(code);
    response.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
