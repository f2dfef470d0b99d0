import { monotonicMs } from '../common/clock.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport, parseRetryAfter, UpstreamError, type TransportOptions } from './transport.js';

/** An upstream that answers from a script, one entry per request, and counts them. */
async function scriptedUpstream(script: ((response: http.ServerResponse) => void)[]) {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    const answer = script[Math.min(requests, script.length - 1)]!;
    requests++;
    answer(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => (response: http.ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};
const options = (baseUrl: string, extra: Partial<TransportOptions> = {}): TransportOptions => ({
  baseUrl,
  timeoutMs: 500,
  maxResponseBytes: 10_000,
  requestsPerSecond: 1000,
  concurrency: 2,
  retries: 3,
  backoff: { initialMs: 5, maxMs: 20 },
  breaker: { failures: 3, halfOpenAfterMs: 200 },
  ...extra,
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('the transport', () => {
  it('retries 500, 429 and garbled bodies, then returns the answer', async () => {
    const upstream = await scriptedUpstream([
      json({ error: 'boom' }, 500),
      json({}, 429, { 'retry-after': '0' }),
      (response) => response.end('{"truncat'),
      json({ ok: true }),
    ]);
    const transport = createTransport(options(upstream.url, { retries: 5, breaker: { failures: 10, halfOpenAfterMs: 200 } }));
    await expect(transport.request({ method: 'GET', path: '/x' })).resolves.toEqual({ status: 200, body: { ok: true } });
    expect(upstream.requests()).toBe(4);
    await upstream.close();
  });

  it('waits at least as long as Retry-After says', async () => {
    const upstream = await scriptedUpstream([json({}, 503, { 'retry-after': '1' }), json({ ok: true })]);
    const transport = createTransport(options(upstream.url));
    const started = monotonicMs();
    await transport.request({ method: 'GET', path: '/x' });
    expect(monotonicMs() - started).toBeGreaterThanOrEqual(950);
    await upstream.close();
  });

  it("reads a Retry-After date against the upstream's own clock, whatever ours says", async () => {
    // The upstream's clock is years from ours: a date a second after its Date header is a second's wait.
    const headers = { date: 'Tue, 01 Jan 2030 00:00:00 GMT', 'retry-after': 'Tue, 01 Jan 2030 00:00:01 GMT' };
    const upstream = await scriptedUpstream([json({}, 503, headers), json({ ok: true })]);
    const transport = createTransport(options(upstream.url));
    const started = monotonicMs();
    await transport.request({ method: 'GET', path: '/x' });
    expect(monotonicMs() - started).toBeGreaterThanOrEqual(950);
    expect(monotonicMs() - started).toBeLessThan(4000);
    await upstream.close();
  });

  it('gives up after its retries with a typed error that names the request, not the credentials', async () => {
    const upstream = await scriptedUpstream([json({ error: 'down' }, 502)]);
    const transport = createTransport(options(upstream.url, { breaker: { failures: 100, halfOpenAfterMs: 200 } }));
    const failure = await transport.request({ method: 'GET', path: '/data', headers: { authorization: 'Bearer secret-token' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).message).toBe('GET /data: upstream answered 502');
    expect((failure as UpstreamError).details).toMatchObject({ status: 502, retryable: true, bodySummary: '{"error":"down"}' });
    expect(JSON.stringify((failure as UpstreamError).details)).not.toContain('secret-token');
    expect(upstream.requests()).toBe(4);
    await upstream.close();
  });

  it('opens the circuit after repeated failures, fails fast while open, and probes again later', async () => {
    const upstream = await scriptedUpstream([json({}, 500), json({}, 500), json({}, 500), json({ ok: true })]);
    const transport = createTransport(options(upstream.url, { retries: 0 }));
    for (let i = 0; i < 3; i++) await expect(transport.request({ method: 'GET', path: '/x' })).rejects.toThrow('answered 500');
    expect(transport.circuitState()).toBe('OPEN');
    await expect(transport.request({ method: 'GET', path: '/x' })).rejects.toThrow('circuit open');
    expect(upstream.requests()).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(transport.request({ method: 'GET', path: '/x' })).resolves.toMatchObject({ body: { ok: true } });
    expect(transport.circuitState()).toBe('CLOSED');
    await upstream.close();
  });

  it('times out a request that never answers, and refuses a body over the size limit without retrying', async () => {
    const hanging = await scriptedUpstream([() => undefined]);
    const transport = createTransport(options(hanging.url, { retries: 1, timeoutMs: 200 }));
    await expect(transport.request({ method: 'GET', path: '/slow' })).rejects.toThrow('no answer within 200 ms');
    expect(hanging.requests()).toBe(2);
    await hanging.close().catch(() => undefined);

    const big = await scriptedUpstream([json({ blob: 'x'.repeat(20_000) })]);
    const small = createTransport(options(big.url));
    await expect(small.request({ method: 'GET', path: '/big' })).rejects.toThrow('larger than allowed');
    expect(big.requests()).toBe(1);
    await big.close();
  });
});
