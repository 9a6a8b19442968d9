import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ITEM_FIELDS, siteProfileSchema, type FieldSource, type ItemField, type SiteProfile } from '../../lib/schemas';
import { Field, SaveBar, SectionMessages, TextField } from './Field';
import { issueMessage, parseWholeNumber, type FieldErrors, type Issue } from './form-issues';
import { englishOptionsTranslator, useT, type OptionsT } from './i18n';
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

type T = OptionsT['t'];

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
function selectorProblem(selector: string, t: T): string | undefined {
  if (!selector.trim()) return undefined;
  try {
    document.querySelector(selector);
    return undefined;
  } catch {
    return t('setup.form.selectorInvalid', { selector });
  }
}

/** The draft as the input `siteProfileSchema` parses, plus the problems only the form can see. */
function fromDraft(draft: ProfileDraft, enabled: boolean, t: T): { input: unknown; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fields: Record<string, unknown> = {};
  for (const field of ITEM_FIELDS) {
    const source = draft.fields[field];
    if (source.from === 'none') continue;
    const group = parseWholeNumber(source.group, 0, 20, t);
    if (!group.ok) errors[`fields.${field}.group`] = group.message;
    const groupValue = group.ok ? group.value : undefined;
    if (source.from === 'url') {
      fields[field] = { from: 'url', pattern: source.pattern, ...(groupValue === undefined ? {} : { group: groupValue }) };
    } else {
      const selectorError = selectorProblem(source.selector, t);
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
export function profileErrors(issues: readonly Issue[], t: T = englishOptionsTranslator.t): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const key = profileFieldKey(issue.path);
    if (!key) {
      const problem = issueMessage(issue, t);
      other.push(issue.path.length ? t('options.issue.where', { where: issue.path.map(String).join(' › '), problem }) : problem);
      continue;
    }
    const index = issue.path[1];
    const problem = key === 'match' && issue.code === 'too_small' ? t('setup.form.matchRequired') : issueMessage(issue, t);
    fields[key] ??= (key === 'match' || key === 'keepParams') && typeof index === 'number' ? t('setup.form.line', { line: index + 1, problem }) : problem;
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
  const { t } = useT();
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
    const { input, errors: formErrors } = fromDraft(draft, profile?.enabled ?? false, t);
    const parsed = siteProfileSchema.safeParse(input);
    const found = parsed.success ? { fields: {}, other: [] } : profileErrors(parsed.error.issues, t);
    const allErrors: FieldErrors = { ...formErrors, ...found.fields };
    if (!editing && draft.id.trim() && takenIds.includes(draft.id.trim())) {
      allErrors.id ??= t('setup.form.idTaken', { id: draft.id.trim() });
    }
    if (!parsed.success || Object.keys(allErrors).length > 0) {
      refuse({ fields: allErrors, other: found.other });
      return;
    }
    const result = await whileBusy(() => onSave(parsed.data));
    // On success the section closes this form and says so itself.
    if (!result.ok) {
      const mapped = profileErrors(result.issues, t);
      notSaved({ fields: mapped.fields, other: [...mapped.other, ...result.other] }, result.error);
    }
  }

  const title = editing ? t('setup.form.titleEdit', { site: profile.name }) : t('setup.form.titleAdd');
  return (
    <form ref={formRef} className="site-form" onSubmit={onSubmit} noValidate aria-labelledby="site-form-title">
      <h3 id="site-form-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <TextField
        label={t('setup.form.id')}
        hint={editing ? t('setup.form.idFixed') : t('setup.form.idHint')}
        value={draft.id}
        onChange={edit('id')}
        error={errors.id}
        readOnly={editing}
      />
      <TextField label={t('setup.form.name')} value={draft.name} onChange={edit('name')} error={errors.name} />
      <Field
        label={t('setup.form.match')}
        hint={t('setup.form.matchHint')}
        error={errors.match}
      >
        {(control) => (
          <textarea {...control} rows={3} spellCheck={false} value={draft.match} onChange={(e) => edit('match')(e.target.value)} />
        )}
      </Field>
      <TextField
        label={t('setup.form.keepParams')}
        hint={t('setup.form.keepParamsHint')}
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
      <SaveBar label={t('setup.form.save')} busy={busy} unsaved={dirty}>
        <button type="button" className="button" onClick={onCancel}>
          {t('options.form.cancel')}
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
  const { t } = useT();
  const required = field === 'itemId';
  const kinds: SourceKind[] = required ? ['url', 'dom'] : ['none', 'url', 'dom'];
  const error = (key: string) => errors[`fields.${field}.${key}`];
  return (
    <fieldset className="source">
      <legend>
        {required ? t('setup.form.fieldRequired', { field: t(`common.field.${field}`) }) : t(`common.field.${field}`)}
      </legend>
      <Field label={t('setup.form.readFrom')} error={errors[`fields.${field}`]}>
        {(control) => (
          <select {...control} value={source.from} onChange={(e) => onEdit('from')(e.target.value)}>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`setup.form.source.${kind}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {source.from === 'dom' ? (
        <>
          <TextField
            label={t('setup.form.selector')}
            hint={t('setup.form.selectorHint')}
            value={source.selector}
            onChange={onEdit('selector')}
            error={error('selector')}
          />
          <TextField
            label={t('setup.form.attribute')}
            hint={t('setup.form.attributeHint')}
            value={source.attribute}
            onChange={onEdit('attribute')}
            error={error('attribute')}
          />
        </>
      ) : null}
      {source.from !== 'none' ? (
        <>
          <TextField
            label={source.from === 'url' ? t('setup.form.urlPattern') : t('setup.form.pattern')}
            hint={source.from === 'url' ? t('setup.form.urlPatternHint') : t('setup.form.patternHint')}
            value={source.pattern}
            onChange={onEdit('pattern')}
            error={error('pattern')}
          />
          <TextField
            label={t('setup.form.group')}
            hint={t('setup.form.groupHint')}
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
