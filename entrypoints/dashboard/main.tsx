import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardApp } from '../../components/dashboard/DashboardApp';

// An unlisted page: WXT builds it to /dashboard.html, which the popup opens in a tab.
const root = document.getElementById('root');
if (!root) throw new Error('dashboard.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <DashboardApp />
  </StrictMode>,
);
