import { readFirstDay } from '../../components/popup/read-first-day';

const root = document.getElementById('root');
if (!root) throw new Error('popup.html has no #root element');
// Issue 4: the popup opens to today's summary in under 150 ms. This file loads alone, first: today's tallies are
// read (without Dexie or zod) while React and the popup load, so the first render already shows the day. The
// live read takes over after that paint; when the first read cannot answer, the popup shows "Loading…" until it
// has.
const firstDay = readFirstDay(Date.now());
void import('./mount').then(({ mountPopup }) => mountPopup(root, firstDay));
