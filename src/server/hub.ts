import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Authenticator } from '../auth/tokens.js';
import type { Viewer } from '../auth/roles.js';
import { HubError } from '../common/errors.js';
import type { Config } from '../config/config.js';
import { auditPersonalReads, createContext, type GraphQLContext, type HubServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from './errors.js';
import { serveSubscriptions } from './subscriptions.js';
import type { Logger } from './logger.js';

export interface Hub {
  /** The base URL the hub listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  stop(): Promise<void>;
}

export interface HubOptions {
  config: Pick<Config, 'nodeEnv' | 'port' | 'host'>;
  services: HubServices;
  /** Verifies every request's bearer token (src/auth/tokens.ts). */
  authenticator: Authenticator;
  logger: Logger;
}

/** The HTTP side of the hub: GraphQL at /graphql (subscriptions over graphql-ws on the same path) and liveness at /healthz, on one port. */
export async function startHub({ config, services, authenticator, logger }: HubOptions): Promise<Hub> {
  const { store } = services;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const exposeInternals = config.nodeEnv === 'development';
  const schema = buildSchema();
  const formatError = createErrorFormatter({
    exposeInternals,
    logUnexpected: (error) => logger.error({ err: error }, 'unexpected error in a GraphQL request'),
  });
  const subscriptions = serveSubscriptions({ httpServer, schema, services, authenticator, formatError, logger });
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    includeStacktraceInErrorResponses: exposeInternals,
    introspection: config.nodeEnv !== 'production',
    formatError,
    plugins: [
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
          return {
            async willSendResponse({ contextValue, operationName, response }) {
              try {
                await auditPersonalReads(contextValue, operationName ?? null);
              } catch (error) {
                // Personal data whose read cannot be recorded is not sent.
                logger.error({ err: error }, 'could not audit the personal data a request read');
                if (response.body.kind === 'single') {
                  response.body.singleResult = { errors: [{ message: 'the request could not be audited', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
                }
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', async (_request, response) => {
    const reachable = await store.ping();
    response.status(reachable ? 200 : 503).json({ status: reachable ? 'ok' : 'unavailable', store: store.kind });
  });
  app.use(
    '/graphql',
    authenticate(authenticator),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const { viewer, requestId } = res.locals as { viewer: Viewer; requestId: string };
        const purpose = res.req.get('x-purpose')?.trim().slice(0, 200) || null;
        return createContext(services, { viewer, requestId, purpose: purpose ?? null });
      },
    }),
  );
  app.use(requestBodyErrors);

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
 * Every GraphQL request carries a bearer token; without a valid one it never reaches Apollo:
 * 401 with a GraphQL error body coded UNAUTHENTICATED. The request id (the caller's
 * `X-Request-Id` when sane, else a new one) is echoed back and recorded in audit lines.
 */
function authenticate(authenticator: Authenticator): RequestHandler {
  return (request, response, next) => {
    const given = request.get('x-request-id');
    const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    response.setHeader('x-request-id', requestId);
    const header = request.get('authorization') ?? '';
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header.trim());
    const refuse = (message: string) => {
      response.setHeader('www-authenticate', 'Bearer realm="creditgraph"');
      response.status(401).json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    };
    if (!match) return refuse(header ? 'the Authorization header is not a bearer JWT' : 'a bearer token is required (Authorization: Bearer <JWT>)');
    authenticator.verify(match[1]!).then(
      ({ viewer }) => {
        response.locals.viewer = viewer;
        response.locals.requestId = requestId;
        next();
      },
      (error: unknown) => (error instanceof HubError ? refuse(error.message) : next(error)),
    );
  };
}

/**
 * A body that is not JSON, or too large, never reaches Apollo: answer it as GraphQL over
 * HTTP would, with a JSON error body and a code, instead of Express's HTML page.
 */
const requestBodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number; message?: string }, _request, response, next) => {
  if (response.headersSent) return next(error);
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error.type === 'entity.parse.failed'
      ? 'the request body is not valid JSON'
      : error.type === 'entity.too.large'
        ? 'the request body is larger than the hub accepts'
        : status === 500
          ? 'Internal server error'
          : (error.message ?? 'bad request');
  response.status(status).json({
    errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' } }],
  });
};
