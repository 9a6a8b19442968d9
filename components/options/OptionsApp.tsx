import { useCallback, useEffect, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import { exportAllNotes } from '../../lib/notes/export';
import { useLocaleSetting } from '../../lib/i18n/use-locale-setting';
import type { PageRequest } from '../../lib/protocol';
import { settingsSchema, type Settings, type SiteProfile } from '../../lib/schemas';
import { loadSettings, saveSettings, SettingsInvalidError } from '../../lib/settings-store';
import { hasSitePermission, originsForProfile, requestSitePermission, type SitePermissionsApi } from '../../lib/site-permissions';
import { I18nProvider, useT, type OptionsT } from './i18n';
import { ImportExportSection } from './ImportExportSection';
import { KeyboardSection } from './KeyboardSection';
import { useOptionsStore, type SectionId } from './options-store';
import { SeverityWeightsSection } from './SeverityWeightsSection';
import { SitesSection } from './SitesSection';
import { SyncSection } from './SyncSection';
import { TaxonomySection } from './TaxonomySection';
import type { SaveSettings, SiteAccess } from './types';
import { YouSection } from './YouSection';
import './options.css';

export interface OptionsAppProps {
  db?: LoupeDatabase;
  /** `browser.permissions` by default; WXT's fakeBrowser does not implement it, so tests pass their own. */
  permissions?: SitePermissionsApi;
  /** Tells the worker the settings changed; by default `page/settings-changed` over runtime messaging. */
  notifySettingsChanged?: () => Promise<unknown>;
  now?: () => number;
  /** The language's messages, loaded before the first render (entrypoints/options/main.tsx); English otherwise. */
  translator?: OptionsT;
}

function notifyWorker(): Promise<unknown> {
  const message: PageRequest<'page/settings-changed'> = { type: 'page/settings-changed' };
  return browser.runtime.sendMessage(message);
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string; problems: string[] }
  | { kind: 'ready'; settings: Settings };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The page's sections, in the order the page shows them. */
const NAV_SECTIONS = ['you', 'sites', 'taxonomy', 'severity-weights', 'keyboard', 'sync', 'transfer'] as const;

/** Access is looked up per site and per set of origins: editing a site's patterns asks again. */
const accessKey = (profile: SiteProfile) => `${profile.id}\n${originsForProfile(profile).join(' ')}`;

function useSiteAccess(permissions: SitePermissionsApi, profiles: readonly SiteProfile[] | undefined) {
  const [access, setAccess] = useState<Record<string, SiteAccess>>({});
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    // Access can be granted or taken back in the browser's own UI while this page is open.
    const recheck = () => setChecks((n) => n + 1);
    window.addEventListener('focus', recheck);
    return () => window.removeEventListener('focus', recheck);
  }, []);

  useEffect(() => {
    if (!profiles) return;
    let live = true;
    for (const profile of profiles) {
      const key = accessKey(profile);
      hasSitePermission(permissions, profile).then(
        (granted) => live && setAccess((current) => ({ ...current, [key]: granted ? 'granted' : 'needed' })),
        () => live && setAccess((current) => ({ ...current, [key]: 'unknown' })),
      );
    }
    return () => {
      live = false;
    };
  }, [permissions, profiles, checks]);

  const accessOf = useCallback((profile: SiteProfile): SiteAccess => access[accessKey(profile)] ?? 'checking', [access]);

  const grantAccess = useCallback(
    (profile: SiteProfile) => {
      // No await before this call: it must run inside the click's user gesture (see requestSitePermission).
      const asked = requestSitePermission(permissions, profile);
      return asked.then((granted) => {
        setAccess((current) => ({ ...current, [accessKey(profile)]: granted ? 'granted' : 'needed' }));
        return granted;
      });
    },
    [permissions],
  );

  return { accessOf, grantAccess };
}

/** The page in the language of the locale setting, which follows a change saved here at once. */
export function OptionsApp({ translator, ...props }: OptionsAppProps) {
  const db = props.db ?? getDatabase();
  const choice = useLocaleSetting(db);
  return (
    <I18nProvider choice={choice} initial={translator}>
      <OptionsPage {...props} db={db} />
    </I18nProvider>
  );
}

