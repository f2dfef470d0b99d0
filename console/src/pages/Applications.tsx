import { Badge, Button, Card, Group, Loader, NumberInput, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import reasons from '../../../config/risk/decision-reasons.json';
import { asRefusal, request, type HubRequestError } from '../client';
import type { ApplicationFieldsFragment, ApplicationState } from '../generated/graphql';
import { useT } from '../i18n';
import { APPLICATIONS, CREATE_APPLICATION, DECIDE_APPLICATION, PRODUCTS, SUBMIT_APPLICATION, WITHDRAW_APPLICATION } from '../operations';
import { Refusal } from '../Refusal';
import { useQuery } from '../useQuery';
import { yuan } from '../format';

const STATES: ApplicationState[] = ['DRAFT', 'AWAITING_CONSENT', 'COLLECTING', 'ASSESSED', 'IN_REVIEW', 'APPROVED', 'DECLINED', 'WITHDRAWN', 'EXPIRED'];

function NewApplication({ token, onCreated }: { token: string; onCreated: () => void }) {
  const { t, local } = useT();
  const products = useQuery(token, PRODUCTS, {});
  const [uscc, setUscc] = useState('');
  const [product, setProduct] = useState<string | null>(null);
  const [amount, setAmount] = useState<string | number>('');
  const [term, setTerm] = useState<string | number>(12);
  const [error, setError] = useState<HubRequestError | null>(null);
  const create = async () => {
    try {
      setError(null);
      // The amount as typed: an exact decimal string, never a float.
      await request(token, CREATE_APPLICATION, { input: { uscc: uscc.trim().toUpperCase(), product: product ?? '', amount: String(amount), termMonths: Number(term) } });
      onCreated();
    } catch (failure) {
      setError(asRefusal(failure));
    }
  };
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        {t('newApplication')}
      </Title>
      <Group align="end">
        <TextInput label={t('uscc')} value={uscc} onChange={(event) => setUscc(event.currentTarget.value)} w={220} />
        <Select
          label={t('product')}
          data={products.status === 'done' ? products.data.products.map((p) => ({ value: p.id, label: local(p.name) })) : []}
          value={product}
          onChange={setProduct}
          w={180}
        />
        <NumberInput label={t('amount')} value={amount} onChange={setAmount} decimalScale={2} allowNegative={false} w={160} />
        <NumberInput label={t('term')} value={term} onChange={setTerm} allowDecimal={false} allowNegative={false} w={120} />
        <Button onClick={create}>{t('create')}</Button>
      </Group>
      <Refusal error={error} />
    </Card>
  );
}

function Decide({ token, application, onChanged }: { token: string; application: ApplicationFieldsFragment; onChanged: () => void }) {
  const { t, language } = useT();
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<HubRequestError | null>(null);
  const act = async (work: () => Promise<unknown>) => {
    try {
      setError(null);
      await work();
      onChanged();
    } catch (failure) {
      setError(asRefusal(failure));
    }
  };
  const { id, state } = application;
  const decide = (decision: 'APPROVE' | 'DECLINE') => act(() => request(token, DECIDE_APPLICATION, { id, decision, reasonCode, comment: comment.trim() || null }));
  return (
    <Stack gap="xs">
      <Group>
        {(state === 'DRAFT' || state === 'AWAITING_CONSENT') && <Button onClick={() => act(() => request(token, SUBMIT_APPLICATION, { id }))}>{t('submit')}</Button>}
        {state === 'IN_REVIEW' && (
          <>
            <Select
              aria-label={t('reasonCode')}
              placeholder={t('reasonCode')}
              data={reasons.map((reason) => ({ value: reason.code, label: `${reason.code} · ${language === 'zh-CN' ? reason.text['zh-CN'] : reason.text.en}` }))}
              value={reasonCode}
              onChange={setReasonCode}
              clearable
              w={320}
            />
            <Textarea aria-label={t('comment')} placeholder={t('comment')} value={comment} onChange={(event) => setComment(event.currentTarget.value)} autosize w={260} />
            <Button color="green" onClick={() => decide('APPROVE')}>
              {t('approve')}
            </Button>
            <Button color="red" onClick={() => decide('DECLINE')}>
              {t('decline')}
            </Button>
          </>
        )}
        {['DRAFT', 'AWAITING_CONSENT', 'ASSESSED', 'IN_REVIEW'].includes(state) && (
          <Button variant="default" onClick={() => act(() => request(token, WITHDRAW_APPLICATION, { id }))}>
            {t('withdraw')}
          </Button>
        )}
      </Group>
      <Refusal error={error} />
    </Stack>
  );
}

/** The application inbox: create, submit, decide, withdraw; what the hub refuses is shown as it says it. */
export function ApplicationsPage({ token }: { token: string }) {
  const { t, local } = useT();
  const [state, setState] = useState<ApplicationState | null>(null);
  const [version, setVersion] = useState(0);
  const list = useQuery(token, APPLICATIONS, { state, first: 50, after: null }, version);
  const refresh = () => setVersion(version + 1);
  return (
    <Stack>
      <NewApplication token={token} onCreated={refresh} />
      <Group>
        <Title order={3}>{t('applications')}</Title>
        <Select aria-label={t('state')} data={[{ value: '', label: t('allStates') }, ...STATES.map((value) => ({ value, label: value }))]} value={state ?? ''} onChange={(value) => setState((value || null) as ApplicationState | null)} w={200} />
      </Group>
      {list.status === 'loading' && <Loader />}
      {list.status === 'error' && <Refusal error={list.error} />}
      {list.status === 'done' &&
        list.data.applications.edges.map(({ node: application }) => (
          <Card withBorder key={application.id} data-testid="application">
            <Group justify="space-between">
              <Group>
                <a href={`#/enterprise/${application.enterprise.uscc}`}>{application.enterprise.name}</a>
                <Text>{application.product}</Text>
                <Text>
                  {yuan(application.amount.amount)} {application.amount.currency} · {application.termMonths} {t('months')}
                </Text>
                <Badge data-testid="application-state">{application.state}</Badge>
              </Group>
              <Text c="dimmed" size="sm">
                {t('createdBy')} {application.createdBy}
                {application.submittedBy ? ` · ${t('submittedBy')} ${application.submittedBy}` : ''}
              </Text>
            </Group>
            {application.missingConsentScopes.length > 0 && (
              <Text c="orange" size="sm">
                {t('missingConsents')}: {application.missingConsentScopes.join(', ')}
              </Text>
            )}
            {application.assessment && (
              <Text size="sm">
                {t('assessment')}: {application.assessment.decision} · {application.assessment.grade} · {application.assessment.score}
                {application.assessment.reasonCodes.length > 0 ? ` · ${application.assessment.reasonCodes.map((reason) => local(reason.text)).join('；')}` : ''}
              </Text>
            )}
            {application.decision && (
              <Text size="sm" data-testid="application-decision">
                {t('decided')}: {application.decision.decision} ({application.decision.basis}) · {application.decision.decidedBy}
                {application.decision.reasonCode ? ` · ${application.decision.reasonCode}` : ''}
              </Text>
            )}
            <Decide token={token} application={application} onChanged={refresh} />
          </Card>
        ))}
    </Stack>
  );
}
