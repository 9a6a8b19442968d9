import { useState } from 'react';
import { browserLanguages, LOCALE_NAMES, LOCALES, resolveLocale, type LocaleChoice } from '../../lib/i18n/locales';
import type { Settings } from '../../lib/schemas';
import { Field, SaveBar, SectionMessages, TextField } from './Field';
import { splitIssues, parseWholeNumber, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import { useT, type OptionsT } from './i18n';
import type { SaveSettings, SettingsChange } from './types';
import { useSectionForm } from './use-section-form';

interface YouDraft {
  auditorId: string;
  dailyQuota: string;
  kpiPercent: string;
  timeZone: string;
  undoSeconds: string;
  breakMinutes: string;
  locale: LocaleChoice;
}

const FIELDS = ['auditorId', 'dailyQuota', 'kpiTarget', 'timeZone', 'undoWindowMs', 'breakReminderMinutes', 'locale'] as const;

function toDraft(settings: Settings): YouDraft {
  return {
    auditorId: settings.auditorId ?? '',
    dailyQuota: settings.dailyQuota === undefined ? '' : String(settings.dailyQuota),
    kpiPercent: String(Math.round(settings.kpiTarget * 1000) / 10),
    timeZone: settings.timeZone ?? '',
    undoSeconds: String(settings.undoWindowMs / 1000),
    breakMinutes: String(settings.breakReminderMinutes),
    locale: settings.locale ?? 'auto',
  };
}

function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** The draft as settings values; the conversions (percent → fraction, seconds → ms) are checked here. */
function toChange(draft: YouDraft, t: OptionsT['t']): SettingsChange | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const quota = parseWholeNumber(draft.dailyQuota, 1, 100_000, t);
  if (!quota.ok) errors.dailyQuota = quota.message;
  const percent = parseDecimal(draft.kpiPercent);
  if (percent === undefined || percent < 50 || percent > 100) errors.kpiTarget = t('options.you.kpiInvalid');
  const seconds = parseDecimal(draft.undoSeconds);
  if (seconds === undefined || seconds > 120) errors.undoWindowMs = t('options.you.undoInvalid');
  const breakMinutes = parseWholeNumber(draft.breakMinutes, 0, 240, t);
  if (!breakMinutes.ok) errors.breakReminderMinutes = breakMinutes.message;
  if (Object.keys(errors).length > 0 || !quota.ok || !breakMinutes.ok || percent === undefined || seconds === undefined) {
    return { errors };
  }
  return (current) => ({
    ...current,
    auditorId: draft.auditorId.trim() || undefined,
    dailyQuota: quota.value,
    kpiTarget: Number((percent / 100).toFixed(4)),
    timeZone: draft.timeZone.trim() || undefined,
    undoWindowMs: Math.round(seconds * 1000),
    // Empty means the default stretch, not "never": turning it off is a deliberate 0.
    breakReminderMinutes: breakMinutes.value ?? 50,
    // "auto" is stored as no choice, which is what settings made before the choice existed hold.
    locale: draft.locale === 'auto' ? undefined : draft.locale,
  });
}

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function knownTimeZones(): string[] {
  // Intl.supportedValuesOf is missing in older engines; the field then works without suggestions.
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf('timeZone') : [];
}

/** Issues of the fields this section edits, each at its field. */
function placeIssues(issues: readonly Issue[], t: OptionsT['t']): SplitIssues {
  return splitIssues(
    issues,
    (path) => ((FIELDS as readonly PropertyKey[]).includes(path[0] ?? '') && path.length === 1 ? String(path[0]) : undefined),
    t,
  );
}

export function YouSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { t } = useT();
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'you',
    settings,
    save,
    toDraft,
    toChange: (next) => toChange(next, t),
    placeIssues: (issues) => placeIssues(issues, t),
    savedText: (_saved, t) => t('options.you.saved'),
  });
  const [zones] = useState(knownTimeZones);

  const edit = (key: keyof YouDraft) => (value: string) => update((current) => ({ ...current, [key]: value }));

  const zoneListId = 'loupe-time-zones';
  return (
    <section className="section" aria-labelledby="you-title" id="you">
      <h2 id="you-title">{t('options.section.you')}</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <TextField
          label={t('options.you.auditorId')}
          hint={t('options.you.auditorIdHint')}
          value={draft.auditorId}
          onChange={edit('auditorId')}
          error={errors.auditorId}
          autoComplete="username"
        />
        <TextField
          label={t('options.you.quota')}
          hint={t('options.you.quotaHint')}
          value={draft.dailyQuota}
          onChange={edit('dailyQuota')}
          error={errors.dailyQuota}
          inputMode="numeric"
        />
        <TextField
          label={t('options.you.kpi')}
          hint={t('options.you.kpiHint')}
          value={draft.kpiPercent}
          onChange={edit('kpiPercent')}
          error={errors.kpiTarget}
          inputMode="decimal"
        />
        <TextField
          label={t('options.you.timeZone')}
          hint={t('options.you.timeZoneHint', { zone: browserTimeZone() })}
          value={draft.timeZone}
          onChange={edit('timeZone')}
          error={errors.timeZone}
          list={zones.length ? zoneListId : undefined}
          placeholder={browserTimeZone()}
        />
        {zones.length ? (
          <datalist id={zoneListId}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        ) : null}
        <TextField
          label={t('options.you.undo')}
          hint={t('options.you.undoHint')}
          value={draft.undoSeconds}
          onChange={edit('undoSeconds')}
          error={errors.undoWindowMs}
          inputMode="decimal"
        />
        <TextField
          label={t('options.you.break')}
          hint={t('options.you.breakHint')}
          value={draft.breakMinutes}
          onChange={edit('breakMinutes')}
          error={errors.breakReminderMinutes}
          inputMode="numeric"
        />
        <Field label={t('options.you.language')} hint={t('options.you.languageHint')} error={errors.locale}>
          {(control) => (
            <select
              {...control}
              value={draft.locale}
              onChange={(event) => update((current) => ({ ...current, locale: event.target.value as LocaleChoice }))}
            >
              <option value="auto">
                {t('options.you.languageAuto', { language: LOCALE_NAMES[resolveLocale('auto', browserLanguages())] })}
              </option>
              {LOCALES.map((locale) => (
                // Each language in its own words and script, so anyone finds theirs whatever the page's language.
                <option key={locale} value={locale} lang={locale}>
                  {LOCALE_NAMES[locale]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label={t('options.you.save')} busy={busy} unsaved={unsaved} />
      </form>
    </section>
  );
}
