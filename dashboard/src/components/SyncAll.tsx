import { useEffect, useRef, useState } from 'react';
import { get, send, type SyncJob } from '../api/client';
import { message, useApp } from '../context';
import { useToast } from './Toasts';

/**
 * Sync-all with XProtect (admin): starts the job, then follows it every half second with a progress
 * bar until it completes; {@code onDone} reloads what the page shows.
 */
export function SyncAll({ autoImport = false, onDone }: { autoImport?: boolean; onDone: () => void }) {
  const { session } = useApp();
  const toast = useToast();
  const [job, setJob] = useState<SyncJob | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) {
      clearTimeout(timer.current);
    }
  }, []);

  async function follow(id: string) {
    try {
      const j = await get<SyncJob>(session, `/api/v1/milestone/sync-jobs/${id}`);
      setJob(j);
      if (j.status === 'in_progress') {
        timer.current = setTimeout(() => void follow(id), 500);
      } else {
        toast(j.status === 'completed' ? 'success' : 'error', `Sync ${j.status}: ${j.camerasDiscovered ?? 0} found, `
          + `${j.camerasImported ?? 0} imported, ${j.camerasUpdated ?? 0} updated, ${j.errors ?? 0} error(s)`);
        onDone();
      }
    } catch (e) {
      toast('error', `Sync progress: ${message(e)}`);
    }
  }

  async function start() {
    try {
      const j = await send<SyncJob>(session, '/api/v1/milestone/sync-all', autoImport ? { autoImport } : {});
      setJob(j);
      void follow(j.syncJobId);
    } catch (e) {
      toast('error', `Sync all: ${message(e)}`);
    }
  }

  const running = job?.status === 'in_progress';
  const percent = job?.progress?.percent ?? 0;
  return (
    <div className="sync-all">
      <button type="button" data-testid="sync-all" onClick={() => void start()} disabled={running}>
        {running ? 'Syncing…' : 'Sync all from XProtect'}
      </button>
      {job && (
        <label className="inline">
          <span data-testid="sync-status">{job.status === 'in_progress' ? 'Syncing' : `Sync ${job.status}`}
            {job.progress ? ` ${job.progress.processed ?? 0}/${job.progress.total ?? 0}` : ''}</span>
          <progress data-testid="sync-progress" max={100} value={percent} aria-label="Sync progress" />
        </label>
      )}
    </div>
  );
}
