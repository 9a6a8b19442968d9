import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popup } from '../../components/popup/Popup';
import { readPopupDay, type PopupData } from '../../components/popup/use-popup-day';
import { getDatabase } from '@/lib/db';
import { loadTeamDay } from '@/lib/leads/team-day';

const root = document.getElementById('root');
if (!root) throw new Error('popup.html has no #root element');
// One stable function for the popup's life: the popup fetches again whenever it changes.
const teamSource = () => loadTeamDay(getDatabase(), Date.now());
// Issue 4: the popup opens in under 150 ms. The database opens and today is read before React renders anything,
// so the first frame already shows the day. The popup's live query takes over at once (and asks the worker to
// rebuild stale tallies itself). A failure here is not lost: the popup opens the database again and shows why.
const db = getDatabase();
void db
  .open()
  .then((): Promise<PopupData | undefined> => readPopupDay(db, Date.now(), 'me', () => undefined))
  .catch((): undefined => undefined)
  .then((initialDay) =>
    createRoot(root).render(
      <StrictMode>
        <Popup db={db} teamSource={teamSource} initialDay={initialDay} />
      </StrictMode>,
    ),
  );
