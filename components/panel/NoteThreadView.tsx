/**
 * One note in the panel's list, with its thread: who wrote it and when, what it is pinned to (and whether the page
 * still has it), its text and error tag, who acknowledged it, the replies, and what the reader may do: show it on
 * the page, reply, acknowledge (anyone but its author), delete (its author only, after a confirm step).
 * Everything in a note is text people typed or read off a page: rendered as text nodes only.
 */
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { eventMatchesHotkey, formatHotkey } from '@/lib/hotkeys';
import type { NoteThread } from '@/lib/protocol';
import type { ErrorTag, Note } from '@/lib/schemas';
import { ConfirmDelete } from './ConfirmDelete';
import { useT } from './i18n';
import { ariaKeyShortcut } from './labels';
import { acknowledgersOf, noteTime, noteTimeFull, textRepliesOf } from './note-words';
import { QuotedTarget } from './QuotedTarget';
import type { NoteRequestResult } from './use-note-actions';

/** What the page said about this note: shown there, not found there, or not reported yet. */
export type AnchorState = 'found' | 'missing' | 'unknown';

const SEND_KEY = 'Mod+Enter';

export interface NoteThreadViewProps {
  thread: NoteThread;
  /** Who is reading: their own notes and replies can be deleted, others' notes acknowledged. */
  auditorId: string | null;
  tags: readonly ErrorTag[];
  now: number;
  isMac: boolean;
  anchor: AnchorState;
  selected: boolean;
  open: boolean;
  /** The list item's id, for scrolling the selected note into view. */
  domId: string;
  onOpenChange: (open: boolean) => void;
  onShow: () => void;
  onReply: (body: string) => Promise<NoteRequestResult>;
  onAcknowledge: () => Promise<NoteRequestResult>;
  onDelete: (noteId: string, what: 'note' | 'reply') => Promise<NoteRequestResult>;
  /** The note is gone from the list: the section puts focus somewhere that stays. */
  onNoteDeleted: () => void;
}

function Byline({ note, auditorId, now }: { note: Note; auditorId: string | null; now: number }) {
  const translator = useT();
  return (
    <>
      <span className="loupe-note-author">
        {note.authorId}
        {note.authorId === auditorId && <span className="loupe-quiet"> {translator.t('panel.note.you')}</span>}
      </span>
      <span aria-hidden="true"> · </span>
      <time dateTime={new Date(note.createdAt).toISOString()} title={noteTimeFull(note.createdAt, translator)}>
        {noteTime(note.createdAt, now, translator)}
      </time>
    </>
  );
}

