/**
 * The leads' dashboard (issue 4): accuracy per day against the KPI target (and severity-weighted when the
 * taxonomy weights severities), the error tags behind the misses, the per-labeler table, agreement between two
 * people on the same item, the audits behind any figure, and exports. Every number comes from lib/metrics and
 * lib/leads over the audits in the chosen dates, narrowed by the filters in memory.
 */
import { useEffect, useMemo } from 'react';
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
import { intervalText, percent, plural, SEVERITY_LABELS, tagLabel, TARGET_LABELS } from './format';
import { LabelerTable } from './LabelerTable';
import { ParetoChart } from './ParetoChart';
import { useAuditsInRange, useSettings } from './use-dashboard-data';
import './dashboard.css';

export interface DashboardAppProps {
  db?: LoupeDatabase;
  now?: () => number;
  /** Saves an exported file; an object URL and a download link by default. */
  download?: DownloadFile;
}

function validRange(range: DateRange, timeZone: string): { bounds: { start: number; end: number } | null; error: string | null } {
  if (!range.from || !range.to) return { bounds: null, error: 'Enter both dates.' };
  if (range.from > range.to) return { bounds: null, error: 'The start date is after the end date.' };
  try {
    return { bounds: rangeBounds(range, timeZone), error: null };
  } catch {
    return { bounds: null, error: 'Enter dates as YYYY-MM-DD.' };
  }
}

export function DashboardApp({ db = getDatabase(), now = Date.now, download = downloadBlob }: DashboardAppProps) {
  const resetUi = useDashboardStore((state) => state.reset);
  useEffect(() => resetUi(), [resetUi]);
  const settings = useSettings(db);

  return (
    <div className="dashboard">
      <header className="dashboard__header">
        <h1>Loupe dashboard</h1>
      </header>
      <main>
        {settings.kind === 'loading' ? (
          <p role="status" className="loading">
            Loading…
          </p>
        ) : null}
        {settings.kind === 'error' ? <DatabaseError message={settings.message} /> : null}
        {settings.kind === 'ready' ? <Dashboard db={db} settings={settings.value} now={now} download={download} /> : null}
      </main>
    </div>
  );
}

function DatabaseError({ message }: { message: string }) {
  return (
    <div role="alert" className="message message--error">
      <h2>Loupe’s database is not available</h2>
      <p>The dashboard cannot read audits right now. Nothing has been changed. Reload the page to try again.</p>
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

function selectionTitle(selection: Selection, settings: Settings): string {
  return selection.kind === 'tag' ? `Error tag “${tagLabel(settings.taxonomy, selection.tagId)}”` : `Day ${selection.day}`;
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
        rangeError={rangeError}
        onRangeChange={setRange}
        filter={filter}
        options={options}
        taxonomy={settings.taxonomy}
        onFilterChange={setFilterField}
        onClearFilters={clearFilters}
      />
      {loaded.kind === 'loading' && bounds ? (
        <p role="status" className="loading">
          Loading audits…
        </p>
      ) : null}
      {loaded.kind === 'error' ? <DatabaseError message={loaded.message} /> : null}
      {loaded.kind === 'ready' && bounds && inRange.length === 0 ? (
        <div className="message message--info empty-state">
          <h2>No audits from {range.from} to {range.to}</h2>
          <p>Audits recorded in the panel show up here. Pick other dates, or check the time zone in Loupe’s options ({timeZone}).</p>
        </div>
      ) : null}
      {loaded.kind === 'ready' && bounds && inRange.length > 0 ? (
        <>
          <section className="section summary" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <p>
              {plural(filtered.length, 'audit', 'audits')} from {range.from} to {range.to} ({timeZone})
              {filtered.length < inRange.length ? `, filtered from ${inRange.length.toLocaleString('en')}` : ''}.
            </p>
            {filtered.length === 0 ? (
              <p>
                No audits match these filters.{' '}
                <button type="button" className="button" onClick={clearFilters}>
                  Clear filters
                </button>
              </p>
            ) : (
              <p>
                Accuracy <strong>{percent(counts.n === 0 ? null : counts.correct / counts.n)}</strong> over{' '}
                {plural(counts.n, 'judged audit', 'judged audits')} (95% interval {counts.n > 0 ? intervalText(overall) : '–'}), target{' '}
                {percent(target, 0)}: <span className={`target target--${verdict}`}>{TARGET_LABELS[verdict]}</span>.
              </p>
            )}
            {filtered.length > 0 ? <WeightedAccuracy audits={filtered} weights={settings.taxonomy.severityWeights} /> : null}
            <ExportButtons audits={filtered} taxonomy={settings.taxonomy} baseName={`loupe-audits-${range.from}-to-${range.to}`} download={download} />
          </section>
          {filtered.length > 0 ? (
            <>
              <section className="section" aria-labelledby="daily-title">
                <h2 id="daily-title">Daily accuracy</h2>
                <AccuracyChart days={days} target={target} selection={selection} onSelectDay={(day) => select({ kind: 'day', day })} />
              </section>
              <section className="section" aria-labelledby="pareto-title">
                <h2 id="pareto-title">Error tags</h2>
                <ParetoChart
                  rows={pareto}
                  selectedTagId={selection?.kind === 'tag' ? selection.tagId : null}
                  onSelectTag={(tagId) => select({ kind: 'tag', tagId })}
                />
              </section>
              {selection ? (
                <AuditList
                  title={selectionTitle(selection, settings)}
                  audits={behind}
                  taxonomy={settings.taxonomy}
                  timeZone={timeZone}
                  onClear={() => select(null)}
                />
              ) : null}
              <section className="section" aria-labelledby="labelers-title">
                <h2 id="labelers-title">Labelers</h2>
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
  if (!weights) {
    return (
      <p className="detail">
        No severity weights are set, so there is no severity-weighted accuracy.{' '}
        <a href={WEIGHTS_OPTIONS_URL} target="_blank" rel="noopener">
          Set them in Loupe’s options (opens in a new tab)
        </a>
        .
      </p>
    );
  }
  const weighted = severityWeightedAccuracy(audits, weights);
  const weightText = SEVERITIES.map(
    (severity) => `${SEVERITY_LABELS[severity].toLowerCase()} ${String(weights[severity])}`,
  ).join(', ');
  return (
    <p>
      Severity-weighted accuracy <strong>{percent(weighted)}</strong> (weights {weightText}; an error with no severity
      counts as major).
    </p>
  );
}
