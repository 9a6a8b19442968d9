import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ITEM_FIELDS, siteProfileSchema, type FieldSource, type ItemField, type SiteProfile } from '../../lib/schemas';
import { Field, SaveBar, SectionMessages, TextField } from './Field';
import { issueMessage, parseWholeNumber, type FieldErrors, type Issue } from './form-issues';
import { useSaveFeedback } from './use-section-form';

type SourceKind = 'none' | FieldSource['from'];

interface SourceDraft {
  from: SourceKind;
  pattern: string;
  group: string;
  selector: string;
  attribute: string;
}

export interface ProfileDraft {
  id: string;
  name: string;
  match: string;
  keepParams: string;
  fields: Record<ItemField, SourceDraft>;
}

export const ITEM_FIELD_LABELS: Record<ItemField, string> = {
  itemId: 'Item id',
  labelerId: 'Labeler',
  labelerDecision: 'Labeler’s decision',
  queue: 'Queue',
};

const SOURCE_LABELS: Record<SourceKind, string> = {
  none: 'Not read',
  url: 'Page address (URL)',
  dom: 'Page element',
};

function sourceDraft(source: FieldSource | undefined, required: boolean): SourceDraft {
  if (!source) return { from: required ? 'url' : 'none', pattern: '', group: '1', selector: '', attribute: '' };
  if (source.from === 'url') return { from: 'url', pattern: source.pattern, group: String(source.group), selector: '', attribute: '' };
  return {
    from: 'dom',
    pattern: source.pattern ?? '',
    group: String(source.group),
    selector: source.selector,
    attribute: source.attribute ?? '',
  };
}

