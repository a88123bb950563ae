import { useCallback, useEffect, useState } from 'react';
import { blob, type ExportJob, get, remove, send } from '../api/client';
import { message, useApp } from '../context';
import { attachmentName } from '../lib/download';
import { checkExport, type ExportCheck } from '../lib/exportCheck';
import { clock, iso, type Range } from '../lib/time';

interface ExportList {
  exports: ExportJob[];
}

/** Saves a blob under a file name (an object URL clicked, then let go). */
function save(b: Blob, name: string) {
  const u = URL.createObjectURL(b);
  const a = document.createElement('a');
  a.href = u;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(u), 10_000);
}

/**
 * Evidence exports of a camera: the span selected on the timeline (or the range shown) exported to MP4,
 * with the recording time burned in if asked, and the camera's exports with their progress (from the
 * export events), download of the file and its signed manifest, a check of both in the browser (the
 * manifest's Ed25519 signature, the file's SHA-256, the key against the gateway's), cancel and delete.
 */
export function Exports({ cameraId, selection, range }: { cameraId: string; selection: Range | null; range: Range }) {
  const { session, events } = useApp();
  const [list, setList] = useState<ExportJob[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [burn, setBurn] = useState(false);
  const [description, setDescription] = useState('');
  const [checks, setChecks] = useState<Record<string, ExportCheck | 'checking'>>({});
  const span = selection ?? range;

  const load = useCallback(async () => {
    try {
      const l = await get<ExportList>(session, `/api/v1/exports?camera=${cameraId}&limit=20`);
      setList(l.exports);
    } catch (e) {
      setError(message(e));
    }
  }, [session, cameraId]);
  useEffect(() => void load(), [load]);
  useEffect(() => events.onResync(() => void load()), [events, load]);
  useEffect(() => events.onExport((e) => {
    if (e.cameraId !== cameraId) {
      return;
    }
    if (e.type === 'export_progress') {
      setList((l) => l.map((x) => x.exportId === e.exportId
        ? { ...x, status: 'in_progress', progress: { ...x.progress, percent: e.percent ?? x.progress.percent } } : x));
    } else {
      void load();
    }
  }), [events, cameraId, load]);

  async function start() {
    setError(null);
    try {
      await send<ExportJob>(session, `/api/v1/cameras/${cameraId}/exports`, {
        startTime: iso(span.from), endTime: iso(Math.min(span.to, Date.now() - 1000)), format: 'mp4',
        burnTimestamp: burn, ...(description.trim() ? { description: description.trim() } : {}),
      });
      setDescription('');
      await load();
    } catch (e) {
      setError(message(e));
    }
  }

  async function download(e: ExportJob, what: 'file' | 'manifest') {
    try {
      const r = await blob(session, `/api/v1/exports/${e.exportId}/${what}`);
      save(r.blob, attachmentName(r.headers, e.exportId + (what === 'file' ? '.mp4' : '.manifest.json')));
    } catch (x) {
      setError(message(x));
    }
  }

  async function verify(e: ExportJob) {
    setChecks((c) => ({ ...c, [e.exportId]: 'checking' }));
    try {
      const [m, f, k] = await Promise.all([
        blob(session, `/api/v1/exports/${e.exportId}/manifest`),
        blob(session, `/api/v1/exports/${e.exportId}/file`),
        fetch('/api/v1/exports/public-key', { headers: { Accept: 'application/json' } })
          .then((r) => r.json() as Promise<{ publicKey: string }>),
      ]);
      const result = await checkExport(await m.blob.text(), await f.blob.arrayBuffer(), crypto.subtle, k.publicKey);
      setChecks((c) => ({ ...c, [e.exportId]: result }));
    } catch (x) {
      setChecks((c) => ({ ...c, [e.exportId]: { valid: false, reason: message(x) } }));
    }
  }

  async function drop(e: ExportJob) {
    try {
      await remove(session, `/api/v1/exports/${e.exportId}`);
      await load();
    } catch (x) {
      setError(message(x));
    }
  }

  return (
    <section className="exports" aria-label="Exports">
      <h3>Evidence export</h3>
      <form className="inline" onSubmit={(ev) => {
        ev.preventDefault();
        void start();
      }}>
        <span data-testid="export-span">
          {selection ? 'Selection' : 'Range shown'}: {clock(span.from)} – {clock(span.to)}
        </span>
        <label className="inline"><input type="checkbox" checked={burn} onChange={(ev) => setBurn(ev.target.checked)}
                                         data-testid="export-burn" /> Burn in the recording time</label>
        <input type="text" placeholder="Case or description" value={description} maxLength={2000}
               onChange={(ev) => setDescription(ev.target.value)} aria-label="Description" />
        <button type="submit" data-testid="export-start">Export to MP4</button>
      </form>
      {selection === null && <p className="muted">Drag across the timeline to export a part of the range.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <table className="export-list" data-testid="export-list">
        <thead><tr><th>Range</th><th>Status</th><th>Size</th><th>By</th><th /></tr></thead>
        <tbody>
          {list.map((e) => {
            const check = checks[e.exportId];
            return (
              <tr key={e.exportId} data-testid="export-row" data-status={e.status}>
                <td>{clock(Date.parse(e.startTime))} – {clock(Date.parse(e.endTime))}
                  {e.description && <div className="muted">{e.description}</div>}</td>
                <td>
                  {e.status === 'in_progress' || e.status === 'queued'
                    ? <><progress max={100} value={e.progress.percent} aria-label="Export progress" /> {e.progress.percent} %</>
                    : e.status}
                  {e.error && <div className="error">{e.error}</div>}
                </td>
                <td>{e.sizeBytes ? `${(e.sizeBytes / 1e6).toFixed(1)} MB` : ''}</td>
                <td>{e.createdBy}</td>
                <td className="actions">
                  {e.status === 'completed' && <>
                    <button type="button" onClick={() => void download(e, 'file')}>Download</button>
                    <button type="button" onClick={() => void download(e, 'manifest')}>Manifest</button>
                    <button type="button" data-testid="export-verify" onClick={() => void verify(e)}>Verify</button>
                  </>}
                  <button type="button" onClick={() => void drop(e)}>
                    {e.status === 'in_progress' || e.status === 'queued' ? 'Cancel' : 'Delete'}
                  </button>
                  {check && (
                    <div data-testid="export-check" data-valid={check === 'checking' ? undefined : String(check.valid)}
                         className={check !== 'checking' && !check.valid ? 'error' : 'ok'}>
                      {check === 'checking' ? 'Checking…' : check.valid
                        ? `Verified: signed by the gateway (key sha256:${check.keyFingerprint?.slice(0, 16)}…), file intact`
                        : `Not valid: ${check.reason}`}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
