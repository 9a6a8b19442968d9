import { useRef, useState, useEffect, type FormEvent } from 'react';
import { ROOT_CAUSES, type ErrorTag, type RootCause, type Settings } from '../../lib/schemas';
import { Field, SectionMessages, type StatusMessage } from './Field';
import { splitIssues, startsWith, type FieldErrors } from './form-issues';
import { RELOAD_NOTE, type SaveSettings } from './types';
import { useFocusFirstInvalid, useUnsavedFlag } from './use-section-draft';

export const ROOT_CAUSE_LABELS: Record<RootCause, string> = {
  'knowledge-gap': 'Knowledge gap',
  'guideline-ambiguity': 'Guideline ambiguity',
  'attention-slip': 'Attention slip',
  tooling: 'Tooling',
  other: 'Other',
};

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

export function TaxonomySection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const [drafts, setDrafts] = useState(() => toDrafts(settings.taxonomy.tags));
  const [savedTags, setSavedTags] = useState(settings.taxonomy.tags);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const [busy, setBusy] = useState(false);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const formRef = useFocusFirstInvalid(failedAttempts);
  const tableRef = useRef<HTMLTableElement>(null);
  const unsaved = comparable(drafts) !== JSON.stringify(savedTags);
  useUnsavedFlag('taxonomy', unsaved);

  useEffect(() => {
    if (focusKey) tableRef.current?.querySelector<HTMLInputElement>(`[data-row="${focusKey}"]`)?.focus();
  }, [focusKey]);

  function edit(key: string, change: Partial<TagDraft>) {
    setStatus(null);
    setDrafts((current) =>
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
    setStatus(null);
    setDrafts((current) => [
      ...current,
      { key, saved: false, idTouched: false, id: '', label: '', description: '', hotkey: '', rootCause: 'other' },
    ]);
    setFocusKey(key);
  }

  function remove(key: string) {
    setStatus(null);
    setDrafts((current) => current.filter((tag) => tag.key !== key));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setStatus(null);
    const tags = fromDrafts(drafts);
    setBusy(true);
    const before = settings.taxonomy.version;
    const result = await save((current) => ({ ...current, taxonomy: { version: current.taxonomy.version, tags } }));
    setBusy(false);
    if (!result.ok) {
      const split = splitIssues(result.issues, (path) => {
        if (!startsWith(path, ['taxonomy', 'tags'])) return undefined;
        const [, , index, field] = path;
        const row = typeof index === 'number' ? drafts[index] : undefined;
        return row && typeof field === 'string' ? `${row.key}.${field}` : undefined;
      });
      setErrors(split.fields);
      setProblems(split.other.map((problem) => (problem.startsWith('taxonomy › tags: ') ? 'Keep at least one error tag.' : problem)));
      if (result.error) setStatus({ kind: 'error', text: `Not saved: ${result.error}` });
      else setFailedAttempts((n) => n + 1);
      return;
    }
    const version = result.settings.taxonomy.version;
    setDrafts(toDrafts(result.settings.taxonomy.tags));
    setSavedTags(result.settings.taxonomy.tags);
    setErrors({});
    setProblems([]);
    setStatus({
      kind: 'success',
      text: version !== before ? `Error tags saved. Taxonomy is now version ${version}.` : 'Error tags saved.',
      ...(result.notified ? {} : { note: RELOAD_NOTE }),
    });
  }

  return (
    <section className="section" aria-labelledby="taxonomy-title" id="taxonomy">
      <h2 id="taxonomy-title">Error tags</h2>
      <p className="section__intro">
        What analysts tag an incorrect label with. <span data-testid="taxonomy-version">Taxonomy version {settings.taxonomy.version}</span>
        : saving a change to the tags raises it, so every audit says which list it used.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="table-scroll">
          <table ref={tableRef} className="tags">
            <caption className="visually-hidden">Error tags</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Id</th>
                <th scope="col">Description</th>
                <th scope="col">Key</th>
                <th scope="col">Root cause</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((tag, index) => {
                const n = index + 1;
                const error = (field: string) => errors[`${tag.key}.${field}`];
                return (
                  <tr key={tag.key}>
                    <td>
                      <CellInput
                        label={`Tag ${n} label`}
                        dataRow={tag.key}
                        value={tag.label}
                        error={error('label')}
                        onChange={(label) => edit(tag.key, { label })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={`Tag ${n} id`}
                        value={tag.id}
                        error={error('id')}
                        readOnly={tag.saved}
                        onChange={(id) => edit(tag.key, { id, idTouched: true })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={`Tag ${n} description`}
                        value={tag.description}
                        error={error('description')}
                        onChange={(description) => edit(tag.key, { description })}
                      />
                    </td>
                    <td>
                      <CellInput
                        label={`Tag ${n} key`}
                        value={tag.hotkey}
                        error={error('hotkey')}
                        narrow
                        onChange={(hotkey) => edit(tag.key, { hotkey })}
                      />
                    </td>
                    <td>
                      <Field label={`Tag ${n} root cause`} error={error('rootCause')} className="field--cell">
                        {(control) => (
                          <select
                            {...control}
                            value={tag.rootCause}
                            onChange={(event) => edit(tag.key, { rootCause: event.target.value as RootCause })}
                          >
                            {ROOT_CAUSES.map((cause) => (
                              <option key={cause} value={cause}>
                                {ROOT_CAUSE_LABELS[cause]}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    </td>
                    <td>
                      <button type="button" className="button button--danger" onClick={() => remove(tag.key)}>
                        Remove
                        <span className="visually-hidden">
                          {` tag ${n}`}
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
          Ids of saved tags cannot change: audits already recorded refer to them. Removing a tag keeps those audits.
        </p>
        <button type="button" className="button" onClick={add}>
          Add an error tag
        </button>
        <SectionMessages invalid={Object.keys(errors).length > 0} problems={problems} status={status} />
        <div className="save-bar">
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
            Save error tags
          </button>
          {unsaved ? <span className="unsaved">Unsaved changes</span> : null}
        </div>
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
