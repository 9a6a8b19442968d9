/**
 * Error tags as a searchable multi-select listbox. The listbox keeps focus itself (aria-activedescendant) so the
 * tags' own hotkeys, Space and Enter keep working while it is focused; only the search field takes typing.
 */
import { memo, useId, useState, type KeyboardEvent, type Ref } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import type { ErrorTag } from '@/lib/schemas';
import { useT } from './i18n';
import { ariaKeyShortcut } from './labels';

export function matchesQuery(tag: ErrorTag, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [tag.label, tag.id, tag.description ?? ''].some((text) => text.toLocaleLowerCase().includes(q));
}

// Memoised: the panel renders again on every change to its store; this is the taxonomy's tags, unchanged while a
// note is typed or a verdict saved.
export const TagPicker = memo(function TagPicker({
  tags,
  selected,
  query,
  isMac,
  invalid,
  onQueryChange,
  onToggle,
  searchRef,
  listRef,
}: {
  tags: readonly ErrorTag[];
  selected: readonly string[];
  query: string;
  isMac: boolean;
  /** An incorrect verdict was saved without a tag. */
  invalid: boolean;
  onQueryChange: (query: string) => void;
  onToggle: (tagId: string) => void;
  searchRef?: Ref<HTMLInputElement>;
  listRef?: Ref<HTMLUListElement>;
}) {
  const id = useId();
  const { t } = useT();
  const [activeIndex, setActiveIndex] = useState(0);
  const shown = tags.filter((tag) => matchesQuery(tag, query));
  const active = Math.min(activeIndex, shown.length - 1);
  const optionId = (tag: ErrorTag) => `${id}-tag-${tag.id}`;
  const activeTag = active >= 0 ? shown[active] : undefined;

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && shown.length > 0) {
      event.preventDefault();
      setActiveIndex(0);
      document.getElementById(`${id}-list`)?.focus();
    } else if (event.key === 'Enter' && !event.shiftKey && query.trim() && shown[0]) {
      // Enter picks the best match and empties the search, so a second Enter saves the verdict.
      event.preventDefault();
      onToggle(shown[0].id);
      onQueryChange('');
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      onQueryChange('');
    }
  }

  function onListKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (shown.length === 0) return;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(active + 1, shown.length - 1),
      ArrowUp: Math.max(active - 1, 0),
      Home: 0,
      End: shown.length - 1,
    };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setActiveIndex(next);
      document.getElementById(optionId(shown[next] as ErrorTag))?.scrollIntoView?.({ block: 'nearest' });
    } else if (event.key === ' ' && activeTag) {
      event.preventDefault();
      onToggle(activeTag.id);
    }
  }

  return (
    <div className="loupe-tags">
      <div className="loupe-tag-search">
        <label htmlFor={`${id}-search`}>
          {t('panel.tags.search')} <kbd aria-hidden="true">/</kbd>
        </label>
        <input
          id={`${id}-search`}
          ref={searchRef}
          type="search"
          value={query}
          autoComplete="off"
          spellCheck={false}
          aria-controls={`${id}-list`}
          aria-keyshortcuts="/"
          onChange={(event) => onQueryChange(event.target.value)}
          onKeyDown={onSearchKeyDown}
        />
      </div>
      <ul
        id={`${id}-list`}
        ref={listRef}
        role="listbox"
        aria-label={t('panel.tags.list')}
        aria-multiselectable="true"
        aria-invalid={invalid || undefined}
        aria-activedescendant={activeTag ? optionId(activeTag) : undefined}
        tabIndex={0}
        className="loupe-tag-list"
        onKeyDown={onListKeyDown}
      >
        {shown.map((tag, index) => {
          const isSelected = selected.includes(tag.id);
          return (
            <li
              key={tag.id}
              id={optionId(tag)}
              role="option"
              aria-selected={isSelected}
              aria-keyshortcuts={tag.hotkey ? ariaKeyShortcut(tag.hotkey, isMac) : undefined}
              aria-describedby={tag.description ? `${optionId(tag)}-desc` : undefined}
              title={tag.description}
              className={`loupe-tag${index === active ? ' is-active' : ''}`}
              onClick={() => {
                setActiveIndex(index);
                onToggle(tag.id);
              }}
            >
              <span className="loupe-tag-check" aria-hidden="true">
                {isSelected ? '✓' : ''}
              </span>
              <span className="loupe-tag-label">{tag.label}</span>
              {tag.hotkey && <kbd aria-hidden="true">{formatHotkey(tag.hotkey, isMac)}</kbd>}
              {tag.description && (
                <span id={`${optionId(tag)}-desc`} className="loupe-tag-desc" aria-hidden="true">
                  {tag.description}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {shown.length === 0 && <p className="loupe-quiet">{t('panel.tags.noMatch', { query: query.trim() })}</p>}
    </div>
  );
});