export function NoteThreadView(props: NoteThreadViewProps) {
  const { thread, auditorId, tags, now, isMac, anchor, selected, open, domId } = props;
  const { note } = thread;
  const id = useId();
  const { t } = useT();
  const [acknowledging, setAcknowledging] = useState(false);
  /** Acknowledged here, before the worker's next context says so. */
  const [acknowledgedHere, setAcknowledgedHere] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const mine = auditorId !== null && note.authorId === auditorId;
  const acknowledgers = acknowledgersOf(thread);
  const iAcknowledged = auditorId !== null && (acknowledgedHere || acknowledgers.includes(auditorId));
  const othersAcknowledged = acknowledgers.filter((person) => person !== auditorId);
  const replies = textRepliesOf(thread);
  const tagLabel = note.errorTag ? (tags.find((tag) => tag.id === note.errorTag)?.label ?? note.errorTag) : null;

  async function acknowledge() {
    if (acknowledging) return;
    setAcknowledging(true);
    setError(null);
    const failure = await props.onAcknowledge();
    setAcknowledging(false);
    if (failure === null) setAcknowledgedHere(true);
    else setError(failure);
  }

  return (
    <li id={domId} className={`loupe-note${selected ? ' is-selected' : ''}`} aria-current={selected || undefined}>
      <article aria-label={t('panel.note.label', { author: note.authorId })}>
        <div className="loupe-note-head">
          <Byline note={note} auditorId={auditorId} now={now} />
          {tagLabel && <span className="loupe-note-tag">{tagLabel}</span>}
        </div>
        {anchor === 'missing' && (
          <p className="loupe-note-missing">
            <span aria-hidden="true">⚠ </span>
            {t('panel.note.missing')}
          </p>
        )}
        {note.target && <QuotedTarget target={note.target} />}
        {note.body && <p className="loupe-note-body">{note.body}</p>}
        {(iAcknowledged || othersAcknowledged.length > 0 || mine) && (
          <p className="loupe-note-ack">
            {iAcknowledged && <span className="loupe-note-acked">{t('panel.note.youAcknowledged')} </span>}
            {othersAcknowledged.length > 0 && (
              <span className="loupe-note-acked">{t('panel.note.acknowledgedBy', { people: othersAcknowledged.join(', ') })}</span>
            )}
            {mine && othersAcknowledged.length === 0 && <span className="loupe-quiet">{t('panel.note.notAcknowledged')}</span>}
          </p>
        )}
        <div className="loupe-note-actions">
          {anchor === 'found' && (
            <button type="button" onClick={props.onShow}>
              {t('panel.note.show')}
            </button>
          )}
          {anchor === 'unknown' && <span className="loupe-quiet">{t('panel.note.looking')}</span>}
          <button type="button" aria-expanded={open} aria-controls={`${id}-thread`} onClick={() => props.onOpenChange(!open)}>
            {replies.length > 0 ? t('panel.note.replies', { count: replies.length }) : t('panel.note.reply')}
          </button>
          {auditorId !== null && !mine && !iAcknowledged && (
            <button type="button" aria-disabled={acknowledging || undefined} onClick={() => void acknowledge()}>
              {acknowledging ? t('panel.note.acknowledging') : t('panel.note.acknowledge')}
            </button>
          )}
          {mine && <ConfirmDelete what="note" onDelete={() => props.onDelete(note.id, 'note')} onDeleted={props.onNoteDeleted} />}
        </div>
        {error && (
          <p role="alert" className="loupe-alert loupe-note-error">
            {error}
          </p>
        )}
        {open && (
          <div id={`${id}-thread`} className="loupe-thread">
            {replies.length > 0 && (
              <ol aria-label={t('panel.note.repliesList')} className="loupe-replies">
                {replies.map((reply) => (
                  <li key={reply.id} className="loupe-reply">
                    <div className="loupe-note-head">
                      <Byline note={reply} auditorId={auditorId} now={now} />
                      {reply.acknowledged && <span className="loupe-note-acked">{t('panel.note.replyAcknowledged')}</span>}
                    </div>
                    <p className="loupe-note-body">{reply.body}</p>
                    {auditorId !== null && reply.authorId === auditorId && (
                      <div className="loupe-note-actions">
                        <ConfirmDelete
                          what="reply"
                          onDelete={() => props.onDelete(reply.id, 'reply')}
                          onDeleted={() => document.getElementById(`${id}-reply`)?.focus()}
                        />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {auditorId !== null ? (
              <ReplyBox fieldId={`${id}-reply`} author={note.authorId} isMac={isMac} onReply={props.onReply} />
            ) : (
              <p className="loupe-hint">{t('panel.note.setAuditorToReply')}</p>
            )}
          </div>
        )}
      </article>
    </li>
  );
}

function ReplyBox({
  fieldId,
  author,
  isMac,
  onReply,
}: {
  fieldId: string;
  author: string;
  isMac: boolean;
  onReply: (body: string) => Promise<NoteRequestResult>;
}) {
  const { t } = useT();
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send() {
    if (sending) return;
    setSending(true);
    setError(null);
    const failure = await onReply(body);
    setSending(false);
    if (failure === null) setBody('');
    else setError(failure);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (!event.nativeEvent.isComposing && eventMatchesHotkey(event, SEND_KEY, isMac)) {
      event.preventDefault();
      void send();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  const sendKey = formatHotkey(SEND_KEY, isMac);
  return (
    <form className="loupe-reply-box" onSubmit={submit} aria-busy={sending || undefined}>
      <label htmlFor={fieldId}>{t('panel.reply.label')}</label>
      <textarea
        id={fieldId}
        rows={2}
        value={body}
        maxLength={5000}
        readOnly={sending}
        aria-describedby={`${fieldId}-hint`}
        aria-invalid={error ? true : undefined}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={`${fieldId}-hint`} className="loupe-hint">
        {t('panel.reply.hint', { author, key: sendKey })}
      </p>
      {error && (
        <p role="alert" className="loupe-alert">
          {error}
        </p>
      )}
      <div className="loupe-actions">
        <button type="submit" aria-disabled={sending || undefined} aria-keyshortcuts={ariaKeyShortcut(SEND_KEY, isMac)}>
          {sending ? t('panel.reply.sending') : t('panel.reply.send')} <kbd aria-hidden="true">{sendKey}</kbd>
        </button>
      </div>
    </form>
  );
}
