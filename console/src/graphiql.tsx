import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { storedToken, storeToken } from './session';

/** GraphiQL against this hub, with the bearer token in a field of its own (kept with the console's). */
function Playground() {
  const [token, setToken] = useState(storedToken() ?? '');
  const fetcher = useMemo(() => {
    const url = `${location.origin}/graphql`;
    return createGraphiQLFetcher({ url, subscriptionUrl: url.replace(/^http/, 'ws'), headers: token ? { authorization: `Bearer ${token}` } : {}, wsConnectionParams: { authorization: `Bearer ${token}` } });
  }, [token]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <label style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '6px 12px', fontFamily: 'sans-serif', fontSize: 14, borderBottom: '1px solid #ddd' }}>
        Bearer token
        <input
          aria-label="Bearer token"
          value={token}
          onChange={(event) => {
            setToken(event.target.value.trim());
            storeToken(event.target.value.trim());
          }}
          placeholder="npm run cli -- token --role ANALYST --user you"
          style={{ flex: 1, fontFamily: 'monospace' }}
        />
        <a href="/">Console</a>
      </label>
      <div style={{ flex: 1, minHeight: 0 }}>
        <GraphiQL fetcher={fetcher} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('graphiql')!).render(<Playground />);
