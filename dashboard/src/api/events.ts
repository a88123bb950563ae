// The gateway's WebSocket events (/ws): recording started, progress and stopped, and export progress and
// end, for the cameras the user may see. One connection for the app; it reconnects by itself (1 s, doubling to 15 s) and tells its
// listeners when it is back so they resync what they show; a refreshed access token is handed to the
// open socket so the gateway does not close it at the old token's expiry.
import type { Session } from '../auth/session';
import type { RecordingStatus } from './client';

export interface RecordingEvent {
  type: 'recording_started' | 'recording_progress' | 'recording_stopped';
  cameraId: string;
  recordingId: string;
  timestamp: string;
  reason?: 'user' | 'auto' | 'xprotect_timeout' | 'failure';
  status: RecordingStatus;
}

/** {@code export_progress} (about once a second) and {@code export_done} of an evidence export. */
export interface ExportEvent {
  type: 'export_progress' | 'export_done';
  exportId: string;
  cameraId: string;
  percent?: number;
  processedMs?: number;
  totalMs?: number;
  status?: 'completed' | 'failed' | 'cancelled';
  error?: string | null;
}

type Listener = (e: RecordingEvent) => void;
type ExportListener = (e: ExportEvent) => void;

export class EventStream {
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly exportListeners = new Set<ExportListener>();
  private readonly resyncs = new Set<() => void>();
  private retryMs = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private lastToken: string | null = null;
  private everOpen = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly session: Session, private readonly url = defaultUrl()) {
    this.unsubscribe = session.subscribe(() => {
      const token = session.token();
      if (token === null) {
        this.close();
      } else if (token !== this.lastToken && this.socket?.readyState === WebSocket.OPEN) {
        this.lastToken = token;
        this.socket.send(JSON.stringify({ type: 'refresh', accessToken: token }));
      }
    });
    this.connect();
  }

  /** Calls {@code l} with every event; returns the unsubscribe. */
  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Calls {@code l} with every export event; returns the unsubscribe. */
  onExport(l: ExportListener): () => void {
    this.exportListeners.add(l);
    return () => this.exportListeners.delete(l);
  }

  /** Calls {@code l} each time the stream is back after a drop (events may have been missed). */
  onResync(l: () => void): () => void {
    this.resyncs.add(l);
    return () => this.resyncs.delete(l);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.socket?.close();
  }

  private connect(): void {
    const token = this.session.token();
    if (this.closed || token === null) {
      return;
    }
    this.lastToken = token;
    const ws = new WebSocket(`${this.url}?access_token=${encodeURIComponent(token)}`);
    this.socket = ws;
    ws.onopen = () => {
      this.retryMs = 1000;
      if (this.everOpen) {
        this.resyncs.forEach((l) => l());
      }
      this.everOpen = true;
    };
    ws.onmessage = (m) => {
      let e: RecordingEvent | ExportEvent;
      try {
        e = JSON.parse(String(m.data)) as RecordingEvent | ExportEvent;
      } catch {
        return;
      }
      if (e.type?.startsWith('recording_')) {
        const r = e as RecordingEvent;
        this.listeners.forEach((l) => l(r));
      } else if (e.type?.startsWith('export_')) {
        const x = e as ExportEvent;
        this.exportListeners.forEach((l) => l(x));
      }
    };
    ws.onclose = () => {
      if (this.closed) {
        return;
      }
      this.timer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(15_000, this.retryMs * 2);
    };
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
