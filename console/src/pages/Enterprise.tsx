import { LineChart } from '@mantine/charts';
import { Alert, Badge, Card, Grid, Group, Loader, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { ConsoleProfileQuery, ConsoleRiskViewQuery } from '../generated/graphql';
import { useT } from '../i18n';
import { ENTERPRISE_PROFILE, RISK_VIEW, TODAY } from '../operations';
import { Refusal } from '../Refusal';
import { yuan } from '../format';
import { useQuery } from '../useQuery';
import { RelatedSection } from './Related';

type Profile = NonNullable<ConsoleProfileQuery['enterprise']>;
type RiskView = NonNullable<ConsoleRiskViewQuery['enterprise']>['riskView'];

/** Two years back from the first of the hub's month: the window of the monthly charts. */
function windowStart(today: string): string {
  const now = new Date(today);
  return new Date(Date.UTC(now.getUTCFullYear() - 2, now.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

/** The monthly figures side by side, by month: invoice sales, VAT declared revenue, tax paid, electricity. */
function monthly(profile: Profile) {
  const months = new Map<string, Record<string, number | string>>();
  const at = (month: string) => {
    const key = month.slice(0, 7);
    if (!months.has(key)) months.set(key, { month: key });
    return months.get(key)!;
  };
  for (const row of profile.invoiceMonthly) at(row.month).sales = Number(row.sales.netAmount.amount);
  for (const filing of profile.taxFilings) {
    const month = at(filing.periodEnd);
    if (filing.taxType === 'VAT') month.revenue = Number(filing.declaredRevenue.amount);
    month.taxPaid = Number(month.taxPaid ?? 0) + Number(filing.taxPaid.amount);
  }
  for (const bill of profile.utilityBills) if (bill.utility === 'ELECTRICITY') at(bill.period).electricity = Number(at(bill.period).electricity ?? 0) + Number(bill.consumption);
  return [...months.values()].sort((a, b) => String(a.month).localeCompare(String(b.month)));
}

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <Table>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={180}>{label}</Table.Th>
            <Table.Td>{value ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ProfileSection({ profile }: { profile: Profile }) {
  const { t } = useT();
  const data = monthly(profile);
  const chart = (series: string, label: string, color: string) => (
    <Card withBorder key={series}>
      <Text fw={500} mb="xs">
        {label}
      </Text>
      <LineChart h={180} data={data} dataKey="month" series={[{ name: series, label, color }]} connectNulls curveType="linear" withDots={false} />
    </Card>
  );
  return (
    <Stack>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={4} mb="xs">
              {t('registry')}
            </Title>
            <Facts
              rows={[
                [t('uscc'), <Text ff="monospace">{profile.uscc}</Text>],
                [t('status'), <Badge variant="light">{profile.status}</Badge>],
                [t('legalForm'), profile.legalForm],
                [t('industry'), profile.industryCode],
                [t('region'), profile.regionCode],
                [t('established'), profile.establishedOn],
                [t('capital'), profile.registeredCapital ? `${yuan(profile.registeredCapital.amount)} ${profile.registeredCapital.currency}` : null],
                [t('legalRepresentative'), profile.legalRepresentative ? `${profile.legalRepresentative.name} (${profile.legalRepresentative.maskedIdNumber})` : null],
              ]}
            />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={4} mb="xs">
              {t('shareholders')}
            </Title>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('holder')}</Table.Th>
                  <Table.Th>{t('share')}</Table.Th>
                  <Table.Th>{t('since')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {profile.shareholders.map((holding, index) => (
                  <Table.Tr key={index}>
                    <Table.Td>{holding.holder.__typename === 'Enterprise' ? <a href={`#/enterprise/${holding.holder.uscc}`}>{holding.holder.name}</a> : holding.holder.name}</Table.Td>
                    <Table.Td>{(holding.shareRatio * 100).toFixed(2)}%</Table.Td>
                    <Table.Td>{holding.since ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder mt="md">
            <Title order={4} mb="xs">
              {t('freshness')}
            </Title>
            <Table data-testid="freshness">
              <Table.Tbody>
                {profile.dataFreshness.map((row) => (
                  <Table.Tr key={row.source}>
                    <Table.Td>{row.source}</Table.Td>
                    <Table.Td>{row.lastObservedAt.slice(0, 16).replace('T', ' ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Grid.Col>
      </Grid>
      <Title order={4}>{t('monthly')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {chart('sales', t('invoiceSales'), 'blue.6')}
        {chart('revenue', t('declaredRevenue'), 'teal.6')}
        {chart('taxPaid', t('taxPaid'), 'grape.6')}
        {chart('electricity', t('electricity'), 'orange.6')}
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="xs">
          {t('court')}
        </Title>
        <Text fw={500}>{t('cases')}</Text>
        {profile.courtCases.length === 0 ? (
          <Text c="dimmed">{t('none')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {profile.courtCases.map((row) => (
                <Table.Tr key={row.caseNumber}>
                  <Table.Td ff="monospace">{row.caseNumber}</Table.Td>
                  <Table.Td>{row.court}</Table.Td>
                  <Table.Td>{row.cause}</Table.Td>
                  <Table.Td>{row.partyRole}</Table.Td>
                  <Table.Td>{row.amount ? yuan(row.amount.amount) : '—'}</Table.Td>
                  <Table.Td>{row.filedOn}</Table.Td>
                  <Table.Td>{row.status}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text fw={500} mt="sm">
          {t('enforcements')}
        </Text>
        {profile.enforcements.length === 0 ? (
          <Text c="dimmed">{t('none')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {profile.enforcements.map((row) => (
                <Table.Tr key={row.caseNumber}>
                  <Table.Td ff="monospace">{row.caseNumber}</Table.Td>
                  <Table.Td>{row.court}</Table.Td>
                  <Table.Td>{yuan(row.outstanding.amount)}</Table.Td>
                  <Table.Td>{row.filedOn}</Table.Td>
                  <Table.Td>{row.status}</Table.Td>
                  <Table.Td>{row.dishonestDebtor ? <Badge color="red">失信</Badge> : null}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

function RiskSection({ token, uscc }: { token: string; uscc: string }) {
  const { t } = useT();
  const [asOfDay, setAsOfDay] = useState('');
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOfDay) ? `${asOfDay}T23:59:59Z` : null;
  const state = useQuery(token, RISK_VIEW, { uscc, asOf });
  return (
    <Card withBorder data-testid="risk-view">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('riskView')}</Title>
        <TextInput type="date" aria-label={t('asOf')} label={t('asOf')} value={asOfDay} onChange={(event) => setAsOfDay(event.currentTarget.value)} />
      </Group>
      {state.status === 'loading' && <Loader />}
      {state.status === 'error' && <Refusal error={state.error} />}
      {state.status === 'done' && state.data.enterprise && (
        <RiskBody view={state.data.enterprise.riskView} />
      )}
    </Card>
  );
}

/** Basis points as a percentage a year. */
const bps = (value: number) => `${(value / 100).toFixed(2)}%`;

function RiskBody({ view }: { view: RiskView }) {
  const { t, local } = useT();
  const color = view.decision === 'APPROVE' ? 'green' : view.decision === 'REVIEW' ? 'yellow' : 'red';
  return (
    <Stack>
      <Group>
        <Badge size="xl" color={color} data-testid="decision">
          {t(view.decision)}
        </Badge>
        <Text>
          {t('score')} <b data-testid="score">{view.score}</b>
        </Text>
        <Text>
          {t('grade')} <b data-testid="grade">{view.grade}</b>
        </Text>
        <Text>
          {t('pd')} {(view.probabilityOfDefault * 100).toFixed(2)}%
        </Text>
        <Text>
          {t('limit')} {view.recommendedLimit ? `${yuan(view.recommendedLimit.amount)} ${view.recommendedLimit.currency}` : '—'}
        </Text>
        <Text>
          {t('price')} {view.pricingRateBps === null ? '—' : `${(view.pricingRateBps / 100).toFixed(2)}%`}
        </Text>
        <Text c="dimmed">
          {local(view.product.name)} · {t('asOf')} {view.asOf.slice(0, 10)}
        </Text>
      </Group>
      <Text fw={500}>{t('reasons')}</Text>
      <Stack gap={4} data-testid="reasons">
        {view.reasonCodes.map((reason) => (
          <Text key={reason.code}>
            <Badge variant="outline" mr="xs">
              {reason.code}
            </Badge>
            {local(reason.text)}
          </Text>
        ))}
      </Stack>
      {view.limitComponents.length > 0 && (
        <>
          <Text fw={500}>{t('limitCaps')}</Text>
          <Stack gap={4} data-testid="limit-caps">
            {view.limitComponents.map((component) => (
              <Text key={component.kind}>{local(component.text)}</Text>
            ))}
          </Stack>
        </>
      )}
      {view.pricing && (
        <Text data-testid="pricing">
          {t('pricing')}:{' '}
          {t('pricingParts', {
            base: bps(view.pricing.baseRateBps),
            el: bps(view.pricing.expectedLossBps),
            funding: bps(view.pricing.fundingBps),
            operating: bps(view.pricing.operatingBps),
            capital: bps(view.pricing.capitalBps),
            rate: bps(view.pricing.rateBps),
          })}
        </Text>
      )}
      <Text fw={500}>{t('ruleHits')}</Text>
      {view.ruleHits.length === 0 ? (
        <Text c="dimmed">{t('none')}</Text>
      ) : (
        view.ruleHits.map((hit) => (
          <Text key={hit.code}>
            <Badge color={hit.severity === 'CRITICAL' ? 'red' : 'yellow'} mr="xs">
              {hit.code}
            </Badge>
            {local(hit.text)}
          </Text>
        ))
      )}
      <Text fw={500}>{t('features')}</Text>
      <ScrollArea h={320} type="auto">
        <Table striped>
        <Table.Tbody>
          {view.features.map((feature) => (
            <Table.Tr key={feature.name}>
              <Table.Td ff="monospace">{feature.name}</Table.Td>
              <Table.Td>{feature.value === null ? <Text c="dimmed">{t('missing')}</Text> : Number(feature.value.toFixed(4))}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}

/** One enterprise: its profile from every source, and its risk view now or as of an earlier day. */
export function EnterprisePage({ token, uscc }: { token: string; uscc: string }) {
  const { t } = useT();
  const today = useQuery(token, TODAY, {});
  return (
    <Stack>
      <a href="#/">← {t('back')}</a>
      {today.status === 'loading' && <Loader />}
      {today.status === 'error' && <Refusal error={today.error} />}
      {today.status === 'done' && <EnterpriseOf token={token} uscc={uscc} today={today.data.today} />}
    </Stack>
  );
}

function EnterpriseOf({ token, uscc, today }: { token: string; uscc: string; today: string }) {
  const { t } = useT();
  const state = useQuery(token, ENTERPRISE_PROFILE, { uscc, from: windowStart(today) });
  return (
    <>
      {state.status === 'loading' && <Loader />}
      {state.status === 'error' && <Refusal error={state.error} />}
      {state.status === 'done' && !state.data.enterprise && <Alert color="yellow">{t('notFound')}</Alert>}
      {state.status === 'done' && state.data.enterprise && (
        <>
          <Title order={2} data-testid="enterprise-name">
            {state.data.enterprise.name}
          </Title>
          <RiskSection token={token} uscc={uscc} />
          <ProfileSection profile={state.data.enterprise} />
          <RelatedSection token={token} uscc={uscc} />
        </>
      )}
    </>
  );
}
