/**
 * What the panel needs from the worker, as an interface the React tree receives as a prop: the real one talks
 * over runtime messages and a Port (createPanelClient), tests pass an in-memory one.
 */
import type { ProblemParams } from './problem-schema';
import type { ProblemText } from './problems';
import type { DetectedItem, NoteTarget, PanelLayout } from './schemas';
import type { Failure, NoteAnchors, PanelCommandMessage, PanelContext, PanelReplies, VerdictDraft } from './protocol';

export type { NoteAnchors };

/** Something that happened on the labeling page about notes. */
export type PageNoteEvent =
  /** Annotate mode ended: the mentor pointed at `target`, or (null) cancelled, or (`problem`) it could not pin. */
  | { kind: 'captured'; target: NoteTarget | null; problem?: ProblemText }
  /** A highlight was focused or clicked on the page. */
  | { kind: 'note-focused'; noteId: string };

export interface NoteDraft {
  item: DetectedItem;
  target: NoteTarget;
  body: string;
  errorTag?: string;
}

export type PanelConnection =
  | { state: 'connecting' }
  | { state: 'attached' }
  /** Not our content script's panel, or the page was replaced: nothing to show but why. */
  | { state: 'refused'; reason: string; key?: string; params?: ProblemParams }
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
  /** The break reminder was dismissed: it comes back after another full stretch. */
  dismissBreak(): Promise<void>;
  /** Each listener is called with the latest value at once if there is one; returns an unsubscribe function. */
  onContext(listener: (context: PanelContext) => void): () => void;
  onCommand(listener: (command: PanelCommandMessage) => void): () => void;
  onConnection(listener: (connection: PanelConnection) => void): () => void;

  // Mentors' inline notes (issue 5)
  /** Start or stop annotate mode on the page (select text or click an element). */
  capture(action: 'start' | 'stop'): Promise<{ ok: true } | { ok: false; error: Failure }>;
  saveNote(draft: NoteDraft): Promise<PanelReplies['panel/save-note']>;
  replyToNote(parentId: string, reply: { body?: string; acknowledged?: boolean }): Promise<PanelReplies['panel/reply-note']>;
  deleteNote(noteId: string): Promise<PanelReplies['panel/delete-note']>;
  /** Scroll the page to a note and mark it selected; null clears the selection. */
  showNote(noteId: string | null): Promise<void>;
  /** Latest anchoring report for the current item (called at once with the last one if any). */
  onAnchors(listener: (anchors: NoteAnchors) => void): () => void;
  onPageNoteEvent(listener: (event: PageNoteEvent) => void): () => void;
}
