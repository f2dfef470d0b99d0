import { Badge, Button, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../i18n';
import { SEARCH_ENTERPRISES } from '../operations';
import { Refusal } from '../Refusal';
import { useQuery } from '../useQuery';

const PAGE = 20;

/** The enterprise list: a name filter and pages of 20, forward and back through the cursors. */
export function SearchPage({ token }: { token: string }) {
  const { t } = useT();
  const [typed, setTyped] = useState('');
  const [name, setName] = useState<string | null>(null);
  // The cursors of the pages before this one; the last is this page's.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const state = useQuery(token, SEARCH_ENTERPRISES, { name, first: PAGE, after });
  const submit = () => {
    setName(typed.trim() || null);
    setCursors([null]);
  };
  return (
    <Stack>
      <Group
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <TextInput aria-label={t('searchByName')} placeholder={t('searchByName')} value={typed} onChange={(event) => setTyped(event.currentTarget.value)} w={360} />
        <Button type="submit">{t('search')}</Button>
      </Group>
      {state.status === 'loading' && <Loader />}
      {state.status === 'error' && <Refusal error={state.error} />}
      {state.status === 'done' && (
        <>
          <Text c="dimmed" data-testid="total">
            {t('found', { n: state.data.enterprises.totalCount })}
          </Text>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('uscc')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                <Table.Th>{t('region')}</Table.Th>
                <Table.Th>{t('industry')}</Table.Th>
                <Table.Th>{t('established')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.data.enterprises.edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td>
                    <a href={`#/enterprise/${node.uscc}`}>{node.name}</a>
                  </Table.Td>
                  <Table.Td ff="monospace">{node.uscc}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={node.status === 'ACTIVE' ? 'green' : 'gray'}>
                      {node.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{node.regionCode}</Table.Td>
                  <Table.Td>{node.industryCode}</Table.Td>
                  <Table.Td>{node.establishedOn}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button variant="default" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t('previous')}
            </Button>
            <Button variant="default" disabled={!state.data.enterprises.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, state.data.enterprises.pageInfo.endCursor])}>
              {t('next')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
