import { useState } from 'react';
import type { Settings } from '../../lib/schemas';
import { SaveBar, SectionMessages, TextField } from './Field';
import { splitIssues, parseWholeNumber, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import type { SaveSettings, SettingsChange } from './types';
import { useSectionForm } from './use-section-form';

interface YouDraft {
  auditorId: string;
  dailyQuota: string;
  kpiPercent: string;
  timeZone: string;
  undoSeconds: string;
  breakMinutes: string;
}

const FIELDS = ['auditorId', 'dailyQuota', 'kpiTarget', 'timeZone', 'undoWindowMs', 'breakReminderMinutes'] as const;

function toDraft(settings: Settings): YouDraft {
  return {
    auditorId: settings.auditorId ?? '',
    dailyQuota: settings.dailyQuota === undefined ? '' : String(settings.dailyQuota),
    kpiPercent: String(Math.round(settings.kpiTarget * 1000) / 10),
    timeZone: settings.timeZone ?? '',
    undoSeconds: String(settings.undoWindowMs / 1000),
    breakMinutes: String(settings.breakReminderMinutes),
  };
}

function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** The draft as settings values; the conversions (percent → fraction, seconds → ms) are checked here. */
function toChange(draft: YouDraft): SettingsChange | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const quota = parseWholeNumber(draft.dailyQuota, 1, 100_000);
  if (!quota.ok) errors.dailyQuota = quota.message;
  const percent = parseDecimal(draft.kpiPercent);
  if (percent === undefined || percent < 50 || percent > 100) errors.kpiTarget = 'Enter a percentage from 50 to 100.';
  const seconds = parseDecimal(draft.undoSeconds);
  if (seconds === undefined || seconds > 120) errors.undoWindowMs = 'Enter a number of seconds from 0 to 120.';
  const breakMinutes = parseWholeNumber(draft.breakMinutes, 0, 240);
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
function placeIssues(issues: readonly Issue[]): SplitIssues {
  return splitIssues(issues, (path) =>
    (FIELDS as readonly PropertyKey[]).includes(path[0] ?? '') && path.length === 1 ? String(path[0]) : undefined,
  );
}

export function YouSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'you',
    settings,
    save,
    toDraft,
    toChange,
    placeIssues,
    savedText: () => 'Your details are saved.',
  });
  const [zones] = useState(knownTimeZones);

  const edit = (key: keyof YouDraft) => (value: string) => update((current) => ({ ...current, [key]: value }));

  const zoneListId = 'loupe-time-zones';
  return (
    <section className="section" aria-labelledby="you-title" id="you">
      <h2 id="you-title">You</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <TextField
          label="Auditor id"
          hint="Your name or id as your team records it. Loupe records no verdict until it is set."
          value={draft.auditorId}
          onChange={edit('auditorId')}
          error={errors.auditorId}
          autoComplete="username"
        />
        <TextField
          label="Daily quota (optional)"
          hint="Audits you are expected to do in a day."
          value={draft.dailyQuota}
          onChange={edit('dailyQuota')}
          error={errors.dailyQuota}
          inputMode="numeric"
        />
        <TextField
          label="Accuracy target (%)"
          hint="The share of labels your team aims to get right, from 50 to 100."
          value={draft.kpiPercent}
          onChange={edit('kpiPercent')}
          error={errors.kpiTarget}
          inputMode="decimal"
        />
        <TextField
          label="Time zone"
          hint={`Decides when “today” starts. Leave empty to use this browser’s zone (${browserTimeZone()}).`}
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
          label="Undo window (seconds)"
          hint="How long after a verdict the undo key can take it back, up to 120."
          value={draft.undoSeconds}
          onChange={edit('undoSeconds')}
          error={errors.undoWindowMs}
          inputMode="decimal"
        />
        <TextField
          label="Break reminder (minutes)"
          hint="After this long auditing without a 10-minute pause, the panel suggests a short break. 0 turns it off."
          value={draft.breakMinutes}
          onChange={edit('breakMinutes')}
          error={errors.breakReminderMinutes}
          inputMode="numeric"
        />
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label="Save your details" busy={busy} unsaved={unsaved} />
      </form>
    </section>
  );
}
