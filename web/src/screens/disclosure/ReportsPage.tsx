import { Navigate, Route, Routes } from 'react-router-dom';
import { InboxPage } from './InboxPage';
import { ReportCannedResponses } from './ReportCannedResponses';
import { ReportView } from './ReportView';

/** The reports area (/disclosure/reports/*): the inbox, one report, the metrics and the canned responses. */
export function ReportsPage() {
  return (
    <Routes>
      <Route index element={<InboxPage />} />
      {/* One page, one address: the metrics live at /disclosure/metrics (auditors reach them there too). */}
      <Route path="metrics" element={<Navigate to="/disclosure/metrics" replace />} />
      <Route path="canned-responses" element={<ReportCannedResponses />} />
      <Route path=":id" element={<ReportView />} />
      <Route path="*" element={<Navigate to="/disclosure/reports" replace />} />
    </Routes>
  );
}
