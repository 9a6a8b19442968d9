/**
 * The leads' dashboard (issue 4): accuracy per day against the KPI target (and severity-weighted when the
 * taxonomy weights severities), the error tags behind the misses, the per-labeler table, agreement between two
 * people on the same item, the audits behind any figure, and exports. Every number comes from lib/metrics and
 * lib/leads over the audits in the chosen dates, narrowed by the filters in memory.
 */
import { useEffect, useMemo } from 'react';
import { rememberLocaleChoice } from '../../lib/i18n/locale-hint';
import { richText } from '../../lib/i18n/react';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import { auditAgreement } from '../../lib/leads/agreement';
import { filterOptions, lastDays, matchesFilter, rangeBounds, type DateRange } from '../../lib/leads/audit-filter';
import {
  countVerdicts,
  dailySeries,
  errorTagPareto,
  labelerScorecards,
  severityWeightedAccuracy,
  targetVerdict,
  wilsonInterval,
} from '../../lib/metrics';
import { SEVERITIES, type Audit, type SeverityWeights, type Settings } from '../../lib/schemas';
import { dayOf, resolveTimeZone } from '../../lib/time';
import { AccuracyChart } from './AccuracyChart';
import { AgreementSection } from './AgreementSection';
import { AuditList } from './AuditList';
import { DashboardFilters } from './DashboardFilters';
import { useDashboardStore, type Selection } from './dashboard-store';
import { downloadBlob, ExportButtons, type DownloadFile } from './ExportButtons';
import { intervalText, tagLabel } from './format';
import { I18nProvider, useT, type DashboardT } from './i18n';
import { LabelerTable } from './LabelerTable';
import { ParetoChart } from './ParetoChart';
import { useAuditsInRange, useSettings } from './use-dashboard-data';
import './dashboard.css';

export interface DashboardAppProps {
  db?: LoupeDatabase;
  now?: () => number;
  /** Saves an exported file; an object URL and a download link by default. */
  download?: DownloadFile;
  /** The language's messages, loaded before the first render (entrypoints/dashboard/main.tsx); English otherwise. */
  translator?: DashboardT;
}

type RangeProblem = 'dashboard.range.both' | 'dashboard.range.order' | 'dashboard.range.format';

function validRange(range: DateRange, timeZone: string): { bounds: { start: number; end: number } | null; error: RangeProblem | null } {
  if (!range.from || !range.to) return { bounds: null, error: 'dashboard.range.both' };
  if (range.from > range.to) return { bounds: null, error: 'dashboard.range.order' };
  try {
    return { bounds: rangeBounds(range, timeZone), error: null };
  } catch {
    return { bounds: null, error: 'dashboard.range.format' };
  }
}

export function DashboardApp({ db = getDatabase(), now = Date.now, download = downloadBlob, translator }: DashboardAppProps) {
  const resetUi = useDashboardStore((state) => state.reset);
  useEffect(() => resetUi(), [resetUi]);
  const settings = useSettings(db);
  // The locale setting is read live with the rest of the settings: a change saved in options shows here at once.
  const choice = settings.kind === 'ready' ? (settings.value.locale ?? 'auto') : undefined;
  useEffect(() => {
    if (choice) rememberLocaleChoice(choice);
  }, [choice]);

  return (
    <I18nProvider choice={choice} initial={translator}>
      <DashboardPage db={db} now={now} download={download} settings={settings} />
    </I18nProvider>
  );
}

function DashboardPage({
  db,
  now,
  download,
  settings,
}: Required<Omit<DashboardAppProps, 'translator'>> & { settings: ReturnType<typeof useSettings> }) {
  const { t } = useT();
  // The tab's title too: it is what people pick the page by among their tabs.
  useEffect(() => {
    document.title = t('dashboard.title');
  }, [t]);
  return (
    <div className="dashboard">
      <header className="dashboard__header">
        <h1>{t('dashboard.title')}</h1>
      </header>
      <main>
        {settings.kind === 'loading' ? (
          <p role="status" className="loading">
            {t('dashboard.loading')}
          </p>
        ) : null}
        {settings.kind === 'error' ? <DatabaseError message={settings.message} /> : null}
        {settings.kind === 'ready' ? <Dashboard db={db} settings={settings.value} now={now} download={download} /> : null}
      </main>
    </div>
  );
}

