import { describe, expect, it, vi } from 'vitest';
import { allows, type AuthApi, type Grant, Session, type Timers } from './session';

function grant(token: string, expiresIn = 900): Grant {
  return { accessToken: token, expiresIn, refreshToken: `r-${token}`,
    user: { username: 'olivia', role: 'operator', cameras: ['METRO'] } };
}

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k), m };
}

function fakeTimers() {
  let now = 1_000_000;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const t: Timers & { advance(ms: number): void; pending: typeof pending } = {
    now: () => now,
    set: (fn, ms) => { const id = ++ids; pending.push({ at: now + ms, fn, id }); return id; },
    clear: (h) => { const i = pending.findIndex((p) => p.id === h); if (i >= 0) pending.splice(i, 1); },
    advance(ms) {
      now += ms;
      for (const p of pending.filter((x) => x.at <= now)) { pending.splice(pending.indexOf(p), 1); p.fn(); }
    },
    pending,
  };
  return t;
}

describe('Session', () => {
  it('signs in, keeps the refresh token and refreshes a minute before expiry', async () => {
    const api: AuthApi = { login: vi.fn(async () => grant('a1')), refresh: vi.fn(async () => grant('a2')),
      logout: vi.fn(async () => undefined) };
    const storage = memoryStorage();
    const timers = fakeTimers();
    const s = new Session(api, storage, timers);
    await s.signIn('olivia', 'pw');
    expect(s.token()).toBe('a1');
    expect(storage.m.get('cns.refreshToken')).toBe('r-a1');
    expect(timers.pending[0].at - timers.now()).toBe(840_000);
    timers.advance(839_000);
    expect(api.refresh).not.toHaveBeenCalled();
    timers.advance(1_000);
    await Promise.resolve();
    expect(api.refresh).toHaveBeenCalledWith('r-a1');
    await vi.waitFor(() => expect(s.token()).toBe('a2'));
  });

  it('ends the session with a reason when the refresh is refused', async () => {
    const api: AuthApi = { login: vi.fn(async () => grant('a1', 60)),
      refresh: vi.fn(async () => { throw new Error('401'); }), logout: vi.fn(async () => undefined) };
    const s = new Session(api, memoryStorage(), fakeTimers());
    await s.signIn('olivia', 'pw');
    await s.refresh();
    expect(s.current()).toEqual({ kind: 'ended', reason: 'Your session has ended. Sign in again.' });
    expect(s.token()).toBeNull();
  });

  it('restores a session from a stored refresh token and signs out by revoking it', async () => {
    const storage = memoryStorage();
    storage.setItem('cns.refreshToken', 'r-old');
    const api: AuthApi = { login: vi.fn(), refresh: vi.fn(async () => grant('a3')), logout: vi.fn(async () => undefined) };
    const s = new Session(api, storage, fakeTimers());
    await s.restore();
    expect(s.token()).toBe('a3');
    await s.signOut();
    expect(api.logout).toHaveBeenCalledWith('r-a3');
    expect(s.current().kind).toBe('signed-out');
    expect(storage.m.has('cns.refreshToken')).toBe(false);
  });

  it('orders the roles', () => {
    expect(allows('admin', 'operator')).toBe(true);
    expect(allows('operator', 'operator')).toBe(true);
    expect(allows('viewer', 'operator')).toBe(false);
  });
});
