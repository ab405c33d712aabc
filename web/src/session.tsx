import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { api, onUnauthorized, ProblemError, type Session, type SessionUser, setCsrfToken } from './api';
import { setLocale } from './i18n';

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

interface SessionContextValue {
  status: SessionStatus;
  session: Session | null;
  /** Re-reads the session from the server (after login, MFA, password change…). */
  refresh: () => Promise<Session | null>;
  /** Updates the cached user after a PATCH /identity/me. */
  setUser: (user: SessionUser) => void;
  logout: () => Promise<void>;
  /** True after an explicit sign-out (as opposed to an expired session): no "return to" page. */
  signedOut: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [session, setSession] = useState<Session | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const userId = useRef<string | null>(null);

  const apply = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
    setStatus(next ? 'authenticated' : 'anonymous');
    if (next) setSignedOut(false);
    const nextUserId = next?.user.id ?? null;
    // When somebody logs in, the interface follows their saved language preference.
    if (next && nextUserId !== userId.current && next.user.locale) void setLocale(next.user.locale);
    userId.current = nextUserId;
  }, []);

  const refresh = useCallback(async () => {
    try {
      const next = await api.session();
      apply(next);
      return next;
    } catch (err) {
      if (err instanceof ProblemError && (err.status === 401 || err.status === 403)) {
        apply(null);
        return null;
      }
      // Network or server trouble: keep what we had, but leave the loading state.
      setStatus((s) => (s === 'loading' ? 'anonymous' : s));
      throw err;
    }
  }, [apply]);

  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  // Any 401 from the API while we think we are signed in: check whether the session is still alive.
  useEffect(
    () =>
      onUnauthorized(() => {
        if (userId.current) refresh().catch(() => undefined);
      }),
    [refresh],
  );

  const setUser = useCallback((user: SessionUser) => {
    setSession((prev) => (prev ? { ...prev, user } : prev));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setSignedOut(true);
      apply(null);
    }
  }, [apply]);

  const value = useMemo(
    () => ({ status, session, refresh, setUser, logout, signedOut }),
    [status, session, refresh, setUser, logout, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered behind the session guard. */
export function useUser(): SessionUser {
  const { session } = useSession();
  if (!session) throw new Error('useUser requires an authenticated session');
  return session.user;
}
