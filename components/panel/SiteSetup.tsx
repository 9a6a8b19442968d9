/**
 * Point-and-click site setup (issue 7): teaches Loupe a labeling tool without anyone writing a selector. One step
 * per field (the item id, then the labeler, the labeler's decision and the queue, each but the item id skippable):
 * the user picks the element on the page, Loupe proposes a robust selector and, when the element shows more than
 * the value, a regular expression; the value it reads is shown live as the user adjusts either. Last, the site is
 * named, its pages set, every field checked once more on the page, and the profile saved, asking the browser for the
 * site's pages in that click.
 *
 * Runs in panel.html#setup, framed by the page's setup script (lib/content/site-picker-session.ts); everything goes
 * through `client` (lib/setup/setup-client.ts). The draft is plain data moved by lib/setup/setup-draft.ts.
 */
import './site-setup.css';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ITEM_FIELDS, type ItemField } from '@/lib/schemas';
import { originsForProfile } from '@/lib/site-permissions';
import type { SetupClient, SetupConnection } from '@/lib/setup/setup-client';
import {
  draftReducer,
  initialDraft,
  nextStep,
  previousStep,
  profileFromDraft,
  SETUP_STEPS,
  sourceFromDraft,
  type DraftProblems,
  type SetupDraft,
  type SetupStep,
} from '@/lib/setup/setup-draft';
import type { FieldCheck } from '@/lib/setup/field-check';
import type { FieldSources, SetupProblem, SetupStart } from '@/lib/setup/setup-protocol';
import { describeSetupProblem, pickerWords } from '@/lib/setup/setup-text';
import { richText } from '@/lib/i18n/react';
import { useT, type PanelT } from './i18n';
import { pageProblemText, SiteSetupField, type FieldReading } from './SiteSetupField';
import { SiteSetupReview, SiteSetupReviewActions } from './SiteSetupReview';

/** How long typing pauses before the page is read again. */
const CHECK_DELAY_MS = 250;

function useSetupConnection(client: SetupClient): SetupConnection {
  const [connection, setConnection] = useState<SetupConnection>({ state: 'connecting' });
  useEffect(() => client.onConnection(setConnection), [client]);
  return connection;
}

export function SiteSetup({ client }: { client: SetupClient }) {
  const connection = useSetupConnection(client);
  const { t } = useT();
  if (connection.state === 'connecting') {
    return (
      <div className="loupe-panel loupe-connecting">
        <p role="status">{t('setup.connecting')}</p>
      </div>
    );
  }
  if (connection.state === 'refused') {
    return (
      <div className="loupe-refused">
        <p>{describeSetupProblem(connection.reason, t)}</p>
      </div>
    );
  }
  return <SetupFlow client={client} start={connection.start} reconnecting={connection.state === 'reconnecting'} />;
}

/** Worded when shown, so a notice follows the language if it changes while setup is open. */
type Notice = { kind: 'alert' | 'status'; text: (t: PanelT['t']) => string } | null;

interface CheckResult {
  key: string;
  check: FieldCheck | null;
  problem?: SetupProblem | undefined;
}

/** Each field's source as it stands, or the problems that keep it from being one (no page needed for those). */
function buildSources(draft: SetupDraft) {
  const sources: FieldSources = {};
  const problems: Partial<Record<ItemField, DraftProblems>> = {};
  for (const field of ITEM_FIELDS) {
    const value = draft.fields[field];
    if (!value) continue;
    const built = sourceFromDraft(value);
    if (built.ok) sources[field] = built.source;
    else problems[field] = built.problems;
  }
  return { sources, problems };
}

/**
 * Reads the fields the current step shows on the live page, a moment after the user stops typing; a result counts
 * only for the exact source it was read with.
 */
