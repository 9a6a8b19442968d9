import { useEffect, useRef } from 'react';
import { useOptionsStore, type SectionId } from './options-store';

/** Tells the page whether `section` holds unsaved edits, and clears that when the section goes away. */
export function useUnsavedFlag(section: SectionId, unsaved: boolean): void {
  const setUnsaved = useOptionsStore((state) => state.setUnsaved);
  useEffect(() => {
    setUnsaved(section, unsaved);
  }, [section, unsaved, setUnsaved]);
  useEffect(() => () => setUnsaved(section, false), [section, setUnsaved]);
}

/**
 * After a save attempt that failed validation, moves focus to the first field marked invalid, so a keyboard
 * user lands on the problem instead of hunting for it. `attempt` changes once per failed save.
 */
export function useFocusFirstInvalid(attempt: number) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (attempt === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return ref;
}
