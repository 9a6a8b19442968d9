/**
 * What a note is pinned to: the quoted text, or what a person would call the element. A long quote is cut short
 * on screen (a list of notes must stay scannable) but read in full by screen readers and shown in the tooltip.
 * Page text, rendered as text nodes only.
 */
import type { NoteTarget } from '@/lib/schemas';
import { useT } from './i18n';
import { previewQuote, targetWords } from './note-words';

export function QuotedTarget({ target }: { target: NoteTarget }) {
  const { t } = useT();
  const { kind, text } = targetWords(target);
  const preview = previewQuote(text);
  const shown = preview.truncated ? (
    <>
      <span aria-hidden="true">{preview.shown}</span>
      <span className="visually-hidden">{preview.full}</span>
    </>
  ) : (
    preview.full
  );
  if (kind === 'element') {
    return (
      <p className="loupe-note-target loupe-note-element" title={preview.truncated ? preview.full : undefined}>
        <span className="loupe-note-target-kind">{t('panel.note.element')} </span>
        {shown}
      </p>
    );
  }
  return (
    <blockquote className="loupe-note-target loupe-note-quote" title={preview.truncated ? preview.full : undefined}>
      <span className="visually-hidden">{t('panel.note.quote')} </span>
      {shown}
    </blockquote>
  );
}
