/**
 * What every upstream sandbox shares: an Express app on loopback, the upstream's own auth
 * (OAuth2 client credentials or an API key), fault injection on data requests with its admin
 * endpoints, a clock the sandbox serves the demo portfolio as of, and pagination. A sandbox
 * adds only its routes and its wire format.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';
import { monotonicMs } from '../../src/ingest/sdk.js';
import { FaultInjector, faultAdminRouter, sendJson, type DataAnswer, type FaultBodies, type FaultSettings, type ResolvedFaultSettings, type SandboxStats } from './faults.js';

export type SandboxAuth =
  | { kind: 'oauth2'; tokenPath: string; clientId: string; clientSecret: string; tokenLifetimeSeconds?: number }
  | { kind: 'apiKey'; header: string; key: string };

export interface SandboxHandle {
  url: string;
  /** Changes fault injection at run time (the same as `PUT /admin/faults`). */
  setFaults(settings: FaultSettings): ResolvedFaultSettings;
  stats(): SandboxStats;
  /** The sandbox answers with the latest version of each fact observed before this instant. */
  setClock(instant: string): void;
  clock(): string;
  close(): Promise<void>;
}

export interface SandboxContext {
  /** The instant the sandbox serves the portfolio as of. */
  clock(): string;
  /**
   * A data endpoint: counts the request, checks the upstream's auth, and sends the answer or
   * the fault drawn for the request. The handler's errors become the upstream's 400 answer.
   */
  data(handler: (req: Request) => DataAnswer): express.RequestHandler;
}

export interface SandboxDefinition {
  name: string;
  auth: SandboxAuth;
  port?: number;
  host?: string;
  faults?: FaultSettings;
  /** The initial clock: an ISO instant. */
  clock: string;
  /** The upstream's answers to faults and to a missing or bad credential. */
  bodies: FaultBodies & { unauthorized: unknown; badRequest: (message: string) => unknown };
  routes(app: Express, context: SandboxContext): void;
}

/** A request the upstream rejects as malformed: answered 400 with the upstream's body. */
export class BadSandboxRequest extends Error {}

export async function startSandbox(definition: SandboxDefinition): Promise<SandboxHandle> {
  const injector = new FaultInjector(definition.faults ?? { rate: 0 }, definition.bodies);
  let clock = definition.clock;
  const tokens = new Map<string, number>();
  const app = express();
  app.disable('x-powered-by');
  app.use(faultAdminRouter(injector));

  const { auth } = definition;
  if (auth.kind === 'oauth2') {
    app.post(auth.tokenPath, express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      if (body.grant_type !== 'client_credentials') return sendJson(res, 400, { error: 'unsupported_grant_type' });
      if (body.client_id !== auth.clientId || body.client_secret !== auth.clientSecret) return sendJson(res, 401, { error: 'invalid_client' });
      const lifetime = auth.tokenLifetimeSeconds ?? 3600;
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, monotonicMs() + lifetime * 1000);
      sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: lifetime });
    });
  }

  const authorized = (req: Request) => {
    if (auth.kind === 'apiKey') return req.get(auth.header) === auth.key;
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const expiresAt = match ? tokens.get(match[1]!) : undefined;
    return expiresAt !== undefined && expiresAt > monotonicMs();
  };

  const context: SandboxContext = {
    clock: () => clock,
    data: (handler) => (req: Request, res: Response) => {
      injector.countRequest();
      if (!authorized(req)) return sendJson(res, 401, definition.bodies.unauthorized);
      const draw = injector.draw();
      let answer: DataAnswer;
      try {
        answer = handler(req);
      } catch (error) {
        if (!(error instanceof BadSandboxRequest)) throw error;
        return sendJson(res, 400, definition.bodies.badRequest(error.message));
      }
      injector.deliver(res, answer, draw);
    },
  };
  definition.routes(app, context);

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(definition.port ?? 0, definition.host ?? '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    setFaults: (settings) => injector.configure(settings),
    stats: () => injector.stats(),
    setClock(instant) {
      if (Number.isNaN(Date.parse(instant))) throw new RangeError(`sandbox ${definition.name}: '${instant}' is not an instant`);
      clock = new Date(instant).toISOString();
    },
    clock: () => clock,
    async close() {
      injector.closeHung();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Reads a positive integer query parameter, or its default; anything else is a bad request. */
export function intParam(req: Request, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = req.query[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new BadSandboxRequest(`${name} must be an integer between 1 and ${max}`);
  }
  return Number(value);
}

/** Page `pageNo` (1-based) of `items`, and the items of the page before it. */
export function pageOf<T>(items: readonly T[], pageNo: number, pageSize: number): { records: T[]; previous: T[] } {
  const start = (pageNo - 1) * pageSize;
  return { records: items.slice(start, start + pageSize), previous: items.slice(Math.max(0, start - pageSize), start) };
}

/** yyyyMMdd of an ISO day or instant, as Chinese government APIs write dates (Beijing time for instants). */
export function compactDay(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value.replaceAll('-', '');
  return new Date(Date.parse(value) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}
