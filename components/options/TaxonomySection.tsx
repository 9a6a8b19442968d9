import { useRef, useState, useEffect } from 'react';
import { ROOT_CAUSES, type ErrorTag, type RootCause, type Settings } from '../../lib/schemas';
import { Field, SaveBar, SectionMessages } from './Field';
import { splitIssues, startsWith, type Issue, type SplitIssues } from './form-issues';
import { useT, type OptionsT } from './i18n';
import type { SaveSettings, SettingsChange } from './types';
import { useSectionForm } from './use-section-form';

interface TagDraft {
  /** Stable React key: ids are edited, so they cannot be the key. */
  key: string;
  /** Saved tags keep their id: audits already recorded refer to it. */
  saved: boolean;
  /** The id follows the label until someone types an id themselves. */
  idTouched: boolean;
  id: string;
  label: string;
  description: string;
  hotkey: string;
  rootCause: RootCause;
}

let nextKey = 0;
const newKey = () => `tag-${(nextKey += 1)}`;

function toDrafts(tags: readonly ErrorTag[]): TagDraft[] {
  return tags.map((tag) => ({
    key: newKey(),
    saved: true,
    idTouched: true,
    id: tag.id,
    label: tag.label,
    description: tag.description ?? '',
    hotkey: tag.hotkey ?? '',
    rootCause: tag.rootCause,
  }));
}

function fromDrafts(drafts: readonly TagDraft[]): ErrorTag[] {
  return drafts.map((tag) => ({
    id: tag.id.trim(),
    label: tag.label,
    ...(tag.description.trim() ? { description: tag.description } : {}),
    ...(tag.hotkey.trim() ? { hotkey: tag.hotkey } : {}),
    rootCause: tag.rootCause,
  }));
}

/** What tags look like when compared: what would be stored, not the editing bookkeeping. */
const comparable = (drafts: readonly TagDraft[]) => JSON.stringify(fromDrafts(drafts));

