import { monotonicMs } from '../common/clock.js';
import type { Transport } from './transport.js';
import { UpstreamError } from './transport.js';

/**
 * OAuth2 client credentials for a connector's client: fetches a token on first use, reuses it
 * until shortly before it expires, and fetches a new one when the upstream says it is no
 * longer valid (`invalidate`). Concurrent callers share one token request.
 */
export function clientCredentials(
  transport: Transport,
  options: { tokenPath: string; clientId: string; clientSecret: string },
) {
  let token: { value: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (signal?: AbortSignal) => {
    const { status, body } = await transport.request<{ access_token?: unknown; expires_in?: unknown }>(
      {
        method: 'POST',
        path: options.tokenPath,
        form: { grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret },
      },
      signal,
    );
    if (status !== 200 || typeof body.access_token !== 'string') {
      throw new UpstreamError(`POST ${options.tokenPath}: no token (status ${status}); check the client id and secret`, {
        method: 'POST',
        path: options.tokenPath,
        status,
        retryable: false,
      });
    }
    const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 300;
    // Renew a little early, so a token never expires between check and use.
    token = { value: body.access_token, expiresAt: monotonicMs() + Math.max(1, lifetimeSeconds - 30) * 1000 };
    return token.value;
  };

  return {
    async authorization(signal?: AbortSignal): Promise<string> {
      if (token && token.expiresAt > monotonicMs()) return `Bearer ${token.value}`;
      pending ??= fetchToken(signal).finally(() => (pending = undefined));
      return `Bearer ${await pending}`;
    },
    invalidate() {
      token = undefined;
    },
  };
}
