import { useEffect, useState } from 'react';
import { ApiFailure, type CameraPage, get, send } from '../api/client';
import { allows, type Session, type User } from '../auth/session';

/** The imported cameras the user may see, with their status; a sync of them all with XProtect for admins. */
export function Cameras({ session, user }: { session: Session; user: User }) {
  const [page, setPage] = useState<CameraPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sync, setSync] = useState<string | null>(null);

  async function syncAll() {
    try {
      const job = await send<{ syncJobId: string; status: string }>(session, '/api/v1/milestone/sync-all', {});
      setSync(`Sync ${job.syncJobId}: ${job.status}`);
    } catch (e) {
      setSync(e instanceof ApiFailure ? e.message : String(e));
    }
  }
  useEffect(() => {
    get<CameraPage>(session, '/api/v1/cameras?limit=100')
      .then(setPage)
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : String(e)));
  }, [session]);

  return (
    <section>
      <div className="section-head">
        <h2>Cameras</h2>
        {allows(user.role, 'admin') && (
          <button type="button" data-testid="sync-all" onClick={syncAll}>
            Sync all from XProtect
          </button>
        )}
      </div>
      {sync && <p className="muted" role="status" data-testid="sync-status">{sync}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {page && (
        <table>
          <thead>
            <tr><th>Name</th><th>Source</th><th>Status</th></tr>
          </thead>
          <tbody>
            {page.cameras.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  {c.nameAr && <div dir="rtl" lang="ar" className="ar">{c.nameAr}</div>}
                </td>
                <td>{c.source}</td>
                <td><span className={`badge badge-${c.status}`}>{c.status}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && <p className="muted" data-testid="camera-total">{page.total} camera(s)</p>}
    </section>
  );
}
