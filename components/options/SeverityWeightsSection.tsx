/**
 * Severity weights (issue 4): how much a minor, major and critical error count in the dashboard's
 * severity-weighted accuracy. Optional: with no weights the dashboard shows plain accuracy only. Stored on the
 * taxonomy (`taxonomy.severityWeights`, validated by lib/schemas/taxonomy.ts); saving them keeps the taxonomy
 * version, which lib/settings-store.ts raises for changes to the tags only.
 */
import { MAX_SEVERITY_WEIGHT, SEVERITIES, type Settings, type Severity } from '../../lib/schemas';
import { SEVERITY_LABELS } from '../shared/labels';
import { SaveBar, SectionMessages, TextField } from './Field';
import { splitIssues, startsWith, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import type { SaveSettings, SettingsChange } from './types';
import { useSectionForm } from './use-section-form';

type WeightsDraft = Record<Severity, string>;

function toDraft(settings: Settings): WeightsDraft {
  const weights = settings.taxonomy.severityWeights;
  return {
    minor: weights ? String(weights.minor) : '',
    major: weights ? String(weights.major) : '',
    critical: weights ? String(weights.critical) : '',
  };
}

/**
 * A number typed in a text box (a comma is taken as the decimal point), or `undefined` for anything else.
 * Signs are let through so that "-1" reaches the schema and is refused with its words ("cannot be below 0").
 */
function parseWeight(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  return /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** All three empty clears the weights; some empty is a half-made choice, refused at the empty fields. */
function toChange(draft: WeightsDraft): SettingsChange | { errors: FieldErrors } {
  const blank = SEVERITIES.filter((severity) => draft[severity].trim() === '');
  if (blank.length === SEVERITIES.length) {
    return (current) => {
      const taxonomy = { ...current.taxonomy };
      delete taxonomy.severityWeights;
      return { ...current, taxonomy };
    };
  }
  const errors: FieldErrors = {};
  const weights: Partial<Record<Severity, number>> = {};
  for (const severity of SEVERITIES) {
    if (blank.includes(severity)) {
      errors[severity] = 'Enter a weight, or empty all three to turn weighting off.';
      continue;
    }
    const weight = parseWeight(draft[severity]);
    if (weight === undefined) errors[severity] = 'Enter a number, like 1 or 2.5.';
    else weights[severity] = weight;
  }
  const { minor, major, critical } = weights;
  if (Object.keys(errors).length > 0 || minor === undefined || major === undefined || critical === undefined) return { errors };
  return (current) => ({ ...current, taxonomy: { ...current.taxonomy, severityWeights: { minor, major, critical } } });
}

const WEIGHTS_PATH = ['taxonomy', 'severityWeights'] as const;

/** A weight's issue goes to its field; "all 0" is about the three together, so it is said above them. */
function placeIssues(issues: readonly Issue[]): SplitIssues {
  const split = splitIssues(issues, (path) => {
    const field = path[WEIGHTS_PATH.length];
    return startsWith(path, WEIGHTS_PATH) && path.length === WEIGHTS_PATH.length + 1 && SEVERITIES.some((s) => s === field)
      ? String(field)
      : undefined;
  });
  const prefix = `${WEIGHTS_PATH.join(' › ')}: `;
  return { fields: split.fields, other: split.other.map((problem) => (problem.startsWith(prefix) ? problem.slice(prefix.length) : problem)) };
}

export function SeverityWeightsSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'severity-weights',
    settings,
    save,
    toDraft,
    toChange,
    placeIssues,
    savedText: (saved) =>
      saved.taxonomy.severityWeights
        ? 'Severity weights saved.'
        : 'Severity weights cleared: the dashboard shows plain accuracy only.',
  });

  const edit = (severity: Severity) => (value: string) => update((current) => ({ ...current, [severity]: value }));

  return (
    <section className="section" aria-labelledby="severity-weights-title" id="severity-weights">
      <h2 id="severity-weights-title">Severity weights</h2>
      <p className="section__intro">
        How much an error of each severity counts in the dashboard’s severity-weighted accuracy. Only the ratios
        matter: with 1, 3 and 10, one critical error costs as much as ten minor ones. An incorrect audit with no
        severity counts as major. At least one weight must be above 0; leave all three empty to show plain accuracy
        only. Changing weights keeps the taxonomy version: they change how the dashboard reads audits, not what
        audits record.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        {SEVERITIES.map((severity) => (
          <TextField
            key={severity}
            label={`${SEVERITY_LABELS[severity]} error weight`}
            value={draft[severity]}
            onChange={edit(severity)}
            hint={`From 0 to ${MAX_SEVERITY_WEIGHT}.`}
            error={errors[severity]}
            inputMode="decimal"
            className="field--narrow"
          />
        ))}
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label="Save severity weights" busy={busy} unsaved={unsaved}>
          <button type="button" className="button" onClick={() => update(() => ({ minor: '', major: '', critical: '' }))}>
            Clear the weights
          </button>
        </SaveBar>
      </form>
    </section>
  );
}
