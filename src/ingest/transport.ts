import { monotonicMs, systemClock } from '../common/clock.js';
import { metrics } from '../common/metrics.js';
import type { AxiosError} from 'axios';
import axios, { type AxiosInstance } from 'axios';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';

/**
 * The one way a connector reaches its upstream. Made by the engine per source, it owns the
 * reliability every connector needs: a per-attempt timeout and a response-size limit (axios
 * has neither by default), bounded concurrency, a request rate, retries with exponential
 * backoff and full jitter that honour Retry-After, and a circuit breaker. Errors are wrapped
 * at this boundary with method, path, status and a body summary — never credentials.
 */
export interface TransportRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** A form body (OAuth2) or JSON. */
  form?: Record<string, string>;
  json?: unknown;
}

export interface TransportOptions {
  /** The source it serves, for its metrics; none for a transport outside the hub. */
  source?: string;
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number;
  requestsPerSecond: number;
  concurrency: number;
  /** Attempts after the first. @default 5 */
  retries?: number;
  /** Base and cap of the exponential backoff, in ms. @default 100, 5000 */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Consecutive failed attempts that open the circuit, and how long it stays open. Keep the
   * threshold above one request's attempts, so one unlucky request cannot open it.
   * @default 12, 10000
   */
  breaker?: { failures: number; halfOpenAfterMs: number };
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    message: string,
    readonly details: {
      method: string;
      path: string;
      status?: number;
      /** Whether trying again may succeed (timeouts, 5xx, 429, a garbled body). */
      retryable: boolean;
      retryAfterMs?: number;
      bodySummary?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type CircuitStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'ISOLATED';

const circuitStateNames: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'CLOSED',
  [CircuitState.Open]: 'OPEN',
  [CircuitState.HalfOpen]: 'HALF_OPEN',
  [CircuitState.Isolated]: 'ISOLATED',
};

export interface Transport {
  /** Sends a request and parses the JSON answer; throws UpstreamError when it cannot. */
  request<T = unknown>(request: TransportRequest, signal?: AbortSignal): Promise<{ status: number; body: T }>;
  circuitState(): CircuitStateName;
}

/** Full jitter (AWS architecture blog): a uniform delay in [0, min(cap, base·2^attempt)], at least Retry-After. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly options: { initialMs: number; maxMs: number }) {}
  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** (context.attempt - 1));
    const jittered = Math.random() * ceiling;
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfter = error instanceof UpstreamError ? (error.details.retryAfterMs ?? 0) : 0;
    return { duration: Math.max(jittered, retryAfter), next: (next) => this.next(next) };
  }
}

/**
 * How long a Retry-After header asks to wait: seconds, or an HTTP-date, which is read against
 * the response's own Date (`now`), so a difference between the upstream's clock and ours does
 * not lengthen or cut the wait.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function createTransport(options: TransportOptions): Transport {
  const http: AxiosInstance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxContentLength: options.maxResponseBytes,
    maxBodyLength: 1024 * 1024,
    // An upstream API does not redirect; following one would also send its credentials to wherever it points.
    // (With none followed, axios also skips the follow-redirects wrapper around each request.)
    maxRedirects: 0,
    // Parse here, not in axios: a truncated or non-JSON body must become a typed, retryable error.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
  const retryable = handleWhen((error) => error instanceof UpstreamError && error.details.retryable);
  const breaker = circuitBreaker(retryable, {
    halfOpenAfter: options.breaker?.halfOpenAfterMs ?? 10_000,
    breaker: new ConsecutiveBreaker(options.breaker?.failures ?? 12),
  });
  const policy = wrap(
    retry(retryable, {
      maxAttempts: options.retries ?? 5,
      backoff: new RetryAfterBackoff(options.backoff ?? { initialMs: 100, maxMs: 5000 }),
    }),
    breaker,
    bulkhead(options.concurrency, Number.MAX_SAFE_INTEGER),
    timeout(options.timeoutMs + 1000, TimeoutStrategy.Aggressive),
  );
  const spacing = 1000 / options.requestsPerSecond;
  let nextSlot = 0;
  /** Spaces request starts at the upstream's allowed rate. */
  const paced = async () => {
    const now = monotonicMs();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacing;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };

  const count = (outcome: Parameters<typeof metrics.connectorRequest>[1]) => {
    if (options.source) metrics.connectorRequest(options.source, outcome);
  };
  const attempt = async <T>(request: TransportRequest, signal: AbortSignal | undefined) => {
    await paced();
    const where = { method: request.method, path: request.path };
    let response;
    try {
      response = await http.request<string>({
        method: request.method,
        url: request.path,
        params: request.query,
        headers: {
          accept: 'application/json',
          ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...request.headers,
        },
        data: request.form ? new URLSearchParams(request.form).toString() : request.json,
        signal,
      });
    } catch (error) {
      count('network_error');
      const axiosError = error as AxiosError;
      const tooLarge = axiosError.message?.includes('maxContentLength');
      throw new UpstreamError(
        `${request.method} ${request.path}: ${tooLarge ? 'response larger than allowed' : axiosError.code === 'ECONNABORTED' ? `no answer within ${options.timeoutMs} ms` : axiosError.message}`,
        { ...where, retryable: !tooLarge },
        { cause: error },
      );
    }
    const summary = String(response.data ?? '').slice(0, 200);
    if (response.status === 429 || response.status >= 500) {
      count('server_error');
      const answeredAt = Date.parse(String(response.headers.date ?? ''));
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'] as string | undefined, Number.isNaN(answeredAt) ? systemClock().getTime() : answeredAt);
      throw new UpstreamError(`${request.method} ${request.path}: upstream answered ${response.status}`, {
        ...where,
        status: response.status,
        retryable: true,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        bodySummary: summary,
      });
    }
    let body: T;
    try {
      body = JSON.parse(response.data) as T;
    } catch (error) {
      count('invalid_json');
      throw new UpstreamError(
        `${request.method} ${request.path}: answer ${response.status} is not valid JSON`,
        { ...where, status: response.status, retryable: true, bodySummary: summary },
        { cause: error },
      );
    }
    count(response.status >= 400 ? 'client_error' : 'ok');
    return { status: response.status, body };
  };
  if (options.source) metrics.watchCircuit(options.source, () => circuitStateNames[breaker.state]);

  return {
    async request<T>(request: TransportRequest, signal?: AbortSignal) {
      try {
        // The caller's signal goes to the policies, whose own signal (aborted as well on the
        // policy timeout) goes to the request: an aborted run stops its retries and backoffs too.
        return await policy.execute(({ signal: attemptSignal }) => attempt<T>(request, attemptSignal), signal);
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          count('circuit_open');
          throw new UpstreamError(`${request.method} ${request.path}: circuit open after repeated failures`, {
            method: request.method,
            path: request.path,
            retryable: false,
          });
        }
        if (error instanceof TaskCancelledError || error instanceof BulkheadRejectedError) {
          throw new UpstreamError(`${request.method} ${request.path}: ${error.message}`, {
            method: request.method,
            path: request.path,
            retryable: false,
          });
        }
        throw error;
      }
    },
    circuitState: () => circuitStateNames[breaker.state],
  };
}
