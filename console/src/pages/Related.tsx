import { Card, Loader, Text, Title } from '@mantine/core';
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { ConsoleRelatedQuery } from '../generated/graphql';
import { useT } from '../i18n';
import { RELATED_ENTERPRISES } from '../operations';
import { FONT } from '../theme';
import { useQuery } from '../useQuery';

type Related = NonNullable<ConsoleRelatedQuery['enterprise']>;

/** The related-party graph within two steps: enterprises as nodes, each hop an edge named by what links them. */
function Drawing({ enterprise }: { enterprise: Related }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const nodes = new Map<string, { id: string; label: string; kind: string }>([[enterprise.uscc, { id: enterprise.uscc, label: enterprise.name, kind: 'self' }]]);
    const edges = new Map<string, { id: string; source: string; target: string; label: string }>();
    for (const related of enterprise.relatedEnterprises) {
      nodes.set(related.enterprise.uscc, { id: related.enterprise.uscc, label: related.enterprise.name, kind: related.enterprise.status === 'ACTIVE' ? `d${related.distance}` : 'inactive' });
      for (const hop of related.via) {
        const through = hop.through ? ` · ${hop.through.name}` : '';
        const id = `${hop.from.uscc}>${hop.to.uscc}:${hop.kind}`;
        edges.set(id, { id, source: hop.from.uscc, target: hop.to.uscc, label: `${hop.kind}${through}` });
      }
    }
    // A canvas does not ask for the font's subsets as the page's text does: the labels' are
    // loaded first, or they would be drawn in whatever the machine has, boxes where it has none.
    let graph: cytoscape.Core | undefined;
    let unmounted = false;
    const labels = [...nodes.values(), ...edges.values()].map((element) => element.label).join('');
    void document.fonts.load(`11px ${FONT}`, labels).then(() => {
      if (unmounted || !container.current) return;
      graph = cytoscape({
        container: container.current,
        elements: [...[...nodes.values()].map((data) => ({ data })), ...[...edges.values()].filter((edge) => nodes.has(edge.source) && nodes.has(edge.target)).map((data) => ({ data }))],
        layout: { name: 'breadthfirst', roots: [enterprise.uscc], spacingFactor: 1.1 },
        // A graph of two or three enterprises would otherwise be fitted at a giant scale.
        maxZoom: 1.4,
        minZoom: 0.2,
        style: [
          { selector: 'node', style: { label: 'data(label)', 'font-family': FONT, 'font-size': 11, 'text-valign': 'bottom', 'background-color': '#74c0fc', width: 22, height: 22 } },
          { selector: 'node[kind = "self"]', style: { 'background-color': '#1c7ed6', width: 32, height: 32 } },
          { selector: 'node[kind = "d2"]', style: { 'background-color': '#d0ebff' } },
          { selector: 'node[kind = "inactive"]', style: { 'background-color': '#adb5bd' } },
          { selector: 'edge', style: { label: 'data(label)', 'font-family': FONT, 'font-size': 8, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 1, 'line-color': '#adb5bd', 'target-arrow-color': '#adb5bd', 'text-rotation': 'autorotate' } },
        ],
      });
      graph.on('tap', 'node', (event) => {
        const uscc = event.target.id() as string;
        if (uscc !== enterprise.uscc) location.hash = `#/enterprise/${uscc}`;
      });
    });
    return () => {
      unmounted = true;
      graph?.destroy();
    };
  }, [enterprise]);
  return <div ref={container} style={{ height: 360 }} data-testid="related-graph" />;
}

export function RelatedSection({ token, uscc }: { token: string; uscc: string }) {
  const { t } = useT();
  const state = useQuery(token, RELATED_ENTERPRISES, { uscc });
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        {t('related')}
      </Title>
      {state.status === 'loading' && <Loader />}
      {state.status === 'error' && <Text c="red">{state.error.message}</Text>}
      {state.status === 'done' && state.data.enterprise && (state.data.enterprise.relatedEnterprises.length === 0 ? <Text c="dimmed">{t('noRelated')}</Text> : <Drawing enterprise={state.data.enterprise} />)}
    </Card>
  );
}
