import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, Kind, createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from '../auth/roles.js';
import type { Authenticator } from '../auth/tokens.js';
import { HubError } from '../common/errors.js';
import { metrics } from '../common/metrics.js';
import type { RequestLimits } from '../config/config.js';
import { createContext, type GraphQLContext, type HubServices } from '../graphql/context.js';
import { createLoaders, type Loaders } from '../graphql/loaders.js';
import type { Db } from '../store/database.js';
import { requestScope, type Logger } from './logger.js';
import type { DocumentProtection } from './limits.js';
import type { TrustedDocuments } from './trusted-documents.js';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The most a WebSocket close reason holds, in bytes. */
const MAX_REASON = 123;

/**
 * GraphQL subscriptions over graphql-ws on the HTTP server's port and path (`/graphql`). The
 * client authenticates in `connectionParams: { authorization: 'Bearer <JWT>' }`; without a valid
 * token the socket closes with 4401 and the reason. A socket lives no longer than its token.
 * Each operation gets a request's context, so roles, masking and the audit of personal data
 * apply to every event as to every answer over HTTP.
 */
export function serveSubscriptions(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  services: HubServices;
  authenticator: Authenticator;
  formatError: FormatError;
  /** The same document limits as over HTTP. */
  protection: Pick<DocumentProtection, 'subscription'>;
  /** With only trusted documents, a subscription's text must be one of them. */
  trusted: Pick<TrustedDocuments, 'only' | 'trusts'>;
  logger: Logger;
  /** Sockets a user may hold, subscriptions a socket may run. */
  limits: Pick<RequestLimits, 'socketsPerUser' | 'subscriptionsPerSocket'>;
}) {
  const { httpServer, schema, services, authenticator, formatError, protection, trusted, logger, limits } = options;
  // A message as large as an HTTP body may be.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const refuse = (socket: { close(code: number, reason: string): void }, message: string, code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'TOO_MANY_CONNECTIONS' = 'UNAUTHENTICATED') => {
    // Cut on a character, never inside one: a broken character would lengthen the reason past the limit.
    let reason = `${code}: ${message}`;
    while (Buffer.byteLength(reason) > MAX_REASON) reason = reason.slice(0, -1);
    // 4429, like HTTP's 429: graphql-ws clients take it as final and do not reconnect at once.
    socket.close(code === 'FORBIDDEN' ? CloseCode.Forbidden : code === 'TOO_MANY_CONNECTIONS' ? CloseCode.TooManyInitialisationRequests : CloseCode.Unauthorized, reason);
  };
  const format = (errors: readonly { originalError?: unknown; toJSON(): GraphQLFormattedError }[]) =>
    errors.map((error) => {
      if (error.originalError) return formatError(error.toJSON(), error);
      // Errors with no cause are the operation's own (it does not parse, validate or keep a limit): the caller's to fix.
      const { http: _http, ...extensions } = error.toJSON().extensions ?? {};
      return formatError({ ...error.toJSON(), extensions: { ...extensions, code: 'BAD_USER_INPUT' } }, error);
    });

  // The sockets past their connection_init, for the metrics, and how many each user holds.
  const sockets = new Set<{ subscriptions?: Set<string> }>();
  const socketsOf = new Map<string, number>();
  const unwatch = metrics.watchWebsockets(() => ({ connections: sockets.size, subscriptions: [...sockets].reduce((sum, extra) => sum + (extra.subscriptions?.size ?? 0), 0) }));
  const server = useServer<Record<string, unknown> | undefined, { viewer: Viewer; subscriptions: Set<string> }>(
    {
      schema,
      // Each operation has its own request id, on every line it logs (src/server/logger.ts).
      subscribe: (args) => requestScope.run({ requestId: (args.contextValue as GraphQLContext).actor.requestId ?? 'unknown' }, () => subscribeSharingReads(args)),
      async onConnect(ctx) {
        const header = ctx.connectionParams?.authorization;
        const match = typeof header === 'string' ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header.trim()) : null;
        if (!match) {
          refuse(ctx.extra.socket, 'connectionParams.authorization must be "Bearer <JWT>"');
          return false;
        }
        try {
          const { viewer, untilMs } = await authenticator.verify(match[1]!);
          const held = socketsOf.get(viewer.user) ?? 0;
          if (held >= limits.socketsPerUser) {
            refuse(ctx.extra.socket, `${viewer.user} holds ${held} connections, the most allowed`, 'TOO_MANY_CONNECTIONS');
            return false;
          }
          socketsOf.set(viewer.user, held + 1);
          ctx.extra.viewer = viewer;
          const expiry = setTimeout(() => refuse(ctx.extra.socket, 'the token has expired'), Math.min(Math.max(0, untilMs - authenticator.clock().getTime()), 2 ** 31 - 1));
          sockets.add(ctx.extra);
          ctx.extra.socket.once('close', () => {
            clearTimeout(expiry);
            sockets.delete(ctx.extra);
            const left = (socketsOf.get(viewer.user) ?? 1) - 1;
            if (left > 0) socketsOf.set(viewer.user, left);
            else socketsOf.delete(viewer.user);
          });
          await services.users.seen(viewer).catch((error: unknown) => logger.warn({ err: error }, 'could not record a user in the directory'));
          return true;
        } catch (error) {
          if (!(error instanceof HubError)) throw error;
          refuse(ctx.extra.socket, error.message, error.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'UNAUTHENTICATED');
          return false;
        }
      },
      onSubscribe(ctx, id, payload) {
        if (trusted.only && !trusted.trusts(payload.query)) {
          return [new GraphQLError('this hub runs only trusted documents: subscribe with the text of an operation from its allowlist', { extensions: { code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_REQUIRED' } })];
        }
        const checked = protection.subscription(schema, payload.query, payload.operationName, payload.variables);
        if (!('kind' in checked)) return checked;
        const held = (ctx.extra.subscriptions ??= new Set());
        if (held.size >= limits.subscriptionsPerSocket) {
          return [new GraphQLError(`a socket holds at most ${limits.subscriptionsPerSocket} subscriptions; complete one first`, { extensions: { code: 'BAD_USER_INPUT', limit: limits.subscriptionsPerSocket } })];
        }
        held.add(id);
        const requestId = randomUUID();
        return {
          schema,
          document: checked,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: createContext(services, { viewer: ctx.extra.viewer!, requestId, purpose: null }),
        };
      },
      onComplete(ctx, id) {
        ctx.extra.subscriptions?.delete(id);
      },
      onError(ctx, id, _payload, errors) {
        // An error ends the operation (graphql-ws sends no complete after it).
        ctx.extra.subscriptions?.delete(id);
        return format(errors);
      },
      async onNext(_ctx, _id, _payload, args, result) {
        const context = args.contextValue as GraphQLContext;
        try {
          const subjects = [...context.personalReads];
          context.personalReads.clear();
          await context.auditLog.recordDelivery(context.actor, args.operationName ?? null, subjects);
        } catch (error) {
          logger.error({ err: error }, 'could not audit the personal data a subscription event read');
          return { errors: [{ message: 'the event could not be audited', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        }
        // A subscription refused as it starts is answered by a result without data: not an event.
        if (result.data != null) metrics.subscriptionEvent(rootField(args.document, args.operationName));
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
    },
    wsServer,
  );
  return {
    async dispose() {
      unwatch();
      await server.dispose();
    },
  };
}

/**
 * graphql's `subscribe`, but every subscriber of one event reads through the same DataLoaders:
 * the event object is the same for all of them (one emitter), so an alert pushed to a thousand
 * subscribers reads its enterprise once, not a thousand times. The loaders hold the store's rows;
 * what each viewer may see of them (roles, masking, the audit of personal data) is still decided
 * per subscriber, by the fields' resolvers on their own context.
 */
async function subscribeSharingReads(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const context = args.contextValue as GraphQLContext;
  const events = stream[Symbol.asyncIterator]();
  const execution = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      const event = await events.next();
      if (event.done) return { done: true, value: undefined };
      context.loaders = readsOfEvent(event.value, context.store.db);
      return { done: false, value: await execute({ ...args, rootValue: event.value }) };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    async [Symbol.asyncDispose]() {
      await events.return?.();
    },
  };
  return execution as AsyncGenerator<ExecutionResult>;
}

/** The DataLoaders one event is read through: made by its first subscriber, gone with the event. */
const eventReads = new WeakMap<object, Loaders>();

/** An event's reads go to the primary, which has what was just raised (a replica may lag). */
function readsOfEvent(event: unknown, primary: Db): Loaders {
  if (typeof event !== 'object' || event === null) return createLoaders(primary);
  let loaders = eventReads.get(event);
  if (!loaders) eventReads.set(event, (loaders = createLoaders(primary)));
  return loaders;
}

/** The operation's first root field, which labels its events: bounded, unlike the client's names. */
function rootField(document: DocumentNode, operationName: string | null | undefined): string {
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName));
  const field = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return field?.kind === Kind.FIELD ? field.name.value : 'unknown';
}
