// The signed-in session: the access token in memory, the refresh token in sessionStorage (so a reload
// keeps the session, a closed tab ends it), a silent refresh a minute before the access token expires,
// and a clear end when the gateway refuses the refresh.

export type Role = 'viewer' | 'operator' | 'admin';

export interface User {
  username: string;
  role: Role;
  cameras: string[];
}

export interface Grant {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: User;
}

/** The gateway's auth endpoints, as the session uses them. */
export interface AuthApi {
  login(username: string, password: string): Promise<Grant>;
  refresh(refreshToken: string): Promise<Grant>;
  logout(refreshToken: string): Promise<void>;
}

export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export type SessionState =
  | { kind: 'signed-out' }
  | { kind: 'ended'; reason: string }
  | { kind: 'signed-in'; user: User; accessToken: string; expiresAt: number };

const REFRESH_KEY = 'cns.refreshToken';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether {@code role} may do what {@code needed} may (each role holds the rights of the ones before it). */
export function allows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

const realTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Session {
  private state: SessionState = { kind: 'signed-out' };
  private timer: unknown = null;
  private readonly listeners = new Set<(s: SessionState) => void>();

  constructor(
    private readonly api: AuthApi,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly timers: Timers = realTimers,
  ) {}

  current(): SessionState {
    return this.state;
  }

  subscribe(listener: (s: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The access token to send, or null when signed out. */
  token(): string | null {
    return this.state.kind === 'signed-in' ? this.state.accessToken : null;
  }

  async signIn(username: string, password: string): Promise<void> {
    this.accept(await this.api.login(username, password));
  }

  /** Resumes a session a reload interrupted, if its refresh token still holds. */
  async restore(): Promise<void> {
    if (this.storage.getItem(REFRESH_KEY)) {
      await this.refresh();
    }
  }

  /** Buys a new access token; a refused refresh ends the session. */
  async refresh(): Promise<void> {
    const refreshToken = this.storage.getItem(REFRESH_KEY);
    if (!refreshToken) {
      this.end('Your session has ended. Sign in again.');
      return;
    }
    try {
      this.accept(await this.api.refresh(refreshToken));
    } catch {
      this.end('Your session has ended. Sign in again.');
    }
  }

  async signOut(): Promise<void> {
    const refreshToken = this.storage.getItem(REFRESH_KEY);
    this.clear();
    this.set({ kind: 'signed-out' });
    if (refreshToken) {
      await this.api.logout(refreshToken).catch(() => undefined);
    }
  }

  /** The gateway answered 401 to a token it gave: end the session with a reason the operator can read. */
  end(reason: string): void {
    this.clear();
    this.set({ kind: 'ended', reason });
  }

  private accept(g: Grant): void {
    this.storage.setItem(REFRESH_KEY, g.refreshToken);
    const expiresAt = this.timers.now() + g.expiresIn * 1000;
    this.set({ kind: 'signed-in', user: g.user, accessToken: g.accessToken, expiresAt });
    if (this.timer !== null) {
      this.timers.clear(this.timer);
    }
    // A minute ahead of expiry (or at half the lifetime of a short token).
    const lead = Math.min(60_000, (g.expiresIn * 1000) / 2);
    this.timer = this.timers.set(() => void this.refresh(), g.expiresIn * 1000 - lead);
  }

  private clear(): void {
    this.storage.removeItem(REFRESH_KEY);
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
  }

  private set(s: SessionState): void {
    this.state = s;
    this.listeners.forEach((l) => l(s));
  }
}
