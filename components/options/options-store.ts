/**
 * UI state of the options page: which sections hold edits that are not saved yet. The settings themselves live
 * in the database (lib/settings-store.ts); each section keeps its own draft.
 */
import { create } from 'zustand';

/** A section that can hold unsaved edits; its title is `options.section.<id>` in the catalogs. */
export type SectionId = 'you' | 'sites' | 'taxonomy' | 'severity-weights' | 'keyboard' | 'sync';

interface OptionsUiState {
  unsaved: Partial<Record<SectionId, true>>;
  setUnsaved: (section: SectionId, unsaved: boolean) => void;
  reset: () => void;
}

export const useOptionsStore = create<OptionsUiState>()((set) => ({
  unsaved: {},
  setUnsaved: (section, unsaved) =>
    set((state) => {
      if (Boolean(state.unsaved[section]) === unsaved) return state;
      const next = { ...state.unsaved };
      if (unsaved) next[section] = true;
      else delete next[section];
      return { unsaved: next };
    }),
  reset: () => set({ unsaved: {} }),
}));
