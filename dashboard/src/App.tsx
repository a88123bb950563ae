import { useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router';
import { EventStream } from './api/events';
import type { Session, SessionState, User } from './auth/session';
import { allows } from './auth/session';
import { ToastProvider } from './components/Toasts';
import { Ctx } from './context';
import { CameraPage } from './pages/CameraPage';
import { Cameras } from './pages/Cameras';
import { Discover } from './pages/Discover';
import { SignIn } from './pages/SignIn';
import { Wall } from './pages/Wall';

/** The shell: sign-in until a session exists, then the signed-in user, its role and the pages. */
export function App({ session }: { session: Session }) {
  const [state, setState] = useState<SessionState>(session.current());
  const [restoring, setRestoring] = useState(true);
  useEffect(() => {
    const unsubscribe = session.subscribe(setState);
    session.restore().finally(() => setRestoring(false));
    return () => {
      unsubscribe();
    };
  }, [session]);

  if (restoring && state.kind !== 'signed-in') {
    return <p className="muted">Loading…</p>;
  }
  if (state.kind !== 'signed-in') {
    return <SignIn session={session} notice={state.kind === 'ended' ? state.reason : undefined} />;
  }
  return (
    <BrowserRouter>
      <ToastProvider>
        <Shell session={session} user={state.user} />
      </ToastProvider>
    </BrowserRouter>
  );
}

function Shell({ session, user }: { session: Session; user: User }) {
  // Made in an effect (not a memo) so that React's development double mount closes and reopens it.
  const [events, setEvents] = useState<EventStream | null>(null);
  useEffect(() => {
    const e = new EventStream(session);
    setEvents(e);
    return () => e.close();
  }, [session]);
  const ctx = useMemo(() => (events ? { session, user, events } : null), [session, user, events]);
  if (ctx === null) {
    return null;
  }
  return (
    <Ctx.Provider value={ctx}>
      <div className="shell">
        <header>
          <h1>CNS Media Gateway</h1>
          <nav aria-label="Pages">
            <NavLink to="/cameras" end>Cameras</NavLink>
            {allows(user.role, 'admin') && <NavLink to="/cameras/discover">Discover</NavLink>}
            <NavLink to="/wall">Wall</NavLink>
          </nav>
          <span className="who" data-testid="who">
            {user.username} <span className={`role role-${user.role}`}>{user.role}</span>
          </span>
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </header>
        <main>
          <Routes>
            <Route path="/" element={<Navigate to="/cameras" replace />} />
            <Route path="/cameras" element={<Cameras />} />
            <Route path="/cameras/discover" element={allows(user.role, 'admin') ? <Discover />
              : <p role="alert">Discovery needs the admin role; you are {user.role}.</p>} />
            <Route path="/cameras/:id" element={<CameraPage />} />
            <Route path="/wall" element={<Wall />} />
            <Route path="*" element={<p role="alert">No such page. <NavLink to="/cameras">Cameras</NavLink></p>} />
          </Routes>
        </main>
      </div>
    </Ctx.Provider>
  );
}
