/**
 * The dashboard's UI state: the chosen dates, the filters and what figure is selected. The audits themselves
 * stay in Dexie; this is only what the lead has picked.
 */
import { create } from 'zustand';
import type { AuditFilter, DateRange, FilterField } from '../../lib/leads/audit-filter';

/** The figure whose audits are listed: one Pareto bar (an error tag) or one day of the accuracy chart. */
export type Selection = { kind: 'tag'; tagId: string } | { kind: 'day'; day: string };

interface DashboardUiState {
  /** `null` until the lead picks dates: the last 14 days in the team's zone. */
  range: DateRange | null;
  filter: AuditFilter;
  selection: Selection | null;
  setRange: (range: DateRange) => void;
  setFilterField: <F extends FilterField>(field: F, value: AuditFilter[F] | undefined) => void;
  clearFilters: () => void;
  select: (selection: Selection | null) => void;
  reset: () => void;
}

const INITIAL = { range: null, filter: {}, selection: null } satisfies Partial<DashboardUiState>;

export const useDashboardStore = create<DashboardUiState>()((set) => ({
  ...INITIAL,
  // A selected day may lie outside the new dates; a stale list would be worse than none.
  setRange: (range) => set({ range, selection: null }),
  setFilterField: (field, value) =>
    set((state) => {
      const filter = { ...state.filter };
      if (value === undefined) delete filter[field];
      else filter[field] = value;
      return { filter };
    }),
  clearFilters: () => set({ filter: {} }),
  select: (selection) => set({ selection }),
  reset: () => set(INITIAL),
}));
