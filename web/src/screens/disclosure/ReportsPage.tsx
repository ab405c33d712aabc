import { Navigate, Route, Routes } from 'react-router-dom';
import { InboxPage } from './InboxPage';
import { MetricsPage } from './MetricsPage';
import { ReportCannedResponses } from './ReportCannedResponses';
import { ReportView } from './ReportView';

/** The reports area (/disclosure/reports/*): the inbox, one report, the metrics and the canned responses. */
export function ReportsPage() {
  return (
    <Routes>
      <Route index element={<InboxPage />} />
      <Route path="metrics" element={<MetricsPage />} />
      <Route path="canned-responses" element={<ReportCannedResponses />} />
      <Route path=":id" element={<ReportView />} />
      <Route path="*" element={<Navigate to="/disclosure/reports" replace />} />
    </Routes>
  );
}
