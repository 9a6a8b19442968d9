/**
 * What the setup UI (components/panel/SiteSetup.tsx) needs from the rest of Loupe, as an interface the React tree
 * receives as a prop: the real one talks to the worker over a Port (setup-connection.ts), tests pass an in-memory
 * one. Mirrors lib/panel-client.ts for the audit panel.
 */
import type { ItemField, SiteProfile } from '../schemas';
import type { FieldChecks, FieldSources, PickerWords, PickOutcome, SetupProblem, SetupSaveReply, SetupStart } from './setup-protocol';

export type SetupConnection =
  | { state: 'connecting' }
  | { state: 'attached'; start: SetupStart }
  /** Not our frame, or the setup is over: nothing to show but why. */
  | { state: 'refused'; reason: SetupProblem }
  /** The worker went away (stopped, updated); the client is re-attaching. */
  | { state: 'reconnecting'; start: SetupStart };

export interface CheckAnswer {
  /** Null when the page could not be asked. */
  checks: FieldChecks | null;
  problem?: SetupProblem;
}

export interface SetupClient {
  /** Called at once with the latest state; returns an unsubscribe function. */
  onConnection(listener: (connection: SetupConnection) => void): () => void;
  /** A pick on the page ended (an element, or the user pressed Esc there). */
  onPick(listener: (pick: PickOutcome) => void): () => void;
  /** Point at the element that shows `field` on the page, the picker saying `words`; null stops pointing. */
  pick(field: ItemField | null, words?: PickerWords): void;
  /** Reads these sources on the live page. */
  check(sources: FieldSources): Promise<CheckAnswer>;
  /**
   * Asks the browser for the profile's pages. Calls permissions.request before anything else: call it straight from
   * the Save click, with no await before it, or the browser shows no prompt (lib/site-permissions.ts).
   */
  requestAccess(profile: Pick<SiteProfile, 'match'>): Promise<boolean>;
  save(profile: SiteProfile): Promise<SetupSaveReply>;
  /** Leave setup: the page's frame and overlay go away. */
  cancel(): void;
}
