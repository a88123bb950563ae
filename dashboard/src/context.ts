import { createContext, useContext } from 'react';
import type { EventStream } from './api/events';
import type { Session, User } from './auth/session';

/** What every page of a signed-in user needs: the session, the user, the event stream. */
export interface AppContext {
  session: Session;
  user: User;
  events: EventStream;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (c === null) {
    throw new Error('useApp outside a signed-in shell');
  }
  return c;
}

/** An error's message for the page: the gateway's JSON error, or the thrown text. */
export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
