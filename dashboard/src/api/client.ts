// The gateway's JSON API, typed from docs/openapi.yaml (src/api/schema.ts is generated from it).
import type { components } from './schema';
import type { AuthApi, Grant, Session } from '../auth/session';

export type Camera = components['schemas']['Camera'];
export type CameraPage = components['schemas']['CameraPage'];
export type DiscoveredCamera = components['schemas']['DiscoveredCamera'];
export type DiscoveryPage = components['schemas']['DiscoveryPage'];
export type SyncJob = components['schemas']['SyncJob'];
export type RecordingStatus = components['schemas']['RecordingStatus'];
export type RecordingQuery = components['schemas']['RecordingQuery'];
export type Timeline = components['schemas']['Timeline'];
export type TimelineBucket = components['schemas']['TimelineBucket'];
export type PlaybackControl = components['schemas']['PlaybackControl'];
export type ExportJob = components['schemas']['Export'];
export type CameraSource = Camera['source'];
export const SOURCES: CameraSource[] = ['DUBAI_POLICE', 'METRO', 'BUS', 'OTHER'];

/** An error answer of the gateway: its status and its JSON {@code error}. */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
  if (res.status === 204) {
    return undefined as T;
  }
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) {
    throw new ApiFailure(res.status, (body as { error?: string }).error ?? `HTTP ${res.status}`);
  }
  return body as T;
}

function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export const authApi: AuthApi = {
  login: async (username, password) => json<Grant>(await post('/api/v1/auth/login', { username, password })),
  refresh: async (refreshToken) => json<Grant>(await post('/api/v1/auth/refresh', { refreshToken })),
  logout: async (refreshToken) => {
    await post('/api/v1/auth/logout', { refreshToken });
  },
};

/** A GET with the session's token; a 401 refreshes once and retries, then ends the session. */
export function get<T>(session: Session, path: string): Promise<T> {
  return call<T>(session, path, 'GET');
}

/** A POST of JSON with the session's token, with the same refresh as {@link get}. */
export function send<T>(session: Session, path: string, body: unknown): Promise<T> {
  return call<T>(session, path, 'POST', body);
}

/** A PUT of JSON with the session's token. */
export function put<T>(session: Session, path: string, body: unknown): Promise<T> {
  return call<T>(session, path, 'PUT', body);
}

/** A DELETE with the session's token (204 answers undefined). */
export function remove(session: Session, path: string): Promise<void> {
  return call<void>(session, path, 'DELETE');
}

/** Binary content (a snapshot) with the session's token, and its response headers. */
export async function blob(session: Session, path: string): Promise<{ blob: Blob; headers: Headers }> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) {
    await json(res);
  }
  return { blob: await res.blob(), headers: res.headers };
}

async function call<T>(session: Session, path: string, method: string, body?: unknown): Promise<T> {
  const send = () => fetch(path, {
    method,
    headers: { Authorization: `Bearer ${session.token() ?? ''}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let res = await send();
  if (res.status === 401) {
    await session.refresh();
    if (session.token() === null) {
      throw new ApiFailure(401, 'Your session has ended');
    }
    res = await send();
  }
  return json<T>(res);
}
