/**
 * Fault injection shared by the sandboxes of our upstreams (tax, court, utility, invoice,
 * registry...): which data requests fail and how, the faulty answers themselves, the admin
 * endpoints that change the setting at run time, request statistics, the sockets left hanging
 * by `timeout` faults, and the parser of the hub's `source=rate,...` syntax.
 *
 * Determinism: the decision for each data request is drawn from a PRNG seeded with the
 * setting's seed and reset whenever the setting changes, so a given seed and request sequence
 * always produce the same faults; the details of one fault (a delay, a cut position, which
 * records drift) come from a stream seeded by that same draw.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { systemClock } from '../../src/ingest/sdk.js';

export const FAULT_KINDS = ['latency', 'http500', 'http429', 'timeout', 'truncated', 'malformed', 'drift', 'duplicates'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Fault injection as set by an option, `PUT /admin/faults` or `setFaults`. */
export interface FaultSettings {
  /** Share of data requests that get a fault, 0..1. */
  rate: number;
  /** The kinds to choose among. @default all of FAULT_KINDS */
  kinds?: FaultKind[];
  /** Seed of the PRNG that picks the faulty requests and their kinds. @default 1 */
  seed?: number;
}

export interface ResolvedFaultSettings {
  rate: number;
  kinds: FaultKind[];
  seed: number;
}

export const faultSettingsSchema = z.strictObject({
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
  seed: z.int().min(0).max(2 ** 32 - 1).optional(),
});

export interface SandboxStats {
  /** Data requests received, answered or not, authorized or not. */
  requests: number;
  /** Faults actually applied, by kind. */
  faults: Partial<Record<FaultKind, number>>;
}

/** Validates a fault setting; the error names the offending fields. */
export function resolveFaultSettings(settings: unknown): ResolvedFaultSettings {
  const parsed = faultSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
    throw new RangeError(`invalid fault setting: ${reasons.join('; ')}`);
  }
  return { rate: parsed.data.rate, kinds: [...new Set(parsed.data.kinds ?? FAULT_KINDS)], seed: parsed.data.seed ?? 1 };
}

// ---- randomness ----

/** A uniform draw in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to pick faults; not for anything secret. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- answers ----

/** What a data endpoint would answer without faults. */
export interface DataAnswer<R = unknown> {
  status: number;
  body: unknown;
  /** Present when the answer is a page of records: what `drift` and `duplicates` work on. */
  page?: PageParts<R>;
}

export interface PageParts<R> {
  /** The page's records, in wire format. */
  records: R[];
  /** The previous page's records of the same query (empty on the first page). */
  previous: R[];
  /** The body with these records in place of the page's. */
  withRecords(records: unknown[]): unknown;
  /** One record drifted from the documented schema (a renamed field, an amount as a number...). */
  drift(record: R, random: Random): unknown;
}

/** The fault drawn for one data request, with a random stream for its details. */
export interface FaultDraw {
  kind: FaultKind | null;
  random: Random;
}

export interface FaultBodies {
  /** Body of an `http500` answer. @default { code: 'SYSTEM_ERROR', message: ... } */
  serverError?: unknown;
  /** Body of an `http429` answer. @default { code: 'RATE_LIMITED', message: ... } */
  tooManyRequests?: unknown;
}

/** A page a gateway or WAF sends instead of the API's answer. */
const MALFORMED_PAGE =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>系统维护中</title></head>' +
  '<body><h1>系统维护中，请稍后访问</h1><p>Service temporarily unavailable.</p><hr><address>nginx</address></body></html>\n';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

function sendText(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  const buffer = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(buffer.length), ...headers });
  res.end(buffer);
}

/**
 * Decides which data requests fail, answers them, counts them, and keeps the sockets of
 * requests it decided never to answer so that `closeHung` can end them.
 */
export class FaultInjector {
  private current: ResolvedFaultSettings;
  private random: Random;
  private rateLimited = 0;
  private readonly counts: SandboxStats = { requests: 0, faults: {} };
  private readonly hung = new Set<Socket>();
  private readonly delays = new Set<{ timer: NodeJS.Timeout; socket: Socket | null }>();
  private readonly bodies: Required<FaultBodies>;

