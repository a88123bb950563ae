import { useCallback, useEffect, useState } from 'react';
import { type CameraSource, type DiscoveryPage, get, send, SOURCES } from '../api/client';
import { SyncAll } from '../components/SyncAll';
import { useToast } from '../components/Toasts';
import { message, useApp } from '../context';

const PAGE = 20;
type Tri = '' | 'true' | 'false';

/**
 * XProtect's cameras (admin): filters (recording, PTZ, imported), a name search, pages; select some
 * and import them with a source, an Arabic name and an address.
 */
export function Discover() {
  const { session } = useApp();
  const toast = useToast();
  const [recording, setRecording] = useState<Tri>('');
  const [ptz, setPtz] = useState<Tri>('');
  const [imported, setImported] = useState<Tri>('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<DiscoveryPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [source, setSource] = useState<CameraSource>('OTHER');
  const [nameAr, setNameAr] = useState('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [importing, setImporting] = useState(false);

  const load = useCallback(async () => {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (recording) q.set('recording', recording);
    if (ptz) q.set('ptz', ptz);
    if (imported) q.set('imported', imported);
    if (search.trim()) q.set('search', search.trim());
    try {
      setPage(await get<DiscoveryPage>(session, `/api/v1/milestone/cameras?${q}`));
      setError(null);
    } catch (e) {
      setError(message(e));
    }
  }, [session, recording, ptz, imported, search, offset]);
  useEffect(() => {
    const t = setTimeout(() => void load(), 250); // typing in the search waits for a pause
    return () => clearTimeout(t);
  }, [load]);

  function toggle(id: string) {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id); else n.add(id);
      return n;
    });
  }

  async function importSelected() {
    if ((lat === '') !== (lon === '') || (address !== '' && lat === '')) {
      toast('warning', 'A location needs both latitude and longitude');
      return;
    }
    setImporting(true);
    let ok = 0;
    for (const id of selected) {
      try {
        await send(session, '/api/v1/cameras/import', {
          milestoneDeviceId: id, source, ...(nameAr ? { nameAr } : {}),
          ...(lat !== '' ? { location: { latitude: Number(lat), longitude: Number(lon), ...(address ? { address } : {}) } }
            : {}),
        });
        ok++;
      } catch (e) {
        toast('error', `Import of ${page?.cameras.find((c) => c.id === id)?.name ?? id}: ${message(e)}`);
      }
    }
    setImporting(false);
    setSelected(new Set());
    toast(ok > 0 ? 'success' : 'warning', `${ok} camera(s) imported`);
    void load();
  }

  const filter = (label: string, value: Tri, set: (v: Tri) => void) => (
    <label className="inline">{label}
      <select value={value} onChange={(e) => { set(e.target.value as Tri); setOffset(0); }}>
        <option value="">any</option><option value="true">yes</option><option value="false">no</option>
      </select>
    </label>
  );
  const selectable = page?.cameras.filter((c) => !c.imported) ?? [];
  return (
    <section>
      <div className="section-head">
        <h2>Discover XProtect cameras</h2>
        <SyncAll onDone={() => void load()} />
      </div>
      <div className="filters" role="search">
        <label className="inline">Search
          <input type="search" value={search} placeholder="Camera name" data-testid="discovery-search"
                 onChange={(e) => { setSearch(e.target.value); setOffset(0); }} />
        </label>
        {filter('Recording', recording, setRecording)}
        {filter('PTZ', ptz, setPtz)}
        {filter('Imported', imported, setImported)}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {page && (
        <table>
          <thead>
            <tr>
              <th><input type="checkbox" aria-label="Select all on this page" checked={selectable.length > 0
                && selectable.every((c) => selected.has(c.id))} onChange={(e) => setSelected((s) => {
                const n = new Set(s);
                selectable.forEach((c) => (e.target.checked ? n.add(c.id) : n.delete(c.id)));
                return n;
              })} /></th>
              <th>Name</th><th>Recording</th><th>PTZ</th><th>Recording server</th><th>Imported</th>
            </tr>
          </thead>
          <tbody>
            {page.cameras.map((c) => (
              <tr key={c.id} data-testid="discovery-row" data-device-id={c.id}>
                <td><input type="checkbox" data-testid="discovery-select" aria-label={`Select ${c.name}`}
                           disabled={c.imported} checked={selected.has(c.id)} onChange={() => toggle(c.id)} /></td>
                <td>{c.name}</td>
                <td>{c.recording ? 'yes' : 'no'}</td>
                <td>{c.ptzEnabled ? 'yes' : 'no'}</td>
                <td>{c.recordingServer ?? '–'}</td>
                <td>{c.imported ? <span className="badge badge-ONLINE">imported</span> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <div className="pager">
          <span className="muted">{page.total} found, {page.imported} imported</span>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
          <span className="muted">{page.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, page.total)}</span>
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
        </div>
      )}
      <form className="import" onSubmit={(e) => { e.preventDefault(); void importSelected(); }}>
        <h3>Import {selected.size} selected</h3>
        <label className="inline">Source
          <select value={source} onChange={(e) => setSource(e.target.value as CameraSource)} data-testid="import-source">
            {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="inline">Arabic name
          <input dir="rtl" lang="ar" value={nameAr} onChange={(e) => setNameAr(e.target.value)} data-testid="import-name-ar" />
        </label>
        <fieldset className="inline">
          <legend>Location</legend>
          <label className="inline">Latitude
            <input type="number" step="any" min={-90} max={90} value={lat} onChange={(e) => setLat(e.target.value)} />
          </label>
          <label className="inline">Longitude
            <input type="number" step="any" min={-180} max={180} value={lon} onChange={(e) => setLon(e.target.value)} />
          </label>
          <label className="inline">Address
            <input value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>
        </fieldset>
        <button type="submit" data-testid="import-selected" disabled={selected.size === 0 || importing}>
          {importing ? 'Importing…' : 'Import selected'}
        </button>
      </form>
    </section>
  );
}
