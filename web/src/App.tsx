import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { StatusLoader } from './components/FullPageLoader';
import { RequireRole, RequireSession } from './components/guards';
import { Shell } from './components/Shell';
import {
  AUDIT_ROLES,
  DISCLOSURE_ADVISORY_READ_ROLES,
  DISCLOSURE_METRICS_ROLES,
  DISCLOSURE_PROGRAM_READ_ROLES,
  DISCLOSURE_REPORT_ROLES,
  MANAGE_ROLES,
  TRUST_ACCESS_READ_ROLES,
  TRUST_CONTENT_READ_ROLES,
} from './lib/permissions';
import { AccountPage } from './screens/AccountPage';
import { AuditPage } from './screens/AuditPage';
import { DashboardPage } from './screens/DashboardPage';
import { EnrolMfaPage } from './screens/EnrolMfaPage';
import { FailedJobsPage } from './screens/FailedJobsPage';
import { ForgotPasswordPage } from './screens/ForgotPasswordPage';
import { InvitePage } from './screens/InvitePage';
import { LoginPage } from './screens/LoginPage';
import { MfaPage } from './screens/MfaPage';
import { NotFoundPage } from './screens/NotFoundPage';
import { OutboxPage } from './screens/OutboxPage';
import { ResetPasswordPage } from './screens/ResetPasswordPage';
import { SettingsPage } from './screens/SettingsPage';
import { SetupPage } from './screens/SetupPage';
import { TokensPage } from './screens/TokensPage';
import { UsersPage } from './screens/UsersPage';

// The trust center and disclosure screens load on first visit: most sessions never open them.
const AdvisoriesPage = lazy(() =>
  import('./screens/disclosure/AdvisoriesPage').then((m) => ({ default: m.AdvisoriesPage })),
);
const MetricsPage = lazy(() =>
  import('./screens/disclosure/MetricsPage').then((m) => ({ default: m.MetricsPage })),
);
const ProgramPage = lazy(() =>
  import('./screens/disclosure/ProgramPage').then((m) => ({ default: m.ProgramPage })),
);
const ReportsPage = lazy(() =>
  import('./screens/disclosure/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);
const TrustAccessPage = lazy(() =>
  import('./screens/trust/TrustAccessPage').then((m) => ({ default: m.TrustAccessPage })),
);
const TrustAnalyticsPage = lazy(() =>
  import('./screens/trust/TrustAnalyticsPage').then((m) => ({ default: m.TrustAnalyticsPage })),
);
const TrustContentPage = lazy(() =>
  import('./screens/trust/TrustContentPage').then((m) => ({ default: m.TrustContentPage })),
);
const TrustDocumentsPage = lazy(() =>
  import('./screens/trust/TrustDocumentsPage').then((m) => ({ default: m.TrustDocumentsPage })),
);

export function App() {
  return (
    <Suspense fallback={<StatusLoader h="50vh" />}>
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/login/mfa" element={<MfaPage />} />
        <Route path="/enrol-mfa" element={<EnrolMfaPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/invite" element={<InvitePage />} />
        <Route element={<RequireSession />}>
          <Route element={<Shell />}>
            <Route index element={<DashboardPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route element={<RequireRole roles={MANAGE_ROLES} />}>
              <Route path="users" element={<UsersPage />} />
              <Route path="invitations" element={<Navigate to="/users" replace />} />
              <Route path="tokens" element={<TokensPage />} />
              <Route path="settings" element={<SettingsPage />} />
              <Route path="outbox" element={<OutboxPage />} />
              <Route path="jobs" element={<FailedJobsPage />} />
            </Route>
            <Route element={<RequireRole roles={AUDIT_ROLES} />}>
              <Route path="audit" element={<AuditPage />} />
            </Route>
            <Route element={<RequireRole roles={TRUST_CONTENT_READ_ROLES} />}>
              <Route path="trust" element={<Navigate to="/trust/content" replace />} />
              <Route path="trust/content" element={<TrustContentPage />} />
              <Route path="trust/documents" element={<TrustDocumentsPage />} />
            </Route>
            <Route element={<RequireRole roles={TRUST_ACCESS_READ_ROLES} />}>
              <Route path="trust/access" element={<TrustAccessPage />} />
              <Route path="trust/analytics" element={<TrustAnalyticsPage />} />
            </Route>
            <Route element={<RequireRole roles={DISCLOSURE_REPORT_ROLES} />}>
              <Route path="disclosure/reports/*" element={<ReportsPage />} />
            </Route>
            <Route element={<RequireRole roles={DISCLOSURE_METRICS_ROLES} />}>
              <Route path="disclosure/metrics" element={<MetricsPage />} />
            </Route>
            <Route element={<RequireRole roles={DISCLOSURE_PROGRAM_READ_ROLES} />}>
              <Route path="disclosure/program" element={<ProgramPage />} />
            </Route>
            <Route element={<RequireRole roles={DISCLOSURE_ADVISORY_READ_ROLES} />}>
              <Route path="disclosure/advisories/*" element={<AdvisoriesPage />} />
            </Route>
            {/* Inside the frame: a signed-in user who follows a wrong link keeps the navigation. */}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}
