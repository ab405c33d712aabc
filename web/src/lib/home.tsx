import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { api, type Home } from '../api';

type HomeState = { home: Home | null; error: unknown; reload: () => void };

const HomeContext = createContext<HomeState>({ home: null, error: null, reload: () => {} });

/**
 * The caller's next steps and attention counts (GET /home), shared by the navigation's badges and the home
 * page. Read again on every navigation, so a badge drops as soon as the work it counted is done.
 */
export function HomeProvider({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const [home, setHome] = useState<Home | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetches on navigation and on reload().
  useEffect(() => {
    let live = true;
    api
      .home()
      .then((value) => {
        if (!live) return;
        setHome(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (live) setError(err);
      });
    return () => {
      live = false;
    };
  }, [pathname, tick]);

  return <HomeContext.Provider value={{ home, error, reload }}>{children}</HomeContext.Provider>;
}

export function useHome(): HomeState {
  return useContext(HomeContext);
}

/** The count behind one attention key, 0 when the role does not see it. */
export function attentionCount(home: Home | null, key: Home['attention'][number]['key']): number {
  return home?.attention.find((item) => item.key === key)?.count ?? 0;
}
