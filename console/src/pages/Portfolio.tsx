import { BarChart } from '@mantine/charts';
import { Badge, Card, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { SliceFragment } from '../generated/graphql';
import { useT } from '../i18n';
import { PORTFOLIO, TODAY } from '../operations';
import { Refusal } from '../Refusal';
import { useQuery } from '../useQuery';
import { yuan } from '../format';

/** Six months before the hub's today: where the grade migration starts unless the user says. */
function sixMonthsBefore(today: string): string {
  const now = new Date(today);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, now.getUTCDate())).toISOString().slice(0, 10);
}

function Slices({ title, slices }: { title: string; slices: SliceFragment[] }) {
  const { t } = useT();
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {title}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('key')}</Table.Th>
            <Table.Th>{t('loans')}</Table.Th>
            <Table.Th>{t('exposure')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {slices.map((slice) => (
            <Table.Tr key={slice.key}>
              <Table.Td>{slice.key}</Table.Td>
              <Table.Td>{slice.loans}</Table.Td>
              <Table.Td>{yuan(slice.exposure.amount)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The book at a glance: exposure by grade, industry and region, open alerts, and how grades moved. */
export function PortfolioPage({ token }: { token: string }) {
  const today = useQuery(token, TODAY, {});
  if (today.status === 'loading') return <Loader />;
  if (today.status === 'error') return <Refusal error={today.error} />;
  return <PortfolioOf token={token} today={today.data.today} />;
}

function PortfolioOf({ token, today }: { token: string; today: string }) {
  const { t } = useT();
  const [from, setFrom] = useState(() => sixMonthsBefore(today));
  const day = /^\d{4}-\d{2}-\d{2}$/.test(from) ? from : sixMonthsBefore(today);
  const state = useQuery(token, PORTFOLIO, { from: `${day}T00:00:00Z` });
  if (state.status === 'loading') return <Loader />;
  if (state.status === 'error') return <Refusal error={state.error} />;
  const { portfolio } = state.data;
  return (
    <Stack>
      <Group>
        <Title order={3}>{t('portfolio')}</Title>
        <Text data-testid="portfolio-totals">
          {t('loans')} {portfolio.loans} · {t('exposure')} {yuan(portfolio.exposure.amount)}
        </Text>
        {portfolio.openAlerts.map((count) => (
          <Badge key={count.severity} color={count.severity === 'CRITICAL' ? 'red' : count.severity === 'WARNING' ? 'orange' : 'blue'}>
            {t('openAlerts')} {count.severity} {count.count}
          </Badge>
        ))}
      </Group>
      <Card withBorder>
        <Title order={5} mb="xs">
          {t('byGrade')}
        </Title>
        <BarChart h={220} data={portfolio.byGrade.map((slice) => ({ grade: slice.key, exposure: Number(slice.exposure.amount) }))} dataKey="grade" series={[{ name: 'exposure', label: t('exposure'), color: 'blue.6' }]} />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Slices title={t('byGrade')} slices={portfolio.byGrade} />
        <Slices title={t('byIndustry')} slices={portfolio.byIndustry} />
        <Slices title={t('byRegion')} slices={portfolio.byRegion} />
      </SimpleGrid>
      <Card withBorder>
        <Group mb="xs">
          <Title order={5}>{t('migration')}</Title>
          <TextInput type="date" aria-label={t('migrationFrom')} value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
        </Group>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('gradeThen')}</Table.Th>
              <Table.Th>{t('gradeNow')}</Table.Th>
              <Table.Th>{t('loans')}</Table.Th>
              <Table.Th>{t('exposure')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {portfolio.gradeMigration.map((row) => (
              <Table.Tr key={`${row.from}-${row.to}`}>
                <Table.Td>{row.from}</Table.Td>
                <Table.Td>{row.to === row.from ? row.to : <b>{row.to}</b>}</Table.Td>
                <Table.Td>{row.loans}</Table.Td>
                <Table.Td>{yuan(row.exposure.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
