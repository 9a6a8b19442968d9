/**
 * What the panel needs from the worker, as an interface the React tree receives as a prop: the real one talks
 * over runtime messages and a Port (createPanelClient), tests pass an in-memory one.
 */
import type { PanelLayout } from './schemas';
import type { Failure, PanelCommandMessage, PanelContext, PanelReplies, VerdictDraft } from './protocol';

export type PanelConnection =
  | { state: 'connecting' }
  | { state: 'attached' }
  /** Not our content script's panel, or the page was replaced: nothing to show but why. */
  | { state: 'refused'; reason: string }
  /** The worker went away (stopped, updated); the client is re-attaching. */
  | { state: 'reconnecting' };

export interface PanelClient {
  recordVerdict(draft: VerdictDraft): Promise<PanelReplies['panel/record-verdict']>;
  undo(auditId: string, rev: number): Promise<PanelReplies['panel/undo']>;
  setAuditor(auditorId: string): Promise<{ ok: true } | { ok: false; error: Failure }>;
  setLayout(layout: PanelLayout): Promise<{ ok: true } | { ok: false; error: Failure }>;
  /** Hand keyboard focus back to the labeling page. */
  returnFocus(): Promise<void>;
  /** Ask the content script to move keyboard focus into the panel. */
  takeFocus(): Promise<void>;
  /** Each listener is called with the latest value at once if there is one; returns an unsubscribe function. */
  onContext(listener: (context: PanelContext) => void): () => void;
  onCommand(listener: (command: PanelCommandMessage) => void): () => void;
  onConnection(listener: (connection: PanelConnection) => void): () => void;
}
