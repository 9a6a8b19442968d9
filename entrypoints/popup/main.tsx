import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popup } from '../../components/popup/Popup';
import { getDatabase } from '@/lib/db';
import { loadTeamDay } from '@/lib/leads/team-day';

const root = document.getElementById('root');
if (!root) throw new Error('popup.html has no #root element');
// One stable function for the popup's life: the popup fetches again whenever it changes.
const teamSource = () => loadTeamDay(getDatabase(), Date.now());
// The database opens while React starts, so the first render can read the day at once (issue 4: the popup opens
// in under 150 ms). A failure is not lost: the popup opens it again and shows why.
const db = getDatabase();
void db
  .open()
  .catch(() => undefined)
  .finally(() =>
    createRoot(root).render(
      <StrictMode>
        <Popup db={db} teamSource={teamSource} />
      </StrictMode>,
    ),
  );