function OptionsPage({
  db = getDatabase(),
  permissions = browser.permissions,
  notifySettingsChanged = notifyWorker,
  now = Date.now,
}: Omit<OptionsAppProps, 'translator'>) {
  const { t } = useT();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef<Settings | null>(null);
  const unsaved = useOptionsStore((state) => state.unsaved);
  const resetUi = useOptionsStore((state) => state.reset);
  const settings = load.kind === 'ready' ? load.settings : undefined;
  const { accessOf, grantAccess } = useSiteAccess(permissions, settings?.siteProfiles);

  useEffect(() => {
    resetUi();
    let live = true;
    loadSettings(db).then(
      (loaded) => {
        if (!live) return;
        latest.current = loaded;
        setLoad({ kind: 'ready', settings: loaded });
      },
      (error: unknown) => {
        if (!live) return;
        setLoad({
          kind: 'failed',
          message: messageOf(error),
          problems: error instanceof SettingsInvalidError ? error.problems : [],
        });
      },
    );
    return () => {
      live = false;
    };
  }, [db, resetUi]);

  // The tab's title too: it is what people pick the page by among their tabs.
  useEffect(() => {
    document.title = t('options.title');
  }, [t]);

  const anyUnsaved = Object.keys(unsaved).length > 0;
  useEffect(() => {
    if (!anyUnsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [anyUnsaved]);

  const save: SaveSettings = useCallback(
    async (change) => {
      const current = latest.current;
      if (!current) return { ok: false, issues: [], error: t('options.notLoaded') };
      const next = change(current);
      const parsed = settingsSchema.safeParse(next);
      if (!parsed.success) return { ok: false, issues: parsed.error.issues, error: null };
      let saved: Settings;
      try {
        saved = await saveSettings(db, next);
      } catch (error) {
        return {
          ok: false,
          issues: [],
          error: error instanceof SettingsInvalidError ? error.problems.join('; ') : messageOf(error),
        };
      }
      latest.current = saved;
      setLoad({ kind: 'ready', settings: saved });
      // The worker may be asleep or restarting; the settings are stored either way, so say what that means.
      const notified = await notifySettingsChanged().then(
        () => true,
        () => false,
      );
      return { ok: true, settings: saved, notified };
    },
    [db, notifySettingsChanged, t],
  );

  const onImported = useCallback(() => {
    // Every draft on the page was made from the settings the import just replaced.
    setGeneration((n) => n + 1);
  }, []);

  return (
    <div className="options">
      <header className="options__header">
        <h1>{t('options.title')}</h1>
        {settings ? (
          <nav aria-label={t('options.sections')}>
            <ul>
              {NAV_SECTIONS.map((id) => (
                <li key={id}>
                  <a href={`#${id}`}>{t(`options.section.${id}`)}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <p className="unsaved-summary" aria-live="polite">
          {anyUnsaved
            ? t('options.unsavedIn', {
                sections: (Object.keys(unsaved) as SectionId[]).map((id) => t(`options.section.${id}`)).join(', '),
              })
            : ''}
        </p>
      </header>
      <main>
        {load.kind === 'loading' ? (
          <p role="status" className="loading">
            {t('options.loading')}
          </p>
        ) : null}
        {load.kind === 'failed' ? (
          <div role="alert" className="message message--error load-error">
            <h2>{t('options.loadFailed.title')}</h2>
            <p>{load.problems.length > 0 ? t('options.loadFailed.invalid') : load.message}</p>
            {load.problems.length > 0 ? (
              <ul>
                {load.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            ) : null}
            <p>{t('options.loadFailed.advice')}</p>
          </div>
        ) : null}
        {settings ? (
          <>
            <div key={generation} className="sections">
              <YouSection settings={settings} save={save} />
              <SitesSection settings={settings} save={save} accessOf={accessOf} grantAccess={grantAccess} />
              <TaxonomySection settings={settings} save={save} />
              <SeverityWeightsSection settings={settings} save={save} />
              <KeyboardSection settings={settings} save={save} />
              <SyncSection settings={settings} save={save} db={db} permissions={permissions} />
            </div>
            <ImportExportSection
              settings={settings}
              save={save}
              accessOf={accessOf}
              grantAccess={grantAccess}
              onImported={onImported}
              now={now}
              exportNotes={() => exportAllNotes(db, now())}
            />
          </>
        ) : null}
      </main>
    </div>
  );
}
