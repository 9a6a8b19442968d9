import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popup } from '../../components/popup/Popup';
import { getDatabase } from '@/lib/db';
import { loadTeamDay } from '@/lib/leads/team-day';

const root = document.getElementById('root');
if (!root) throw new Error('popup.html has no #root element');
// One stable function for the popup's life: the popup fetches again whenever it changes.
const teamSource = () => loadTeamDay(getDatabase(), Date.now());
createRoot(root).render(
  <StrictMode>
    <Popup teamSource={teamSource} />
  </StrictMode>,
);
