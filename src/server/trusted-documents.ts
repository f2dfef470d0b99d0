import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import type { NextFunction, Request, Response } from 'express';
import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { metrics } from '../common/metrics.js';

/**
 * Trusted documents (persisted operations): the operations the hub's own clients send, by the
 * ids graphql-codegen's client preset gives them (`sha256:<hex>` of the normalized document, as
 * GraphQL over HTTP's persisted-documents appendix has it), from the manifests it writes.
 *
 * A request may name its operation by `documentId` instead of sending the text. With
 * TRUSTED_DOCUMENTS_ONLY the hub runs nothing else: a text is accepted only when, normalized as
 * the client preset normalizes it, it is one of the manifests' (so a websocket client, which must
 * send text, works too), and any other is refused before it is parsed by GraphQL.
 */
export const BUILT_IN_MANIFESTS = [
  fileURLToPath(new URL('../generated/cli/persisted-documents.json', import.meta.url)),
  fileURLToPath(new URL('../../console/src/generated/persisted-documents.json', import.meta.url)),
];

export class TrustedDocumentsError extends Error {}

export interface TrustedDocuments {
  /** Only the manifests' operations run. */
  readonly only: boolean;
  readonly size: number;
  byId(id: string): string | undefined;
  /** Whether a document is one of the manifests', however it is laid out. */
  trusts(text: string): boolean;
}

export function documentHash(normalized: string): string {
  return `sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}

/** Reads manifests (`{ "sha256:<hex>": "<document>" }`), refusing one whose ids are not its documents' hashes. */
export function loadTrustedDocuments(files: readonly string[], only: boolean): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const file of files) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      // Node's own errors may come from another realm (under a test runner's VM), so not `instanceof Error`.
      throw new TrustedDocumentsError(`${file}: ${(error as Error).message ?? String(error)}`);
    }
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new TrustedDocumentsError(`${file}: not a JSON object of document ids to documents`);
    for (const [id, text] of Object.entries(manifest)) {
      if (typeof text !== 'string' || documentHash(text) !== id) throw new TrustedDocumentsError(`${file}: ${id} is not the sha256 of its document`);
      documents.set(id, text);
    }
  }
  // Texts are compared normalized, so a manifest written by another tool matches too.
  const normalizedHash = (text: string) => documentHash(printExecutableGraphQLDocument(parse(text, { noLocation: true, maxTokens: 10_000 })));
  const known = new Set<string>();
  for (const [id, text] of documents) {
    try {
      known.add(normalizedHash(text));
    } catch (error) {
      throw new TrustedDocumentsError(`${id}: not a GraphQL document: ${(error as Error).message}`);
    }
  }
  // Verdicts on texts seen, bounded: a client sends the same few texts again and again.
  const verdicts = new Map<string, boolean>();
  return {
    only,
    size: documents.size,
    byId: (id) => documents.get(id),
    trusts(text) {
      let verdict = verdicts.get(text);
      if (verdict === undefined) {
        try {
          verdict = known.has(normalizedHash(text));
        } catch {
          verdict = false;
        }
        if (verdicts.size >= 1000) verdicts.clear();
        verdicts.set(text, verdict);
      }
      return verdict;
    },
  };
}

function refuse(response: Response, message: string, reason: string) {
  metrics.requestRefused('BAD_USER_INPUT');
  response.status(400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', reason } }] });
}

/**
 * Before Apollo: a `documentId` (in a POST body or a GET's query string) becomes its document; with
 * only trusted documents, a text that is not one is refused.
 */
export function trustedDocumentsMiddleware(trusted: TrustedDocuments) {
  return (request: Request, response: Response, next: NextFunction) => {
    const get = request.method === 'GET';
    const url = get ? new URL(request.url, 'http://hub') : undefined;
    const body: unknown = request.body;
    const fields: Record<string, unknown> =
      url ? Object.fromEntries(url.searchParams) : body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const { documentId, query } = fields;
    if (documentId !== undefined) {
      if (query !== undefined) return refuse(response, 'send a documentId or a query, not both', 'PERSISTED_QUERY_AND_QUERY');
      const text = typeof documentId === 'string' ? trusted.byId(documentId) : undefined;
      if (text === undefined) return refuse(response, `no trusted document has the id ${JSON.stringify(documentId).slice(0, 90)}`, 'PERSISTED_QUERY_NOT_FOUND');
      if (url) {
        url.searchParams.delete('documentId');
        url.searchParams.set('query', text);
        request.url = `${url.pathname}${url.search}`;
      } else {
        const fromBody = body as Record<string, unknown>;
        delete fromBody.documentId;
        fromBody.query = text;
      }
      return next();
    }
    if (trusted.only && typeof query === 'string' && !trusted.trusts(query)) {
      return refuse(response, 'this hub runs only trusted documents: send the documentId of an operation from its allowlist', 'PERSISTED_QUERY_REQUIRED');
    }
    next();
  };
}
