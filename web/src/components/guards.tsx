import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '../api';
import { hasRole } from '../lib/permissions';
import { ForbiddenPage } from '../screens/ForbiddenPage';
import { useSession } from '../session';
import { FullPageLoader } from './FullPageLoader';

/** Lets through only fully signed-in users; everyone else is sent to the right step. */
export function RequireSession() {
  const { status, session, signedOut } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  const from = `${location.pathname}${location.search}`;
  if (!session) return <Navigate to="/login" state={signedOut ? null : { from }} replace />;
  if (session.state === 'mfa_required') return <Navigate to="/login/mfa" state={{ from }} replace />;
  if (session.state === 'mfa_enrolment_required') return <Navigate to="/enrol-mfa" replace />;
  return <Outlet />;
}

/** Renders the nested routes only for the given roles. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const { session } = useSession();
  if (!session || !hasRole(session.user.role, roles)) return <ForbiddenPage />;
  return <Outlet />;
}
