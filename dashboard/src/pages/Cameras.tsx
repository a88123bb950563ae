import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { type Camera, type CameraPage, type CameraSource, get, put, remove, type RecordingStatus, SOURCES }
  from '../api/client';
import { allows } from '../auth/session';
import { SyncAll } from '../components/SyncAll';
import { useToast } from '../components/Toasts';
import { message, useApp } from '../context';

const PAGE = 25;

/**
 * The imported cameras the user may see: status badges, a recording indicator kept live by the
 * events, a click opens the camera's page; admins sync, edit and delete each and sync them all.
 */
export function Cameras() {
  const { session, user, events } = useApp();
  const toast = useToast();
  const navigate = useNavigate();
  const [page, setPage] = useState<CameraPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [recording, setRecording] = useState<Record<string, boolean>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const admin = allows(user.role, 'admin');

  const load = useCallback(async () => {
    try {
      const p = await get<CameraPage>(session, `/api/v1/cameras?limit=${PAGE}&offset=${offset}`);
      setPage(p);
      setError(null);
      const states = await Promise.all(p.cameras.map((c) => get<RecordingStatus>(session,
        `/api/v1/cameras/${c.id}/recordings/status`).then((s) => [c.id, s.isRecording] as const).catch(() => [c.id, false] as const)));
      setRecording(Object.fromEntries(states));
    } catch (e) {
      setError(message(e));
    }
  }, [session, offset]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => events.on((e) => setRecording((r) => ({ ...r, [e.cameraId]: e.status.isRecording }))), [events]);
  useEffect(() => events.onResync(() => void load()), [events, load]);

  async function syncOne(c: Camera) {
    try {
      await put(session, `/api/v1/cameras/${c.id}/sync`, {});
      toast('success', `${c.name} synced with XProtect`);
    } catch (e) {
      toast('error', `Sync of ${c.name}: ${message(e)}`);
    }
    void load();
  }

  async function del(c: Camera) {
    if (!window.confirm(`Delete ${c.name} from the gateway? (XProtect keeps it.)`)) {
      return;
    }
    try {
      await remove(session, `/api/v1/cameras/${c.id}`);
      toast('success', `${c.name} deleted`);
      void load();
    } catch (e) {
      toast('error', `Delete ${c.name}: ${message(e)}`);
    }
  }

  return (
    <section>
      <div className="section-head">
        <h2>Cameras</h2>
        {admin && <SyncAll onDone={() => void load()} />}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {page && (
        <table>
          <thead>
            <tr><th>Name</th><th>Source</th><th>Status</th><th>Recording</th>{admin && <th>Actions</th>}</tr>
          </thead>
          <tbody>
            {page.cameras.map((c) => editing === c.id ? (
              <EditRow key={c.id} camera={c} onDone={() => { setEditing(null); void load(); }} />
            ) : (
              <tr key={c.id} data-testid="camera-row" data-camera-id={c.id} className="clickable" tabIndex={0}
                  onClick={() => navigate(`/cameras/${c.id}`)}
                  onKeyDown={(e) => { if (e.key === 'Enter') navigate(`/cameras/${c.id}`); }}>
                <td>
                  {c.name}
                  {c.nameAr && <div dir="rtl" lang="ar" className="ar">{c.nameAr}</div>}
                </td>
                <td>{c.source}</td>
                <td><span className={`badge badge-${c.status}`}>{c.status}</span></td>
                <td>{recording[c.id] ? <span className="rec-dot" data-testid="recording-indicator">● REC</span>
                  : <span className="muted">–</span>}</td>
                {admin && (
                  <td className="actions" onClick={(e) => e.stopPropagation()}>
                    <button type="button" onClick={() => void syncOne(c)} aria-label={`Sync ${c.name}`}>Sync</button>
                    <button type="button" onClick={() => setEditing(c.id)} aria-label={`Edit ${c.name}`}>Edit</button>
                    <button type="button" onClick={() => void del(c)} aria-label={`Delete ${c.name}`}>Delete</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <div className="pager">
          <span className="muted" data-testid="camera-total">{page.total} camera(s)</span>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
        </div>
      )}
    </section>
  );
}

/** An admin's inline edit of a camera: name, Arabic name (right to left), source, address. */
function EditRow({ camera, onDone }: { camera: Camera; onDone: () => void }) {
  const { session } = useApp();
  const toast = useToast();
  const [name, setName] = useState(camera.name);
  const [nameAr, setNameAr] = useState(camera.nameAr ?? '');
  const [source, setSource] = useState<CameraSource>(camera.source);
  async function save() {
    try {
      await put(session, `/api/v1/cameras/${camera.id}`, { name, nameAr: nameAr === '' ? null : nameAr, source });
      toast('success', `${name} saved`);
      onDone();
    } catch (e) {
      toast('error', `Save: ${message(e)}`);
    }
  }
  return (
    <tr>
      <td colSpan={5}>
        <form className="edit-row" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required /></label>
          <label>Arabic name<input dir="rtl" lang="ar" value={nameAr} onChange={(e) => setNameAr(e.target.value)} /></label>
          <label>Source
            <select value={source} onChange={(e) => setSource(e.target.value as CameraSource)}>
              {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <button type="submit">Save</button>
          <button type="button" onClick={onDone}>Cancel</button>
        </form>
      </td>
    </tr>
  );
}

