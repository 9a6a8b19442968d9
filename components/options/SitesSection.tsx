import { useCallback, useEffect, useRef, useState } from 'react';
import type { Settings, SiteProfile } from '../../lib/schemas';
import { SectionMessages, type MessageText, type StatusMessage } from './Field';
import { useT } from './i18n';
import { ReadyMadeProfileForm } from './ReadyMadeProfileForm';
import { startsWith, type Issue } from './form-issues';
import { SiteProfileForm, type ProfileSaveResult } from './SiteProfileForm';
import { askAccess, askFailedMessage, refusalMessage } from './site-access';
import type { GrantAccess, SaveSettings, SiteAccess } from './types';
import { useUnsavedFlag } from './use-section-form';

/** Statuses are worded when shown, so one said just before the language changed follows the new language. */
const RELOAD_NOTE: MessageText = (t) => t('options.reloadNote');

interface SitesSectionProps {
  settings: Settings;
  save: SaveSettings;
  accessOf: (profile: SiteProfile) => SiteAccess;
  grantAccess: GrantAccess;
}

type Editing = { mode: 'add' } | { mode: 'ready-made' } | { mode: 'edit'; id: string } | null;

export function SitesSection({ settings, save, accessOf, grantAccess }: SitesSectionProps) {
  const { t } = useT();
  const profiles = settings.siteProfiles;
  const [editing, setEditing] = useState<Editing>(null);
  const [formDirty, setFormDirty] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const readyButtonRef = useRef<HTMLButtonElement>(null);
  /** Which of the two "add" buttons focus goes back to when a form closes. */
  const returnTo = useRef<'add' | 'ready-made'>('add');
  /** Set when the control that had focus (the form, a deleted row) is going away: focus lands on "Add a site". */
  const returnFocus = useRef(false);
  useUnsavedFlag('sites', editing !== null && formDirty);

  useEffect(() => {
    const button = returnTo.current === 'ready-made' ? readyButtonRef.current : addButtonRef.current;
    if (returnFocus.current && editing === null && button) {
      returnFocus.current = false;
      returnTo.current = 'add';
      button.focus();
    }
  }, [editing, profiles]);

  const closeForm = useCallback(() => {
    returnFocus.current = true;
    setEditing(null);
    setFormDirty(false);
  }, []);

  async function saveProfiles(
    change: (current: SiteProfile[]) => SiteProfile[],
    success: MessageText,
    kind: StatusMessage['kind'] = 'success',
  ): Promise<boolean> {
    const result = await save((current) => ({ ...current, siteProfiles: change(current.siteProfiles) }));
    if (!result.ok) {
      const error = result.error ?? result.issues.map((issue) => issue.message).join(' ');
      setStatus({ kind: 'error', text: (t) => t('options.form.notSavedBecause', { error }) });
      return false;
    }
    setStatus({ kind, text: success, ...(result.notified ? {} : { note: RELOAD_NOTE }) });
    return true;
  }

  function setEnabled(profile: SiteProfile, enabled: boolean) {
    setStatus(null);
    const next = (value: boolean) => (current: SiteProfile[]) =>
      current.map((p) => (p.id === profile.id ? { ...p, enabled: value } : p));
    if (!enabled) {
      void saveProfiles(next(false), (t) => t('setup.sites.off', { site: profile.name }));
      return;
    }
    // The permission prompt needs the user gesture of this change event: ask before anything is awaited.
    grantAccess(profile).then(
      (granted) => {
        if (!granted) {
          setStatus({ kind: 'error', text: (t) => refusalMessage(profile, t) });
          return;
        }
        void saveProfiles(next(true), (t) => t('setup.sites.on', { site: profile.name }));
      },
      (error: unknown) => setStatus(askFailedMessage(error, t)),
    );
  }

  async function saveProfile(profile: SiteProfile): Promise<ProfileSaveResult> {
    const replacing = editing?.mode === 'edit' ? editing.id : undefined;
    let index = -1;
    const result = await save((current) => {
      const list = current.siteProfiles;
      index = replacing ? list.findIndex((p) => p.id === replacing) : list.length;
      return { ...current, siteProfiles: replacing ? list.map((p) => (p.id === replacing ? { ...profile, enabled: p.enabled } : p)) : [...list, profile] };
    });
    if (!result.ok) {
      const prefix = ['siteProfiles', index];
      const mine: Issue[] = [];
      const other: string[] = [];
      for (const issue of result.issues) {
        if (startsWith(issue.path, prefix)) mine.push({ ...issue, path: issue.path.slice(prefix.length) });
        else other.push(`${issue.path.map(String).join(' › ')}: ${issue.message}`);
      }
      return { ok: false, issues: mine, other, error: result.error };
    }
    closeForm();
    setStatus({
      kind: 'success',
      text: replacing ? (t) => t('setup.sites.saved', { site: profile.name }) : (t) => t('setup.sites.added', { site: profile.name }),
      ...(result.notified ? {} : { note: RELOAD_NOTE }),
    });
    return { ok: true };
  }

  /**
   * Adds a ready-made profile and turns it on: the browser is asked for its pages in this click (nothing awaited
   * before), and the profile is stored on only if they were granted.
   */
  function addReadyMade(profile: SiteProfile) {
    setStatus(null);
    grantAccess(profile).then(
      async (granted) => {
        const added = await saveProfiles(
          (current) => [...current, { ...profile, enabled: granted }],
          granted
            ? (t) => t('setup.readyMade.addedOn', { site: profile.name })
            : (t) => t('setup.readyMade.addedOff', { site: profile.name, refusal: refusalMessage(profile, t) }),
          // Added but off is not what was asked for: said as a problem.
          granted ? 'success' : 'error',
        );
        if (added) {
          returnTo.current = 'ready-made';
          closeForm();
        }
      },
      (error: unknown) => setStatus(askFailedMessage(error, t)),
    );
  }

  async function remove(profile: SiteProfile) {
    setConfirmingDelete(null);
    returnFocus.current = true;
    const removed = await saveProfiles(
      (current) => current.filter((p) => p.id !== profile.id),
      (t) => t('setup.sites.deleted', { site: profile.name }),
    );
    if (!removed) returnFocus.current = false;
  }

  const editedProfile = editing?.mode === 'edit' ? profiles.find((p) => p.id === editing.id) : undefined;
  return (
    <section className="section" aria-labelledby="sites-title" id="sites">
      <h2 id="sites-title">{t('options.section.sites')}</h2>
      <p className="section__intro">{t('setup.sites.intro')}</p>
      <SectionMessages invalid={false} status={status} />
      {profiles.length === 0 ? (
        <p className="empty">{t('setup.sites.empty')}</p>
      ) : (
        <ul className="sites">
          {profiles.map((profile) => (
            <SiteRow
              key={profile.id}
              profile={profile}
              access={accessOf(profile)}
              confirming={confirmingDelete === profile.id}
              onToggle={(enabled) => setEnabled(profile, enabled)}
              onGrant={() => {
                setStatus(null);
                askAccess(profile, grantAccess, setStatus, t);
              }}
              onEdit={() => {
                setStatus(null);
                setEditing({ mode: 'edit', id: profile.id });
              }}
              onDelete={() => setConfirmingDelete(profile.id)}
              onConfirmDelete={() => void remove(profile)}
              onCancelDelete={() => setConfirmingDelete(null)}
            />
          ))}
        </ul>
      )}
      {editing?.mode === 'ready-made' ? (
        <ReadyMadeProfileForm
          takenIds={profiles.map((p) => p.id)}
          onAdd={addReadyMade}
          onCancel={() => {
            returnTo.current = 'ready-made';
            closeForm();
          }}
        />
      ) : editing ? (
        <SiteProfileForm
          key={editing.mode === 'edit' ? editing.id : '(new)'}
          profile={editedProfile}
          takenIds={profiles.filter((p) => p !== editedProfile).map((p) => p.id)}
          onSave={saveProfile}
          onCancel={closeForm}
          onDirtyChange={setFormDirty}
        />
      ) : (
        <div className="site__actions">
          <button
            ref={addButtonRef}
            type="button"
            className="button"
            onClick={() => {
              setStatus(null);
              setEditing({ mode: 'add' });
            }}
          >
            {t('setup.sites.add')}
          </button>
          <button
            ref={readyButtonRef}
            type="button"
            className="button"
            onClick={() => {
              setStatus(null);
              setEditing({ mode: 'ready-made' });
            }}
          >
            {t('setup.readyMade.open')}
          </button>
        </div>
      )}
    </section>
  );
}

