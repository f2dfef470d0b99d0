import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { tokenViewer } from '../session';

/**
 * Sign in by choosing a demo role (the hub hands out its demo tokens in development only), or by
 * pasting a token of the bank's identity provider or of `npm run cli -- token`.
 */
export function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const { t } = useT();
  const [demo, setDemo] = useState<Record<string, string>>({});
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    fetch('/console/demo-tokens')
      .then((response) => (response.ok ? (response.json() as Promise<{ tokens: Record<string, string> }>) : { tokens: {} }))
      .then((body) => setDemo(body.tokens))
      .catch(() => setDemo({}));
  }, []);
  return (
    <Card withBorder maw={640} mx="auto" mt="xl" padding="lg">
      <Stack>
        <Title order={2}>{t('signIn')}</Title>
        {Object.keys(demo).length > 0 && (
          <>
            <Text fw={500}>{t('demoRoles')}</Text>
            <Group>
              {Object.entries(demo).map(([role, token]) => (
                <Button key={role} variant="light" onClick={() => onToken(token)}>
                  {role}
                </Button>
              ))}
            </Group>
          </>
        )}
        <Textarea label={t('pasteToken')} aria-label={t('token')} autosize minRows={3} value={pasted} onChange={(event) => setPasted(event.currentTarget.value.trim())} />
        {problem && <Alert color="red">{problem}</Alert>}
        <Button
          onClick={() => {
            if (!tokenViewer(pasted)) return setProblem(t('tokenInvalid'));
            setProblem(null);
            onToken(pasted);
          }}
        >
          {t('signIn')}
        </Button>
      </Stack>
    </Card>
  );
}