function DatabaseError({ message }: { message: string }) {
  const { t } = useT();
  return (
    <div role="alert" className="message message--error">
      <h2>{t('dashboard.dbError.title')}</h2>
      <p>{t('dashboard.dbError.text')}</p>
      <p className="detail">{message}</p>
    </div>
  );
}

interface DashboardProps {
  db: LoupeDatabase;
  settings: Settings;
  now: () => number;
  download: DownloadFile;
}

function selectionTitle(selection: Selection, settings: Settings, t: DashboardT['t']): string {
  return selection.kind === 'tag'
    ? t('dashboard.selection.tag', { tag: tagLabel(settings.taxonomy, selection.tagId) })
    : t('dashboard.selection.day', { day: selection.day });
}

/** The audits behind a figure: a tag's bar counts incorrect audits carrying the tag (as errorTagPareto does). */
function auditsBehind(selection: Selection, audits: readonly Audit[], timeZone: string): Audit[] {
  const behind =
    selection.kind === 'tag'
      ? audits.filter((audit) => audit.verdict === 'incorrect' && audit.errorTags.includes(selection.tagId))
      : audits.filter((audit) => dayOf(audit.createdAt, timeZone) === selection.day);
  return behind.sort((a, b) => b.createdAt - a.createdAt);
}

