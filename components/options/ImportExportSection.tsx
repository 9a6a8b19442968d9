import { useState, type ChangeEvent } from 'react';
import { exportSettingsBundle, parseSettingsBundle } from '../../lib/settings-store';
import type { Settings, SiteProfile } from '../../lib/schemas';
import { dayOf, resolveTimeZone } from '../../lib/time';
import { SectionMessages, type StatusMessage } from './Field';
import { issueAt } from './form-issues';
import { useT } from './i18n';
import { askAccess } from './site-access';
import type { GrantAccess, SaveSettings, SiteAccess } from './types';

interface ImportExportSectionProps {
  settings: Settings;
  save: SaveSettings;
  accessOf: (profile: SiteProfile) => SiteAccess;
  grantAccess: GrantAccess;
  /** After an import replaced the settings: drafts elsewhere on the page are out of date. */
  onImported: () => void;
  now: () => number;
  /** Every stored note as W3C Web Annotation JSON-LD (lib/notes/export.ts). */
  exportNotes: () => Promise<{ fileName: string; text: string; count: number }>;
}

type ImportState =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'refused'; fileName: string; problems: string[] }
  | { kind: 'imported'; siteIds: string[] };


/** The file name exported on `now`, dated in the zone that decides "today". */
export function exportFileName(settings: Settings, now: number): string {
  return `loupe-settings-${dayOf(now, resolveTimeZone(settings.timeZone))}.json`;
}

function saveFile(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started reading the blob by the time the event loop comes back here.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ImportExportSection({ settings, save, accessOf, grantAccess, onImported, now, exportNotes }: ImportExportSectionProps) {
  const { t } = useT();
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const [status, setStatus] = useState<StatusMessage | null>(null);

  function exportSettings() {
    const fileName = exportFileName(settings, now());
    saveFile(fileName, exportSettingsBundle(settings, now()), 'application/json');
    setStatus({ kind: 'info', text: t('options.transfer.exported', { file: fileName }) });
  }

  async function exportAllNotes() {
    setStatus(null);
    try {
      const { fileName, text, count } = await exportNotes();
      saveFile(fileName, text, 'application/ld+json');
      setStatus({
        kind: 'info',
        text: count === 0 ? t('options.transfer.noNotes', { file: fileName }) : t('options.transfer.notesExported', { count, file: fileName }),
      });
    } catch (error) {
      setStatus({ kind: 'error', text: t('options.transfer.notesFailed', { error: error instanceof Error ? error.message : String(error) }) });
    }
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setStatus(null);
    setState({ kind: 'reading' });
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setState({ kind: 'refused', fileName: file.name, problems: [t('options.transfer.unreadable', { error: String(error) })] });
      return;
    } finally {
      // Choosing the same file again after fixing it must fire `change` again.
      input.value = '';
    }
    const parsed = parseSettingsBundle(text);
    if (!parsed.ok) {
      setState({ kind: 'refused', fileName: file.name, problems: parsed.problems });
      return;
    }
    // The bundle replaces everything, but a shared team file usually has no auditor id: keep this person's. The
    // language is always this person's own: a lead's file must not switch a whole team to the lead's language.
    const imported = parsed.settings;
    const result = await save((current) => ({
      ...imported,
      auditorId: imported.auditorId ?? current.auditorId,
      locale: current.locale,
    }));
    if (!result.ok) {
      setState({
        kind: 'refused',
        fileName: file.name,
        problems: result.error ? [result.error] : result.issues.map((issue) => issueAt(issue.path, issue.message, t)),
      });
      return;
    }
    const sites = result.settings.siteProfiles.length;
    const tags = result.settings.taxonomy.tags.length;
    setState({ kind: 'imported', siteIds: result.settings.siteProfiles.filter((p) => p.enabled).map((p) => p.id) });
    setStatus({
      kind: 'success',
      text: t('options.transfer.imported', {
        sites: t('options.transfer.sites', { count: sites }),
        tags: t('options.transfer.tags', { count: tags }),
        version: String(result.settings.taxonomy.version),
      }),
      ...(result.notified ? {} : { note: t('options.reloadNote') }),
    });
    onImported();
  }

  const needingAccess =
    state.kind === 'imported'
      ? settings.siteProfiles.filter(
          (p) => p.enabled && state.siteIds.includes(p.id) && (accessOf(p) === 'needed' || accessOf(p) === 'unknown'),
        )
      : [];

  return (
    <section className="section" aria-labelledby="transfer-title" id="transfer">
      <h2 id="transfer-title">{t('options.section.transfer')}</h2>
      <p className="section__intro">{t('options.transfer.intro')}</p>
      <div className="transfer">
        <button type="button" className="button" onClick={exportSettings}>
          {t('options.transfer.exportSettings')}
        </button>
        <button type="button" className="button" onClick={() => void exportAllNotes()}>
          {t('options.transfer.exportNotes')}
        </button>
        <div className="field">
          <label htmlFor="settings-import">{t('options.transfer.import')}</label>
          <input
            id="settings-import"
            data-testid="settings-import"
            type="file"
            accept="application/json,.json"
            onChange={(event) => void importFile(event)}
          />
        </div>
      </div>
      {state.kind === 'reading' ? <p>{t('options.transfer.reading')}</p> : null}
      {state.kind === 'refused' ? (
        <div role="alert" className="message message--error">
          <p>{t('options.transfer.refused', { file: state.fileName, count: state.problems.length })}</p>
          <ul>
            {state.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <SectionMessages invalid={false} status={status} />
      {needingAccess.length > 0 ? (
        <div className="grants">
          {/* Buttons, because a file input's change event is not a user gesture for permissions.request in every
              browser: access is asked for straight from these clicks. */}
          <p>{t('options.transfer.needAccess')}</p>
          <ul>
            {needingAccess.map((profile) => (
              <li key={profile.id}>
                <button type="button" className="button button--primary" onClick={() => askAccess(profile, grantAccess, setStatus, t)}>
                  {t('options.transfer.grant', { site: profile.name })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
