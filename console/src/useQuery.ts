import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useState } from 'react';
import { asRefusal, request, type HubRequestError } from './client';

export type QueryState<R> = { status: 'loading' } | { status: 'error'; error: HubRequestError } | { status: 'done'; data: R };

/**
 * Runs an operation whenever its variables (or `version`, to ask again) change; a later answer
 * replaces an earlier one only if it is the latest asked.
 */
export function useQuery<R, V>(token: string, operation: TypedDocumentNode<R, V>, variables: V, version = 0): QueryState<R> {
  const [state, setState] = useState<QueryState<R>>({ status: 'loading' });
  const key = JSON.stringify(variables);
  useEffect(() => {
    let current = true;
    // Asked again: the current answer stays on screen until the new one comes.
    if (version === 0) setState({ status: 'loading' });
    request(token, operation, JSON.parse(key) as V).then(
      (data) => current && setState({ status: 'done', data }),
      (error: unknown) => current && setState({ status: 'error', error: asRefusal(error) }),
    );
    return () => {
      current = false;
    };
  }, [token, operation, key, version]);
  return state;
}