export function toProfileDraft(profile?: SiteProfile): ProfileDraft {
  const fields = {} as Record<ItemField, SourceDraft>;
  for (const field of ITEM_FIELDS) fields[field] = sourceDraft(profile?.fields[field], field === 'itemId');
  return {
    id: profile?.id ?? '',
    name: profile?.name ?? '',
    match: profile?.match.join('\n') ?? '',
    keepParams: profile?.keepParams.join(', ') ?? '',
    fields,
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A selector the browser cannot parse would make every read on the labeling page fail; catch it here. */
function selectorProblem(selector: string): string | undefined {
  if (!selector.trim()) return undefined;
  try {
    document.querySelector(selector);
    return undefined;
  } catch {
    return `“${selector}” is not a CSS selector this browser understands.`;
  }
}

/** The draft as the input `siteProfileSchema` parses, plus the problems only the form can see. */
function fromDraft(draft: ProfileDraft, enabled: boolean): { input: unknown; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fields: Record<string, unknown> = {};
  for (const field of ITEM_FIELDS) {
    const source = draft.fields[field];
    if (source.from === 'none') continue;
    const group = parseWholeNumber(source.group, 0, 20);
    if (!group.ok) errors[`fields.${field}.group`] = group.message;
    const groupValue = group.ok ? group.value : undefined;
    if (source.from === 'url') {
      fields[field] = { from: 'url', pattern: source.pattern, ...(groupValue === undefined ? {} : { group: groupValue }) };
    } else {
      const selectorError = selectorProblem(source.selector);
      if (selectorError) errors[`fields.${field}.selector`] = selectorError;
      fields[field] = {
        from: 'dom',
        selector: source.selector,
        ...(source.attribute.trim() ? { attribute: source.attribute } : {}),
        ...(source.pattern.trim() ? { pattern: source.pattern } : {}),
        ...(groupValue === undefined ? {} : { group: groupValue }),
      };
    }
  }
  return {
    input: {
      id: draft.id.trim(),
      name: draft.name,
      enabled,
      match: lines(draft.match),
      fields,
      keepParams: draft.keepParams
        .split(/[\s,]+/)
        .map((param) => param.trim())
        .filter(Boolean),
    },
    errors,
  };
}

/** Field key for an issue whose path is relative to one site profile. */
export function profileFieldKey(path: readonly PropertyKey[]): string | undefined {
  const [head, second, third] = path;
  if (head === 'id' || head === 'name' || head === 'match' || head === 'keepParams') return head;
  if (head === 'fields' && typeof second === 'string') {
    if (third === 'pattern' || third === 'group' || third === 'selector' || third === 'attribute') return `fields.${second}.${third}`;
    return `fields.${second}`;
  }
  return undefined;
}

/** Issues relative to a profile as field messages; a match pattern or parameter says which line it is. */
export function profileErrors(issues: readonly Issue[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const key = profileFieldKey(issue.path);
    if (!key) {
      other.push(`${issue.path.map(String).join(' › ')}${issue.path.length ? ': ' : ''}${issueMessage(issue)}`);
      continue;
    }
    const index = issue.path[1];
    const prefix = (key === 'match' || key === 'keepParams') && typeof index === 'number' ? `Line ${index + 1}: ` : '';
    fields[key] ??= `${prefix}${key === 'match' && issue.code === 'too_small' ? 'Add at least one match pattern.' : issueMessage(issue)}`;
  }
  return { fields, other };
}

export type ProfileSaveResult = { ok: true } | { ok: false; issues: Issue[]; other: string[]; error: string | null };

interface SiteProfileFormProps {
  /** The profile being edited; absent when adding one. */
  profile?: SiteProfile;
  /** Ids already taken by other sites. */
  takenIds: readonly string[];
  onSave: (profile: SiteProfile) => Promise<ProfileSaveResult>;
  onCancel: () => void;
  onDirtyChange: (dirty: boolean) => void;
}

export function SiteProfileForm({ profile, takenIds, onSave, onCancel, onDirtyChange }: SiteProfileFormProps) {
  const [initial] = useState(() => toProfileDraft(profile));
  const [draft, setDraft] = useState(initial);
  const { errors, problems, status, setStatus, invalid, busy, formRef, refuse, notSaved, whileBusy } = useSaveFeedback();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const editing = profile !== undefined;
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  useEffect(() => {
    onDirtyChange(dirty);
  }, [dirty, onDirtyChange]);

  const edit = (key: 'id' | 'name' | 'match' | 'keepParams') => (value: string) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const editSource = (field: ItemField, key: keyof SourceDraft) => (value: string) =>
    setDraft((current) => ({
      ...current,
      fields: { ...current.fields, [field]: { ...current.fields[field], [key]: value } },
    }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setStatus(null);
    const { input, errors: formErrors } = fromDraft(draft, profile?.enabled ?? false);
    const parsed = siteProfileSchema.safeParse(input);
    const found = parsed.success ? { fields: {}, other: [] } : profileErrors(parsed.error.issues);
    const allErrors: FieldErrors = { ...formErrors, ...found.fields };
    if (!editing && draft.id.trim() && takenIds.includes(draft.id.trim())) {
      allErrors.id ??= `A site with the id “${draft.id.trim()}” already exists.`;
    }
    if (!parsed.success || Object.keys(allErrors).length > 0) {
      refuse({ fields: allErrors, other: found.other });
      return;
    }
    const result = await whileBusy(() => onSave(parsed.data));
    // On success the section closes this form and says so itself.
    if (!result.ok) {
      const mapped = profileErrors(result.issues);
      notSaved({ fields: mapped.fields, other: [...mapped.other, ...result.other] }, result.error);
    }
  }

  const title = editing ? `Edit ${profile.name}` : 'Add a site';
  return (
    <form ref={formRef} className="site-form" onSubmit={onSubmit} noValidate aria-labelledby="site-form-title">
      <h3 id="site-form-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <TextField
        label="Site id"
        hint={
          editing
            ? 'Audits refer to this id, so it cannot change.'
            : 'Lowercase letters, digits and dashes, e.g. “labeldesk”. Audits refer to it, so it cannot change later.'
        }
        value={draft.id}
        onChange={edit('id')}
        error={errors.id}
        readOnly={editing}
      />
      <TextField label="Name" value={draft.name} onChange={edit('name')} error={errors.name} />
      <Field
        label="Match patterns"
        hint="Pages Loupe runs on, one pattern per line, e.g. https://tool.example.com/review/*"
        error={errors.match}
      >
        {(control) => (
          <textarea {...control} rows={3} spellCheck={false} value={draft.match} onChange={(e) => edit('match')(e.target.value)} />
        )}
      </Field>
      <TextField
        label="Query parameters to keep"
        hint="Separated by commas. Recorded item addresses drop every other query parameter and the fragment."
        value={draft.keepParams}
        onChange={edit('keepParams')}
        error={errors.keepParams}
      />
      {ITEM_FIELDS.map((field) => (
        <SourceFieldset
          key={field}
          field={field}
          source={draft.fields[field]}
          errors={errors}
          onEdit={(key) => editSource(field, key)}
        />
      ))}
      <SectionMessages invalid={invalid} problems={problems} status={status} />
      <SaveBar label="Save site" busy={busy} unsaved={dirty}>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </SaveBar>
    </form>
  );
}

interface SourceFieldsetProps {
  field: ItemField;
  source: SourceDraft;
  errors: FieldErrors;
  onEdit: (key: keyof SourceDraft) => (value: string) => void;
}

function SourceFieldset({ field, source, errors, onEdit }: SourceFieldsetProps) {
  const required = field === 'itemId';
  const kinds: SourceKind[] = required ? ['url', 'dom'] : ['none', 'url', 'dom'];
  const error = (key: string) => errors[`fields.${field}.${key}`];
  return (
    <fieldset className="source">
      <legend>
        {ITEM_FIELD_LABELS[field]}
        {required ? ' (required)' : ''}
      </legend>
      <Field label="Read from" error={errors[`fields.${field}`]}>
        {(control) => (
          <select {...control} value={source.from} onChange={(e) => onEdit('from')(e.target.value)}>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {SOURCE_LABELS[kind]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {source.from === 'dom' ? (
        <>
          <TextField
            label="CSS selector"
            hint="The first element it matches is read, e.g. [data-testid=item-id]"
            value={source.selector}
            onChange={onEdit('selector')}
            error={error('selector')}
          />
          <TextField
            label="Attribute (optional)"
            hint="Leave empty to read the element’s text."
            value={source.attribute}
            onChange={onEdit('attribute')}
            error={error('attribute')}
          />
        </>
      ) : null}
      {source.from !== 'none' ? (
        <>
          <TextField
            label={source.from === 'url' ? 'Regular expression' : 'Regular expression (optional)'}
            hint={
              source.from === 'url'
                ? 'Runs on the page address; a capture group picks the value, e.g. /task/(\\d+)'
                : 'Narrows the text read; a capture group picks the value.'
            }
            value={source.pattern}
            onChange={onEdit('pattern')}
            error={error('pattern')}
          />
          <TextField
            label="Capture group"
            hint="Which group of the regular expression is the value (0 is the whole match)."
            value={source.group}
            onChange={onEdit('group')}
            error={error('group')}
            inputMode="numeric"
          />
        </>
      ) : null}
    </fieldset>
  );
}
