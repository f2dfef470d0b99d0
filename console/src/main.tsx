import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { AppShell, Button, Group, MantineProvider, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { LanguageContext, useT, type Language } from './i18n';
import { AlertsPage } from './pages/Alerts';
import { ApplicationsPage } from './pages/Applications';
import { EnterprisePage } from './pages/Enterprise';
import { PortfolioPage } from './pages/Portfolio';
import { SearchPage } from './pages/Search';
import { SignIn } from './pages/SignIn';
import { storedToken, storeToken, tokenViewer } from './session';
import { theme } from './theme';

/** The page a hash names: `#/` the enterprise list, `#/enterprise/<USCC>` one enterprise, `#/applications`, `#/alerts`, `#/portfolio`. */
type Route = { page: 'search' | 'applications' | 'alerts' | 'portfolio' } | { page: 'enterprise'; uscc: string };

function parseRoute(hash: string): Route {
  const enterprise = /^#\/enterprise\/([0-9A-Z]{18})$/.exec(hash);
  if (enterprise) return { page: 'enterprise', uscc: enterprise[1]! };
  const page = /^#\/(applications|alerts|portfolio)$/.exec(hash)?.[1] as 'applications' | 'alerts' | 'portfolio' | undefined;
  return { page: page ?? 'search' };
}

const PAGES = [
  ['#/', 'enterprises'],
  ['#/applications', 'applications'],
  ['#/alerts', 'alerts'],
  ['#/portfolio', 'portfolio'],
] as const;

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function Console({ onLanguage }: { onLanguage: () => void }) {
  const { t } = useT();
  const route = useRoute();
  const [token, setToken] = useState(storedToken);
  const viewer = token ? tokenViewer(token) : null;
  const signOut = () => {
    storeToken(null);
    setToken(null);
  };
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={3}>
              <a href="#/" style={{ color: 'inherit', textDecoration: 'none' }}>
                {t('title')}
              </a>
            </Title>
            {viewer &&
              PAGES.map(([href, word]) => (
                <a key={href} href={href}>
                  <Text>{t(word)}</Text>
                </a>
              ))}
          </Group>
          <Group>
            {viewer && (
              <Text size="sm" data-testid="viewer">
                {viewer.user} · {viewer.roles.join(', ')}
              </Text>
            )}
            <Button variant="subtle" onClick={onLanguage}>
              {t('language')}
            </Button>
            {viewer && (
              <Button variant="light" onClick={signOut}>
                {t('signOut')}
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {!token || !viewer ? (
          <SignIn
            onToken={(value) => {
              storeToken(value);
              setToken(value);
            }}
          />
        ) : route.page === 'enterprise' ? (
          <EnterprisePage token={token} uscc={route.uscc} />
        ) : route.page === 'applications' ? (
          <ApplicationsPage token={token} />
        ) : route.page === 'alerts' ? (
          <AlertsPage token={token} />
        ) : route.page === 'portfolio' ? (
          <PortfolioPage token={token} />
        ) : (
          <SearchPage token={token} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

function App() {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem('creditgraph.language') === 'en' ? 'en' : 'zh-CN'));
  useEffect(() => {
    localStorage.setItem('creditgraph.language', language);
    document.documentElement.lang = language;
  }, [language]);
  return (
    <MantineProvider theme={theme}>
      <LanguageContext.Provider value={language}>
        <Console onLanguage={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')} />
      </LanguageContext.Provider>
    </MantineProvider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