interface SiteRowProps {
  profile: SiteProfile;
  access: SiteAccess;
  confirming: boolean;
  onToggle: (enabled: boolean) => void;
  onGrant: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onConfirmDelete: () => void;
  onCancelDelete: () => void;
}

function SiteRow({ profile, access, confirming, ...on }: SiteRowProps) {
  const { t } = useT();
  const site = profile.name;
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Land on the safe choice: Enter or Space on a stray key press keeps the site.
    if (confirming) keepRef.current?.focus();
  }, [confirming]);
  const headingId = `site-${profile.id}-name`;
  return (
    <li className="site" aria-labelledby={headingId}>
      <div className="site__head">
        <h3 id={headingId}>{profile.name}</h3>
        <span className={`access access--${access}`}>{t(`setup.sites.access.${access}`)}</span>
      </div>
      <ul className="site__patterns" aria-label={t('setup.sites.pagesOf', { site })}>
        {profile.match.map((pattern) => (
          <li key={pattern}>
            <code>{pattern}</code>
          </li>
        ))}
      </ul>
      <div className="site__actions">
        <label className="toggle">
          <input type="checkbox" checked={profile.enabled} onChange={(event) => on.onToggle(event.target.checked)} />
          {t('setup.sites.run', { site })}
        </label>
        {profile.enabled && access !== 'granted' && access !== 'checking' ? (
          <button type="button" className="button button--primary" onClick={on.onGrant}>
            {t('setup.sites.grant', { site })}
          </button>
        ) : null}
        <button type="button" className="button" onClick={on.onEdit}>
          {t('setup.sites.edit', { site })}
        </button>
        <button ref={deleteRef} type="button" className="button button--danger" onClick={on.onDelete}>
          {t('setup.sites.delete', { site })}
        </button>
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-label={t('setup.sites.deleteQuestion', { site })}>
          <p>{t('setup.sites.deleteConfirm', { site })}</p>
          <button type="button" className="button button--danger" onClick={on.onConfirmDelete}>
            {t('setup.sites.deleteYes', { site })}
          </button>
          <button
            ref={keepRef}
            type="button"
            className="button"
            onClick={() => {
              on.onCancelDelete();
              deleteRef.current?.focus();
            }}
          >
            {t('setup.sites.keep')}
          </button>
        </div>
      ) : null}
    </li>
  );
}
