import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** A GraphQL error as the hub sends it: a message to show, and a code to act on. */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Any failure of a request as a HubRequestError: the hub's own, or the network's. */
export function asRefusal(failure: unknown): HubRequestError {
  return failure instanceof HubRequestError ? failure : new HubRequestError(failure instanceof Error ? failure.message : String(failure), 'NETWORK');
}

type Operation<R, V> = TypedDocumentNode<R, V> & { __meta__?: { hash?: string } };

/**
 * Sends one of the console's operations (src/operations.ts) by its trusted-document id, with the
 * user's token. The first error's message and code become a HubRequestError.
 */
export async function request<R, V>(token: string, operation: Operation<R, V>, variables?: V): Promise<R> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ documentId: operation.__meta__?.hash, variables: variables ?? {} }),
  });
  const body = (await response.json().catch(() => ({ errors: [{ message: `the hub answered ${response.status}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }))) as {
    data?: R;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const [error] = body.errors ?? [];
  if (error) throw new HubRequestError(error.message, error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  return body.data as R;
}
