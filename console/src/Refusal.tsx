import { Alert } from '@mantine/core';
import type { HubRequestError } from './client';

/** What the hub refused, as it said it: the code and the message (a maker deciding their own application, a token it does not trust...). */
export function Refusal({ error }: { error: HubRequestError | null }) {
  if (!error) return null;
  return (
    <Alert color="red" title={error.code} data-testid="refusal" mt="xs">
      {error.message}
    </Alert>
  );
}
