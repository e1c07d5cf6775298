/** Connections: the local cluster and remote ones by URL (optional user/password), with health. */
import { useState } from 'react';
import { useConnections } from './connections-store.ts';

export function ConnectionsPanel() {
  const { connections, activeId, health } = useConnections();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');

  const add = async (): Promise<void> => {
    try {
      new URL(url);
    } catch {
      setProblem(`Not a URL: ${url}`);
      return;
    }
    setProblem('');
    const id = await useConnections.getState().add({ name, url, user, password });
    useConnections.getState().activate(id);
    setName('');
    setUrl('');
    setUser('');
    setPassword('');
  };

  return (
    <div className="panel" aria-label="Connections">
      <ul className="list" aria-label="Clusters">
        {connections.map((c) => {
          const h = health[c.id];
          return (
            <li key={c.id} className={c.id === activeId ? 'active' : ''}>
              <button
                type="button"
                className="list-main"
                onClick={() => useConnections.getState().activate(c.id)}
                aria-current={c.id === activeId}
              >
                <span className="conn-line">
                  <span
                    className={`health ${h ? (h.ok ? 'ok' : 'down') : 'unknown'}`}
                    aria-label={h ? (h.ok ? 'healthy' : 'unreachable') : 'not checked'}
                  />
                  <span className="list-title">{c.name}</span>
                </span>
                <span className="muted small">
                  {c.url}
                  {c.user ? ` as ${c.user}` : ''}
                  {h?.ok ? ` · ${h.ms} ms` : ''}
                </span>
              </button>
              {!c.local && (
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove ${c.name}`}
                  onClick={() => useConnections.getState().remove(c.id)}
                >
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form
        className="stack"
        aria-label="Add a cluster"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h3>Add a cluster</h3>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="staging" />
        </label>
        <label>
          URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://host:4000" required />
        </label>
        <label>
          User
          <input value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        {problem && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        <button type="submit" className="primary">
          Add and connect
        </button>
        <p className="muted small">Passwords are kept encrypted with a key this browser cannot export.</p>
      </form>
    </div>
  );
}