function useLiveReadings(client: SetupClient, draft: SetupDraft, t: PanelT['t']) {
  const { sources, problems } = useMemo(() => buildSources(draft), [draft]);
  const shown = draft.step === 'review' ? ITEM_FIELDS : [draft.step];
  const wanted: FieldSources = {};
  for (const field of shown) if (sources[field]) wanted[field] = sources[field];
  const wantedKey = JSON.stringify(wanted);
  const [results, setResults] = useState<Partial<Record<ItemField, CheckResult>>>({});
  const [round, setRound] = useState(0);

  useEffect(() => {
    const asked: FieldSources = JSON.parse(wantedKey) as FieldSources;
    if (Object.keys(asked).length === 0) return;
    let live = true;
    const timer = setTimeout(() => {
      void client.check(asked).then(({ checks, problem }) => {
        if (!live) return;
        setResults((current) => {
          const next = { ...current };
          for (const [field, source] of Object.entries(asked) as Array<[ItemField, FieldSources[ItemField]]>) {
            next[field] = { key: JSON.stringify(source), check: checks?.[field] ?? null, problem };
          }
          return next;
        });
      });
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, wantedKey, round]);

  const readings = {} as Record<ItemField, FieldReading>;
  for (const field of ITEM_FIELDS) {
    const source = sources[field];
    const result = results[field];
    if (problems[field]) readings[field] = { state: 'problem', text: t('setup.fixFirst') };
    else if (!source) readings[field] = { state: 'idle' };
    else if (!result || result.key !== JSON.stringify(source)) readings[field] = { state: 'checking' };
    else if (result.check?.ok) readings[field] = { state: 'read', value: result.check.value, text: result.check.text };
    else if (result.check) readings[field] = { state: 'problem', text: pageProblemText(result.check.problem, t) };
    else readings[field] = { state: 'problem', text: result.problem ? describeSetupProblem(result.problem, t) : t('setup.problem.empty') };
  }
  const recheck = useCallback(() => setRound((n) => n + 1), []);
  return { readings, problems, recheck };
}

function SetupFlow({ client, start, reconnecting }: { client: SetupClient; start: SetupStart; reconnecting: boolean }) {
  const [draft, dispatch] = useReducer(draftReducer, start, initialDraft);
  const [picking, setPicking] = useState<ItemField | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [saving, setSaving] = useState(false);
  const [attemptedSave, setAttemptedSave] = useState(false);
  const [savedOff, setSavedOff] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { t, parts } = useT();
  const { readings, problems, recheck } = useLiveReadings(client, draft, t);
  const context = { url: start.url, takenIds: start.takenIds, existing: start.existing };
  const built = draft.step === 'review' ? profileFromDraft(draft, context) : null;
  const reviewProblems = attemptedSave && built && !built.ok ? built.problems : {};

  useEffect(
    () =>
      client.onPick((pick) => {
        setPicking(null);
        if (pick.outcome === 'picked') {
          dispatch({ type: 'picked', field: pick.field, element: pick.element });
          const element = pick.element.description;
          setNotice({ kind: 'status', text: (t) => t('setup.picked', { element }) });
        } else {
          setNotice({ kind: 'status', text: (t) => t('setup.pickCancelled') });
        }
        // The page gave focus back to this frame: land on the step, so Tab walks through what was proposed.
        headingRef.current?.focus();
      }),
    [client],
  );

  // Each step starts at its heading, for keyboard and screen reader users alike.
  useEffect(() => {
    headingRef.current?.focus();
  }, [draft.step]);

  function go(step: SetupStep) {
    if (picking) client.pick(null);
    setPicking(null);
    setNotice(null);
    dispatch({ type: 'go', step });
  }

  function skip(field: ItemField) {
    if (picking) client.pick(null);
    setPicking(null);
    setNotice(null);
    dispatch({ type: 'skip', field });
  }

  function next() {
    if (draft.step === 'review') return;
    const field = draft.step;
    const value = draft.fields[field];
    if (!value) {
      if (field === 'itemId') setNotice({ kind: 'alert', text: (t) => t('setup.problem.not-picked') });
      else go(nextStep(field));
      return;
    }
    const reading = readings[field];
    if (problems[field]) setNotice({ kind: 'alert', text: (t) => t('setup.fixFirst') });
    else if (reading.state === 'checking' || reading.state === 'idle') setNotice({ kind: 'alert', text: (t) => t('setup.stillReading') });
    else if (reading.state === 'problem') {
      setNotice({ kind: 'alert', text: (t) => (field === 'itemId' ? t('setup.requiredFails') : t('setup.optionalFails')) });
    }
    else go(nextStep(field));
  }

  function save() {
    if (saving || !built) return;
    setAttemptedSave(true);
    if (!built.ok) {
      const notPicked = built.problems['fields.itemId'] !== undefined;
      setNotice({ kind: 'alert', text: (t) => (notPicked ? t('setup.problem.not-picked') : t('setup.fixFirst')) });
      return;
    }
    const unread = ITEM_FIELDS.filter((field) => draft.fields[field] && readings[field].state !== 'read');
    if (unread.length > 0) {
      const checking = unread.some((field) => readings[field].state === 'checking');
      setNotice({ kind: 'alert', text: (t) => (checking ? t('setup.stillReading') : t('setup.fixBeforeSave')) });
      return;
    }
    const profile = built.profile;
    // The browser shows its prompt only within this click: nothing is awaited before asking.
    const asked = client.requestAccess(profile);
    setSaving(true);
    setNotice(null);
    void asked
      .catch(() => false)
      .then(() => client.save(profile))
      .then((reply) => {
        if (!reply.ok) {
          const { problem } = reply;
          setNotice({ kind: 'alert', text: (t) => describeSetupProblem(problem, t) });
        } else if (reply.enabled) {
          const site = reply.profile.name;
          setNotice({ kind: 'status', text: (t) => t('setup.saved', { site }) });
        } else {
          setSavedOff(true);
          const site = reply.profile.name;
          const origins = originsForProfile(reply.profile).map((origin) => origin.replace(/\/\*$/, '')).join(', ');
          setNotice({ kind: 'alert', text: (t) => t('setup.savedOff', { site, origins }) });
        }
      })
      .finally(() => setSaving(false));
  }

  const step = draft.step;
  const stepIndex = SETUP_STEPS.indexOf(step);
  return (
    <div className="loupe-panel setup" data-testid="site-setup">
      <header className="loupe-header">
        <h1>{start.existing ? t('setup.titleAgain', { site: start.existing.name }) : t('setup.title')}</h1>
        <div className="loupe-header-actions">
          <button type="button" onClick={() => client.cancel()}>
            {savedOff ? t('setup.close') : t('setup.cancel')}
          </button>
        </div>
      </header>
      <ol className="setup-steps" aria-label={t('setup.steps')}>
        {SETUP_STEPS.map((each, index) => (
          <li key={each} aria-current={each === step ? 'step' : undefined} className={index < stepIndex ? 'setup-step--done' : undefined}>
            <span aria-hidden="true">{index + 1}</span> {t(`setup.step.${each}`)}
          </li>
        ))}
      </ol>
      {reconnecting ? (
        <p role="status" className="loupe-banner">
          {t('setup.reconnecting')}
        </p>
      ) : null}

      <main className="loupe-body">
        {step === 'review' ? (
          <SiteSetupReview
            draft={draft}
            existingId={start.existing?.id ?? null}
            problems={reviewProblems}
            readings={readings}
            headingRef={headingRef}
            onEdit={(key, value) => dispatch({ type: 'edit', key, value })}
            onGoTo={(field) => go(field)}
          />
        ) : (
          <SiteSetupField
            key={step}
            field={step}
            draft={draft.fields[step]}
            url={start.url}
            problems={problems[step] ?? {}}
            reading={readings[step]}
            picking={picking === step}
            headingRef={headingRef}
            onPick={() => {
              setNotice(null);
              setPicking(step);
              client.pick(step, pickerWords(step, t));
            }}
            onStopPicking={() => {
              setPicking(null);
              client.pick(null);
            }}
            onEdit={(change) => dispatch({ type: 'edit-field', field: step, change })}
            onReplace={(value) => dispatch({ type: 'set-field', field: step, value })}
          />
        )}
      </main>

      <footer className="loupe-footer">
        {notice?.kind === 'alert' ? (
          <p role="alert" className="loupe-alert">
            {notice.text(t)}
          </p>
        ) : null}
        <p role="status" className="loupe-status">
          {notice?.kind === 'status' ? notice.text(t) : ''}
        </p>
        {step !== 'review' ? (
          <div className="loupe-actions">
            {stepIndex > 0 ? (
              <button type="button" onClick={() => go(previousStep(step))}>
                {t('setup.back')}
              </button>
            ) : null}
            {step !== 'itemId' ? (
              <button type="button" onClick={() => skip(step)}>
                {richText(parts('setup.skip', { field: <span className="visually-hidden">{t(`setup.fieldInSentence.${step}`)}</span> }))}
              </button>
            ) : null}
            <button type="button" className="loupe-primary" onClick={next}>
              {t('setup.next')}
            </button>
          </div>
        ) : (
          <div className="loupe-actions">
            <button type="button" onClick={() => go(previousStep(step))}>
              {t('setup.back')}
            </button>
            <SiteSetupReviewActions saving={saving} onCheckAgain={recheck} onSave={save} />
          </div>
        )}
      </footer>
    </div>
  );
}
