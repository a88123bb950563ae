import { useEffect, useState } from 'react';
import type { Session, SessionState } from './auth/session';
import { SignIn } from './pages/SignIn';
import { Cameras } from './pages/Cameras';

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
    <div className="shell">
      <header>
        <h1>CNS Media Gateway</h1>
        <span className="who" data-testid="who">
          {state.user.username} <span className={`role role-${state.user.role}`}>{state.user.role}</span>
        </span>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <main>
        <Cameras session={session} user={state.user} />
      </main>
    </div>
  );
}
