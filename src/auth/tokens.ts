import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Clock } from '../common/clock.js';
import { UnauthenticatedError } from '../common/errors.js';
import type { AuthConfig } from '../config/config.js';
import { canonicalUser, checkSeparation, RESERVED_USERS } from './identity.js';
import { ROLES, type Viewer } from './roles.js';

/** Issuer and audience of the tokens the hub signs itself (HS256); an identity provider's are configured. */
const OWN_ISSUER = 'creditgraph';
const OWN_AUDIENCE = 'creditgraph-hub';
/** Clocks of the hub and the token's issuer may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1),
});

/**
 * Turns a bearer token into who is acting — its subject as a canonical name (src/auth/identity.ts) —
 * or refuses it: UNAUTHENTICATED, or FORBIDDEN for roles one person may not hold together.
 */
export interface Authenticator {
  verify(token: string): Promise<Verified>;
  /** The clock tokens are checked on: a verified token lasts until `untilMs` on it. */
  clock: Clock;
}

/** Who a token speaks for, and until when (ms since the epoch, with the clock tolerance). */
export interface Verified {
  viewer: Viewer;
  untilMs: number;
}

/** How the hub verifies tokens: a shared secret it also signs with, or an identity provider's JWKS. */
export type TokenKeys = { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; url: string; issuer: string; audience: string };

/**
 * Verifies tokens on `clock`: the real one in a hub (src/common/clock.ts), so a credential's
 * lifetime is real time even while the demo's today jumps a month.
 */
export function createAuthenticator(keys: TokenKeys, clock: Clock): Authenticator {
  const verify =
    keys.kind === 'secret'
      ? (token: string) => jwtVerify(token, keys.secret, { algorithms: ['HS256'], issuer: OWN_ISSUER, audience: OWN_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SECONDS, currentDate: clock() })
      : (() => {
          const jwks = createRemoteJWKSet(new URL(keys.url));
          return (token: string) =>
            jwtVerify(token, jwks, {
              algorithms: ['RS256', 'ES256'],
              clockTolerance: CLOCK_TOLERANCE_SECONDS,
              issuer: keys.issuer,
              audience: keys.audience,
              currentDate: clock(),
            });
        })();
  // A token is immutable and carries its expiry, so its verification holds until then: a client
  // sends the same token with every request, and checking its signature each time (about
  // 0.1 ms in jose) would cost more than many queries.
  const verified = new Map<string, Verified>();

  async function verifyOnce(token: string): Promise<Verified> {
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      throw new UnauthenticatedError(describeFailure(error));
    }
    if (payload.exp === undefined) throw new UnauthenticatedError('the token has no expiry (exp); the hub accepts only tokens that expire');
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new UnauthenticatedError(`the token's claims are not the hub's: it needs sub (the user) and roles (some of ${ROLES.join(', ')})`);
    }
    const user = canonicalUser(claims.data.sub);
    if (user === '') throw new UnauthenticatedError("the token's subject names no one");
    if (RESERVED_USERS.includes(user)) throw new UnauthenticatedError(`the token's subject '${user}' is the hub's own name for its automatic work`);
    const roles = [...new Set(claims.data.roles)];
    checkSeparation(roles);
    return { viewer: { user, roles }, untilMs: (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000 };
  }

  return {
    clock,
    async verify(token) {
      const known = verified.get(token);
      if (known && clock().getTime() < known.untilMs) return known;
      const fresh = await verifyOnce(token);
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
      verified.set(token, fresh);
      return fresh;
    },
  };
}

/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_TOKENS_KEPT = 10_000;

function describeFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm the hub does not accept';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the identity provider matches the token';
  if (error instanceof joseErrors.JOSEError && (error.code === 'ERR_JWKS_TIMEOUT' || error.code === 'ERR_JOSE_GENERIC')) {
    return 'the identity provider\'s keys could not be fetched';
  }
  return 'the token is malformed';
}

/** Parses `8h`, `30m`, `7d`, `90s` into seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  if (!match) throw new Error(`--ttl ${value}: expected a number and a unit, e.g. 30m, 8h or 7d`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > 30 * 86400) throw new Error(`--ttl ${value}: from 1s to 30d`);
  return seconds;
}

/** A token the hub accepts when it verifies with `secret`, issued at `now`: for the CLI, the demo and tests. */
export async function signToken(secret: Uint8Array, viewer: Viewer, ttlSeconds: number, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ roles: [...viewer.roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(viewer.user)
    .setIssuer(OWN_ISSUER)
    .setAudience(OWN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(secret);
}

const DEVELOPMENT_SECRET_FILE = 'jwt-secret';

/**
 * The keys of this deployment: JWT_SECRET or JWKS_URL when configured (production requires
 * one; config.ts enforces it). In development a random secret is made once and kept in
 * DATA_DIR, so tokens survive restarts; with DATA_DIR=memory it lives as long as the process.
 */
export function resolveTokenKeys(auth: AuthConfig, dataDir: string): TokenKeys {
  if (auth.kind === 'secret') return { kind: 'secret', secret: new TextEncoder().encode(auth.secret) };
  if (auth.kind === 'jwks') return { kind: 'jwks', url: auth.url, issuer: auth.issuer, audience: auth.audience };
  if (dataDir === 'memory') return { kind: 'secret', secret: memorySecret };
  const file = join(dataDir, DEVELOPMENT_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process (the hub, or a `token` command) made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { kind: 'secret', secret: new TextEncoder().encode(readFileSync(file, 'utf8').trim()) };
}

const memorySecret = new Uint8Array(randomBytes(32));
