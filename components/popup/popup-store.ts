/**
 * The popup's UI state: whose day is shown and how the per-labeler table is sorted. Records are not here: they
 * are read live from Dexie. One store per <Popup> (createPopupStore), so tests and StrictMode remounts never
 * share a choice.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

/** "me": this auditor's audits; "team": every auditor's audits stored in this browser (or the endpoint's summary). */
export type Scope = 'me' | 'team';

export type LabelerSortKey = 'labeler' | 'audits' | 'accuracy';
export type SortDirection = 'ascending' | 'descending';

export interface LabelerSort {
  key: LabelerSortKey;
  direction: SortDirection;
}

export interface PopupUiState {
  scope: Scope;
  sort: LabelerSort;
  setScope: (scope: Scope) => void;
  /** The same column again reverses the order; another column starts in the direction a lead reads it first. */
  sortBy: (key: LabelerSortKey) => void;
}

/** Names A→Z; audits most first; accuracy worst first, since the popup is where coaching starts. */
const FIRST_DIRECTION: Record<LabelerSortKey, SortDirection> = {
  labeler: 'ascending',
  audits: 'descending',
  accuracy: 'ascending',
};

export function createPopupStore(): StoreApi<PopupUiState> {
  return createStore<PopupUiState>()((set) => ({
    scope: 'me',
    sort: { key: 'labeler', direction: 'ascending' },
    setScope: (scope) => set({ scope }),
    sortBy: (key) =>
      set(({ sort }) => ({
        sort:
          sort.key === key
            ? { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
            : { key, direction: FIRST_DIRECTION[key] },
      })),
  }));
}