function slugify(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/**
 * The tags as the change to save; the taxonomy version is the stored one (saving raises it when the tags differ).
 * The rest of the taxonomy (severity weights, edited in their own section) is kept as stored.
 */
function toChange(drafts: readonly TagDraft[]): SettingsChange {
  const tags = fromDrafts(drafts);
  return (current) => ({ ...current, taxonomy: { ...current.taxonomy, tags } });
}

/** Issues of a refused save of `drafts`, each at the cell of the row it is about. */
function placeIssues(issues: readonly Issue[], drafts: readonly TagDraft[], t: OptionsT['t']): SplitIssues {
  const emptyList = issues.some((issue) => issue.path.length === 2 && startsWith(issue.path, ['taxonomy', 'tags']));
  const split = splitIssues(
    // A problem with the list itself is only ever that it is empty: said in words below, not as zod's.
    issues.filter((issue) => !(issue.path.length === 2 && startsWith(issue.path, ['taxonomy', 'tags']))),
    (path) => {
      if (!startsWith(path, ['taxonomy', 'tags'])) return undefined;
      const [, , index, field] = path;
      const row = typeof index === 'number' ? drafts[index] : undefined;
      return row && typeof field === 'string' ? `${row.key}.${field}` : undefined;
    },
    t,
  );
  return { fields: split.fields, other: emptyList ? [t('options.taxonomy.keepOne'), ...split.other] : split.other };
}

export function TaxonomySection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { t } = useT();
  const { draft: drafts, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'taxonomy',
    settings,
    save,
    toDraft: (saved) => toDrafts(saved.taxonomy.tags),
    toChange,
    placeIssues: (issues, sent) => placeIssues(issues, sent, t),
    savedText: ({ taxonomy: { version } }, t) =>
      version !== settings.taxonomy.version
        ? t('options.taxonomy.savedVersion', { version: String(version) })
        : t('options.taxonomy.saved'),
    comparable,
  });
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => {
    if (focusKey) tableRef.current?.querySelector<HTMLInputElement>(`[data-row="${focusKey}"]`)?.focus();
  }, [focusKey]);

  function edit(key: string, change: Partial<TagDraft>) {
    update((current) =>
      current.map((tag) => {
        if (tag.key !== key) return tag;
        const next = { ...tag, ...change };
        if (change.label !== undefined && !tag.saved && !tag.idTouched) next.id = slugify(change.label);
        return next;
      }),
    );
  }

  function add() {
    const key = newKey();
    update((current) => [
      ...current,
      { key, saved: false, idTouched: false, id: '', label: '', description: '', hotkey: '', rootCause: 'other' },
    ]);
    setFocusKey(key);
  }

  function remove(key: string) {
    update((current) => current.filter((tag) => tag.key !== key));
  }

  return (
    <section className="section" aria-labelledby="taxonomy-title" id="taxonomy">
      <h2 id="taxonomy-title">{t('options.section.taxonomy')}</h2>
      <p className="section__intro">
        {t('options.taxonomy.intro')}{' '}
        <span data-testid="taxonomy-version">{t('options.taxonomy.version', { version: String(settings.taxonomy.version) })}</span>
        {t('options.taxonomy.introAfter')}
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="table-scroll">
          <table ref={tableRef} className="tags">
            <caption className="visually-hidden">{t('options.taxonomy.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('options.taxonomy.label')}</th>
                <th scope="col">{t('options.taxonomy.id')}</th>
                <th scope="col">{t('options.taxonomy.description')}</th>
                <th scope="col">{t('options.taxonomy.key')}</th>
                <th scope="col">{t('options.taxonomy.rootCause')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('options.taxonomy.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((tag, index) => {
                const n = String(index + 1);
                const error = (field: string) => errors[`${tag.key}.${field}`];
                return (
                  <tr key={tag.key}>
                    <td>
                      <CellInput
                        label={t('options.taxonomy.rowLabel', { n })}
                        dataRow={tag.key}
                        value={tag.label}
                        error={error('label')}
                        onChange={(label) => edit(tag.key, { label })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={t('options.taxonomy.rowId', { n })}
                        value={tag.id}
                        error={error('id')}
                        readOnly={tag.saved}
                        onChange={(id) => edit(tag.key, { id, idTouched: true })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={t('options.taxonomy.rowDescription', { n })}
                        value={tag.description}
                        error={error('description')}
                        onChange={(description) => edit(tag.key, { description })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={t('options.taxonomy.rowKey', { n })}
                        value={tag.hotkey}
                        error={error('hotkey')}
                        narrow
                        onChange={(hotkey) => edit(tag.key, { hotkey })}
                      />
                    </td>
                    <td>
                      <Field label={t('options.taxonomy.rowRootCause', { n })} error={error('rootCause')} className="field--cell">
                        {(control) => (
                          <select
                            {...control}
                            value={tag.rootCause}
                            onChange={(event) => edit(tag.key, { rootCause: event.target.value as RootCause })}
                          >
                            {ROOT_CAUSES.map((cause) => (
                              <option key={cause} value={cause}>
                                {t(`options.rootCause.${cause}`)}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    </td>
                    <td>
                      <button type="button" className="button button--danger" onClick={() => remove(tag.key)}>
                        {t('options.taxonomy.remove')}
                        <span className="visually-hidden">
                          {` ${t('options.taxonomy.removeWhich', { n })}`}
                          {tag.label.trim() ? ` (${tag.label.trim()})` : ''}
                        </span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="field__hint">
          {t('options.taxonomy.idsHint')}
        </p>
        <button type="button" className="button" onClick={add}>
          {t('options.taxonomy.add')}
        </button>
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label={t('options.taxonomy.save')} busy={busy} unsaved={unsaved} />
      </form>
    </section>
  );
}

interface CellInputProps {
  label: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  readOnly?: boolean;
  narrow?: boolean;
  dataRow?: string;
}

/** A table cell's input: its label is visually hidden (the column header shows it) but read out. */
function CellInput({ label, value, error, onChange, readOnly, narrow, dataRow }: CellInputProps) {
  return (
    <Field label={label} error={error} className={`field--cell${narrow ? ' field--narrow' : ''}`}>
      {(control) => (
        <input
          {...control}
          data-row={dataRow}
          type="text"
          autoComplete="off"
          spellCheck={false}
          readOnly={readOnly}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
