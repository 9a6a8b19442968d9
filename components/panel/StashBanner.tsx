/**
 * A draft the analyst left unsaved on an earlier item: what it holds, and saving it to that item or discarding it.
 * The panel keeps one banner per stashed draft until it is saved or thrown away.
 */
import { useId } from 'react';
import { richText } from '@/lib/i18n/react';
import { useT } from './i18n';
import type { StashedDraft } from './panel-store';

export interface StashBannerProps {
  stash: StashedDraft;
  busy: boolean;
  onSave: () => void;
  onDiscard: () => void;
  tagLabel: (tagId: string) => string;
}

export function StashBanner({ stash, busy, onSave, onDiscard, tagLabel }: StashBannerProps) {
  // Not derived from the item id: page text may hold spaces, which would split an aria-labelledby reference.
  const headingId = useId();
  const { t, parts } = useT();
  const summary = [
    stash.verdict ? t(`common.verdict.${stash.verdict}`) : t('panel.stash.noVerdict'),
    ...stash.errorTags.map(tagLabel),
    stash.note.trim() ? `“${stash.note.trim()}”` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div role="group" aria-labelledby={headingId} className="loupe-banner loupe-stash">
      <p id={headingId}>{richText(parts('panel.stash.title', { item: <strong>{stash.item.itemId}</strong> }))}</p>
      <p className="loupe-stash-summary">{summary}</p>
      <div className="loupe-actions">
        <button type="button" className="loupe-primary" aria-disabled={busy || undefined} onClick={onSave}>
          {t('panel.stash.saveTo', { item: stash.item.itemId })}
        </button>
        <button type="button" onClick={onDiscard}>
          {t('panel.stash.discard')}
          <span className="visually-hidden"> {t('panel.stash.discardWhat', { item: stash.item.itemId })}</span>
        </button>
      </div>
    </div>
  );
}
