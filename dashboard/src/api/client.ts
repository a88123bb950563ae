// The gateway's JSON API, typed from docs/openapi.yaml (src/api/schema.ts is generated from it).
import type { components } from './schema';
import type { AuthApi, Grant, Session } from '../auth/session';

export type Camera = components['schemas']['Camera'];
export type CameraPage = components['schemas']['CameraPage'];

/** An error answer of the gateway: its status and its JSON {@code error}. */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
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
