import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import type { Config } from '../config/config.js';
import { createContext, type GraphQLContext, type HubServices } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { createErrorFormatter } from './errors.js';
import type { Logger } from './logger.js';

export interface Hub {
  /** The base URL the hub listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  stop(): Promise<void>;
}

export interface HubOptions {
  config: Pick<Config, 'nodeEnv' | 'port' | 'host'>;
  services: HubServices;
  logger: Logger;
}

/** The HTTP side of the hub: GraphQL at /graphql and liveness at /healthz, on one port. */
export async function startHub({ config, services, logger }: HubOptions): Promise<Hub> {
  const { store } = services;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const exposeInternals = config.nodeEnv === 'development';
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    includeStacktraceInErrorResponses: exposeInternals,
    introspection: config.nodeEnv !== 'production',
    formatError: createErrorFormatter({
      exposeInternals,
      logUnexpected: (error) => logger.error({ err: error }, 'unexpected error in a GraphQL request'),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The hub sets no cache hints; the plugin would still wrap every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  app.get('/healthz', async (_request, response) => {
    const reachable = await store.ping();
    response.status(reachable ? 200 : 503).json({ status: reachable ? 'ok' : 'unavailable', store: store.kind });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => createContext(services) }),
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
