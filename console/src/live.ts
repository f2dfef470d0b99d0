import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/**
 * A subscription over graphql-ws on the hub's /graphql, with the user's token. The text sent is
 * the operation's own, which a hub running only trusted documents matches against its manifest.
 */
export function subscribe<R>(token: string, operation: TypedDocumentNode<R, Record<string, never>>, onData: (data: R) => void, onError: (message: string) => void): () => void {
  const client: Client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  const stop = client.subscribe<R>(
    { query: print(operation) },
    {
      next: (result) => (result.data ? onData(result.data) : onError(result.errors?.[0]?.message ?? 'the subscription failed')),
      error: (error) => onError(error instanceof Error ? error.message : Array.isArray(error) ? String((error[0] as { message?: string })?.message) : 'the connection was lost'),
      complete: () => undefined,
    },
  );
  return () => {
    stop();
    void client.dispose();
  };
}