  constructor(settings: FaultSettings = { rate: 0 }, bodies: FaultBodies = {}) {
    this.current = resolveFaultSettings(settings);
    this.random = seededRandom(this.current.seed);
    this.bodies = {
      serverError: bodies.serverError ?? { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' },
      tooManyRequests: bodies.tooManyRequests ?? { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后重试' },
    };
  }

  /** Replaces the setting and restarts the PRNG from its seed; throws on an invalid setting. */
  configure(settings: unknown): ResolvedFaultSettings {
    this.current = resolveFaultSettings(settings);
    this.random = seededRandom(this.current.seed);
    this.rateLimited = 0;
    return this.settings();
  }

  settings(): ResolvedFaultSettings {
    return { ...this.current, kinds: [...this.current.kinds] };
  }

  stats(): SandboxStats {
    return { requests: this.counts.requests, faults: { ...this.counts.faults } };
  }

  /** Counts a data request; call it for every one, before authentication. */
  countRequest(): void {
    this.counts.requests++;
  }

  /** Draws the fault of the next data request: always three draws, so the sequence depends on requests only. */
  draw(): FaultDraw {
    const chance = this.random();
    const pick = this.random();
    const detailSeed = Math.floor(this.random() * 4294967296);
    const { rate, kinds } = this.current;
    const kind = rate > 0 && chance < rate ? (kinds[Math.floor(pick * kinds.length)] ?? null) : null;
    return { kind, random: seededRandom(detailSeed) };
  }

  /** Sends the answer, or the fault drawn for it. */
  deliver<R>(res: ServerResponse, answer: DataAnswer<R>, draw: FaultDraw): void {
    const { kind, random } = draw;
    const normal = () => sendJson(res, answer.status, answer.body);
    switch (kind) {
      case null:
        return normal();
      case 'latency': {
        this.applied(kind);
        const socket = res.socket;
        const entry = {
          socket,
          timer: setTimeout(() => {
            this.delays.delete(entry);
            if (!res.destroyed && !res.writableEnded) normal();
          }, 200 + Math.floor(random() * 601)),
        };
        this.delays.add(entry);
        return;
      }
      case 'http500':
        this.applied(kind);
        return sendJson(res, 500, this.bodies.serverError);
      case 'http429': {
        this.applied(kind);
        // Every other 429 gives an HTTP-date (RFC 9110 §10.2.3) about a second ahead, rounded to the second.
        const asDate = this.rateLimited++ % 2 === 1;
        const retryAfter = asDate ? new Date(Math.round((systemClock().getTime() + 1000) / 1000) * 1000).toUTCString() : '1';
        return sendJson(res, 429, this.bodies.tooManyRequests, { 'retry-after': retryAfter });
      }
      case 'timeout': {
        this.applied(kind);
        const socket = res.socket;
        if (socket) {
          this.hung.add(socket);
          socket.once('close', () => this.hung.delete(socket));
        }
        return;
      }
      case 'truncated': {
        this.applied(kind);
        const text = JSON.stringify(answer.body);
        // Cut somewhere in the middle half; a proper prefix of a JSON object is never valid JSON.
        const cut = Math.max(1, Math.floor(text.length * (0.25 + random() * 0.5)));
        return sendText(res, answer.status, text.slice(0, Math.min(cut, text.length - 1)), 'application/json; charset=utf-8');
      }
      case 'malformed':
        this.applied(kind);
        return sendText(res, 200, MALFORMED_PAGE, 'text/html; charset=utf-8');
      case 'drift': {
        const page = answer.page;
        if (!page || page.records.length === 0) return normal();
        this.applied(kind);
        // About half of the records drift, and at least one.
        const chosen = page.records.map(() => random() < 0.5);
        if (!chosen.includes(true)) chosen[Math.floor(random() * chosen.length)] = true;
        return sendJson(res, answer.status, page.withRecords(page.records.map((record, i) => (chosen[i] ? page.drift(record, random) : record))));
      }
      case 'duplicates': {
        const page = answer.page;
        if (!page || (page.records.length === 0 && page.previous.length === 0)) return normal();
        this.applied(kind);
        const records: unknown[] = [...page.records];
        if (page.previous.length > 0 && (records.length === 0 || random() < 0.5)) {
          // The last record of the previous page again, as when rows shift between two page reads.
          records.unshift(page.previous[page.previous.length - 1]);
        } else {
          const at = Math.floor(random() * records.length);
          records.splice(at + 1, 0, records[at]);
        }
        return sendJson(res, answer.status, page.withRecords(records));
      }
    }
  }

  /** Ends the requests left unanswered by `timeout` faults and the ones still delayed. */
  closeHung(): void {
    for (const socket of this.hung) socket.destroy();
    this.hung.clear();
    for (const { timer, socket } of this.delays) {
      clearTimeout(timer);
      socket?.destroy();
    }
    this.delays.clear();
  }

  private applied(kind: FaultKind) {
    this.counts.faults[kind] = (this.counts.faults[kind] ?? 0) + 1;
  }
}

// ---- admin endpoints ----

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/**
 * `GET /admin/health`, `GET|PUT /admin/faults`, `GET /admin/stats`: no authentication, and
 * refused (403) unless the caller is on the loopback interface.
 */
export function faultAdminRouter(injector: FaultInjector): Router {
  const router = express.Router();
  router.use('/admin', (req: Request, res: Response, next: NextFunction) => {
    if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'admin endpoints answer on loopback only' });
    next();
  });
  router.get('/admin/health', (_req, res) => sendJson(res, 200, { status: 'UP' }));
  router.get('/admin/faults', (_req, res) => sendJson(res, 200, injector.settings()));
  router.put('/admin/faults', express.json({ limit: '16kb' }), (req, res) => {
    try {
      sendJson(res, 200, injector.configure(req.body));
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  router.get('/admin/stats', (_req, res) => sendJson(res, 200, injector.stats()));
  return router;
}

// ---- the hub's environment syntax ----

/**
 * Parses `tax=0.3,court=0.1` into `{ tax: 0.3, court: 0.1 }`. Blank entries are ignored; an
 * entry that is not `source=rate`, names an unknown or repeated source, or has a rate outside
 * 0..1 throws an Error naming the entry.
 */
export function parseSandboxFaults(text: string, sources: readonly string[]): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = /^([a-z][a-z0-9-]*)\s*=\s*(\d+(?:\.\d+)?|\.\d+)$/.exec(entry);
    if (!match) throw new Error(`sandbox faults: entry '${entry}' is not source=rate, e.g. tax=0.3`);
    const [, source = '', rateText = ''] = match;
    if (!sources.includes(source)) throw new Error(`sandbox faults: entry '${entry}' names no sandbox (known: ${sources.join(', ')})`);
    if (Object.hasOwn(rates, source)) throw new Error(`sandbox faults: entry '${entry}' repeats source '${source}'`);
    const rate = Number(rateText);
    if (!(rate >= 0 && rate <= 1)) throw new Error(`sandbox faults: entry '${entry}' has a rate outside 0..1`);
    rates[source] = rate;
  }
  return rates;
}
