import { Alert, Badge, Button, Card, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { asRefusal, request, type HubRequestError } from '../client';
import type { AlertFieldsFragment, AlertStatus } from '../generated/graphql';
import { useT } from '../i18n';
import { subscribe } from '../live';
import { ACKNOWLEDGE_ALERT, ALERTS, ALERT_RAISED, ASSIGN_ALERT, RESOLVE_ALERT } from '../operations';
import { tokenViewer } from '../session';
import { Refusal } from '../Refusal';
import { useQuery } from '../useQuery';

const STATUSES: AlertStatus[] = ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'];
const COLORS: Record<string, string> = { CRITICAL: 'red', WARNING: 'orange', INFO: 'blue' };

function AlertCard({ token, alert, fresh, onChanged }: { token: string; alert: AlertFieldsFragment; fresh: boolean; onChanged: (alert: AlertFieldsFragment) => void }) {
  const { t } = useT();
  const [note, setNote] = useState('');
  const [error, setError] = useState<HubRequestError | null>(null);
  const me = tokenViewer(token)?.user ?? '';
  const act = async (work: () => Promise<AlertFieldsFragment>) => {
    try {
      setError(null);
      onChanged(await work());
    } catch (failure) {
      setError(asRefusal(failure));
    }
  };
  return (
    <Card withBorder data-testid="alert" data-code={alert.signal.code} data-uscc={alert.enterprise.uscc} style={fresh ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}>
      <Group justify="space-between">
        <Group>
          {fresh && <Badge color="red">{t('newAlert')}</Badge>}
          <Badge color={COLORS[alert.signal.severity] ?? 'gray'}>{alert.signal.severity}</Badge>
          <Text fw={500}>{alert.signal.code}</Text>
          <a href={`#/enterprise/${alert.enterprise.uscc}`}>{alert.enterprise.name}</a>
          <Text size="sm">
            {t('action')}: {alert.recommendedAction}
          </Text>
        </Group>
        <Group>
          <Badge variant="outline" data-testid="alert-status">
            {alert.status}
          </Badge>
          <Text size="sm" c="dimmed">
            {alert.assignee ? `${t('assignee')}: ${alert.assignee} · ` : ''}
            {alert.createdAt.slice(0, 16).replace('T', ' ')}
          </Text>
        </Group>
      </Group>
      {alert.resolutionNote && <Text size="sm">{alert.resolutionNote}</Text>}
      <Group mt="xs">
        {alert.status === 'OPEN' && (
          <Button size="xs" onClick={() => act(async () => (await request(token, ACKNOWLEDGE_ALERT, { id: alert.id })).acknowledgeAlert)}>
            {t('acknowledge')}
          </Button>
        )}
        {alert.status !== 'RESOLVED' && alert.assignee !== me && (
          <Button size="xs" variant="light" onClick={() => act(async () => (await request(token, ASSIGN_ALERT, { id: alert.id, user: me })).assignAlert)}>
            {t('assignToMe')}
          </Button>
        )}
        {alert.status === 'ACKNOWLEDGED' && (
          <>
            <TextInput size="xs" aria-label={t('note')} placeholder={t('note')} value={note} onChange={(event) => setNote(event.currentTarget.value)} w={280} />
            <Button size="xs" color="green" onClick={() => act(async () => (await request(token, RESOLVE_ALERT, { id: alert.id, note })).resolveAlert)}>
              {t('resolve')}
            </Button>
          </>
        )}
      </Group>
      {error && (
        <Refusal error={error} />
      )}
    </Card>
  );
}

/** The alert inbox: alerts by status, new ones arriving live over the subscription, and their handling. */
export function AlertsPage({ token }: { token: string }) {
  const { t } = useT();
  const [status, setStatus] = useState<AlertStatus | null>('OPEN');
  const list = useQuery(token, ALERTS, { status, first: 100 });
  const [arrived, setArrived] = useState<AlertFieldsFragment[]>([]);
  const [changed, setChanged] = useState<Record<string, AlertFieldsFragment>>({});
  const [liveProblem, setLiveProblem] = useState<string | null>(null);
  useEffect(() => subscribe(token, ALERT_RAISED, (data) => setArrived((before) => [data.alertRaised, ...before]), setLiveProblem), [token]);
  const listed = list.status === 'done' ? list.data.alerts.edges.map((edge) => edge.node) : [];
  const seen = new Set(listed.map((alert) => alert.id));
  const fresh = arrived.filter((alert) => !seen.has(alert.id) && (!status || alert.status === status));
  const shown = [...fresh, ...listed].map((alert) => changed[alert.id] ?? alert);
  return (
    <Stack>
      <Group>
        <Title order={3}>{t('alerts')}</Title>
        <Badge color="green" variant="dot" data-testid="live">
          {t('live')}
        </Badge>
        <Select aria-label={t('status')} data={[{ value: '', label: t('allStates') }, ...STATUSES.map((value) => ({ value, label: value }))]} value={status ?? ''} onChange={(value) => setStatus((value || null) as AlertStatus | null)} w={200} />
        {list.status === 'done' && <Text c="dimmed">{list.data.alerts.totalCount + fresh.length}</Text>}
      </Group>
      {liveProblem && <Alert color="yellow">{liveProblem}</Alert>}
      {list.status === 'loading' && <Loader />}
      {list.status === 'error' && <Refusal error={list.error} />}
      {shown.map((alert) => (
        <AlertCard key={alert.id} token={token} alert={alert} fresh={fresh.some((candidate) => candidate.id === alert.id)} onChanged={(next) => setChanged((before) => ({ ...before, [next.id]: next }))} />
      ))}
    </Stack>
  );
}