function Dashboard({ db, settings, now, download }: DashboardProps) {
  const i18n = useT();
  const { t, percent } = i18n;
  const timeZone = resolveTimeZone(settings.timeZone);
  const target = settings.kpiTarget;
  const chosenRange = useDashboardStore((state) => state.range);
  const filter = useDashboardStore((state) => state.filter);
  const selection = useDashboardStore((state) => state.selection);
  const { setRange, setFilterField, clearFilters, select } = useDashboardStore.getState();
  // `now` is read once per zone: the default dates must not move while the page is open.
  const defaultRange = useMemo(() => lastDays(now(), timeZone), [now, timeZone]);
  const range = chosenRange ?? defaultRange;
  const { bounds, error: rangeError } = useMemo(() => validRange(range, timeZone), [range, timeZone]);
  const loaded = useAuditsInRange(db, bounds);

  const inRange = useMemo(() => (loaded.kind === 'ready' ? loaded.value : []), [loaded]);
  const options = useMemo(() => filterOptions(inRange), [inRange]);
  const filtered = useMemo(() => inRange.filter((audit) => matchesFilter(audit, filter)), [inRange, filter]);
  const days = useMemo(() => (bounds ? dailySeries(filtered, range, timeZone) : []), [bounds, filtered, range, timeZone]);
  const pareto = useMemo(() => errorTagPareto(filtered, settings.taxonomy), [filtered, settings.taxonomy]);
  const scorecards = useMemo(() => labelerScorecards(filtered, settings.taxonomy, target), [filtered, settings.taxonomy, target]);
  const behind = useMemo(() => (selection ? auditsBehind(selection, filtered, timeZone) : []), [selection, filtered, timeZone]);
  const agreement = useMemo(() => auditAgreement(filtered), [filtered]);
  const counts = countVerdicts(filtered);
  const overall = wilsonInterval(counts.correct, counts.n);
  const verdict = counts.n === 0 ? 'not-enough' : targetVerdict(overall, target);

  return (
    <>
      <DashboardFilters
        range={range}
        rangeError={rangeError && t(rangeError)}
        onRangeChange={setRange}
        filter={filter}
        options={options}
        taxonomy={settings.taxonomy}
        onFilterChange={setFilterField}
        onClearFilters={clearFilters}
      />
      {loaded.kind === 'loading' && bounds ? (
        <p role="status" className="loading">
          {t('dashboard.loadingAudits')}
        </p>
      ) : null}
      {loaded.kind === 'error' ? <DatabaseError message={loaded.message} /> : null}
      {loaded.kind === 'ready' && bounds && inRange.length === 0 ? (
        <div className="message message--info empty-state">
          <h2>{t('dashboard.empty.title', { from: range.from, to: range.to })}</h2>
          <p>{t('dashboard.empty.text', { zone: timeZone })}</p>
        </div>
      ) : null}
      {loaded.kind === 'ready' && bounds && inRange.length > 0 ? (
        <>
          <section className="section summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{t('dashboard.summary.title')}</h2>
            <p>
              {filtered.length < inRange.length
                ? t('dashboard.summary.rangeFiltered', {
                    audits: t('dashboard.audits', { count: filtered.length }),
                    from: range.from,
                    to: range.to,
                    zone: timeZone,
                    total: inRange.length,
                  })
                : t('dashboard.summary.range', {
                    audits: t('dashboard.audits', { count: filtered.length }),
                    from: range.from,
                    to: range.to,
                    zone: timeZone,
                  })}
            </p>
            {filtered.length === 0 ? (
              <p>
                {t('dashboard.summary.noMatch')}{' '}
                <button type="button" className="button" onClick={clearFilters}>
                  {t('dashboard.summary.clearFilters')}
                </button>
              </p>
            ) : (
              <p>
                {richText(
                  i18n.parts('dashboard.summary.accuracy', {
                    accuracy: <strong>{percent(counts.n === 0 ? null : counts.correct / counts.n)}</strong>,
                    judged: t('dashboard.summary.judged', { count: counts.n }),
                    interval: counts.n > 0 ? intervalText(overall, i18n) : '–',
                    target: percent(target, 0),
                    verdict: <span className={`target target--${verdict}`}>{t(`common.target.${verdict}`)}</span>,
                  }),
                )}
              </p>
            )}
            {filtered.length > 0 ? <WeightedAccuracy audits={filtered} weights={settings.taxonomy.severityWeights} /> : null}
            <ExportButtons audits={filtered} taxonomy={settings.taxonomy} baseName={`loupe-audits-${range.from}-to-${range.to}`} download={download} />
          </section>
          {filtered.length > 0 ? (
            <>
              <section className="section" aria-labelledby="daily-title">
                <h2 id="daily-title">{t('dashboard.section.daily')}</h2>
                <AccuracyChart days={days} target={target} selection={selection} onSelectDay={(day) => select({ kind: 'day', day })} />
              </section>
              <section className="section" aria-labelledby="pareto-title">
                <h2 id="pareto-title">{t('dashboard.section.pareto')}</h2>
                <ParetoChart
                  rows={pareto}
                  selectedTagId={selection?.kind === 'tag' ? selection.tagId : null}
                  onSelectTag={(tagId) => select({ kind: 'tag', tagId })}
                />
              </section>
              {selection ? (
                <AuditList
                  title={selectionTitle(selection, settings, t)}
                  audits={behind}
                  taxonomy={settings.taxonomy}
                  timeZone={timeZone}
                  onClear={() => select(null)}
                />
              ) : null}
              <section className="section" aria-labelledby="labelers-title">
                <h2 id="labelers-title">{t('dashboard.section.labelers')}</h2>
                <LabelerTable scorecards={scorecards} target={target} />
              </section>
              <AgreementSection agreement={agreement} filter={filter} />
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** Where the options page edits the weights (components/options/SeverityWeightsSection.tsx). */
const WEIGHTS_OPTIONS_URL = '/options.html#severity-weights';

/** Severity-weighted accuracy beside plain accuracy, or where to set weights when the taxonomy has none. */
function WeightedAccuracy({ audits, weights }: { audits: readonly Audit[]; weights: SeverityWeights | undefined }) {
  const { t, parts, percent, number, locale } = useT();
  if (!weights) {
    return (
      <p className="detail">
        {richText(
          parts('dashboard.summary.noWeights', {
            link: (
              <a href={WEIGHTS_OPTIONS_URL} target="_blank" rel="noopener">
                {t('dashboard.summary.setWeights')}
              </a>
            ),
          }),
        )}
      </p>
    );
  }
  const weighted = severityWeightedAccuracy(audits, weights);
  const weightText = SEVERITIES.map(
    (severity) => `${t(`common.severity.${severity}`).toLocaleLowerCase(locale)} ${number(weights[severity])}`,
  ).join(', ');
  return (
    <p>
      {richText(parts('dashboard.summary.weighted', { accuracy: <strong>{percent(weighted)}</strong>, weights: weightText }))}
    </p>
  );
}
