/**
 * Severity weights (issue 4): how much a minor, major and critical error count in the dashboard's
 * severity-weighted accuracy. Optional: with no weights the dashboard shows plain accuracy only. Stored on the
 * taxonomy (`taxonomy.severityWeights`, validated by lib/schemas/taxonomy.ts); saving them keeps the taxonomy
 * version, which lib/settings-store.ts raises for changes to the tags only.
 */
import { MAX_SEVERITY_WEIGHT, SEVERITIES, type Settings, type Severity } from '../../lib/schemas';
import { SaveBar, SectionMessages, TextField } from './Field';
import { splitIssues, startsWith, type FieldErrors, type Issue, type SplitIssues } from './form-issues';
import { useT, type OptionsT } from './i18n';
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
function toChange(draft: WeightsDraft, t: OptionsT['t']): SettingsChange | { errors: FieldErrors } {
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
      errors[severity] = t('options.weights.blank');
      continue;
    }
    const weight = parseWeight(draft[severity]);
    if (weight === undefined) errors[severity] = t('options.weights.notNumber');
    else weights[severity] = weight;
  }
  const { minor, major, critical } = weights;
  if (Object.keys(errors).length > 0 || minor === undefined || major === undefined || critical === undefined) return { errors };
  return (current) => ({ ...current, taxonomy: { ...current.taxonomy, severityWeights: { minor, major, critical } } });
}

const WEIGHTS_PATH = ['taxonomy', 'severityWeights'] as const;

/** A weight's issue goes to its field; "all 0" is about the three together, so it is said above them. */
function placeIssues(issues: readonly Issue[], t: OptionsT['t']): SplitIssues {
  const split = splitIssues(
    issues.map((issue) =>
      // The weights' own problems ("all 0") are said above the three fields, without the path to them.
      startsWith(issue.path, WEIGHTS_PATH) && issue.path.length === WEIGHTS_PATH.length ? { ...issue, path: [] } : issue,
    ),
    (path) => {
      const field = path[WEIGHTS_PATH.length];
      return startsWith(path, WEIGHTS_PATH) && path.length === WEIGHTS_PATH.length + 1 && SEVERITIES.some((s) => s === field)
        ? String(field)
        : undefined;
    },
    t,
  );
  return split;
}

export function SeverityWeightsSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { t } = useT();
  const { draft, update, errors, problems, status, invalid, busy, unsaved, formRef, onSubmit } = useSectionForm({
    section: 'severity-weights',
    settings,
    save,
    toDraft,
    toChange: (next) => toChange(next, t),
    placeIssues: (issues) => placeIssues(issues, t),
    savedText: (saved, t) => (saved.taxonomy.severityWeights ? t('options.weights.saved') : t('options.weights.cleared')),
  });

  const edit = (severity: Severity) => (value: string) => update((current) => ({ ...current, [severity]: value }));

  return (
    <section className="section" aria-labelledby="severity-weights-title" id="severity-weights">
      <h2 id="severity-weights-title">{t('options.section.severity-weights')}</h2>
      <p className="section__intro">{t('options.weights.intro')}</p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        {SEVERITIES.map((severity) => (
          <TextField
            key={severity}
            label={t(`options.weights.${severity}`)}
            value={draft[severity]}
            onChange={edit(severity)}
            hint={t('options.weights.hint', { max: MAX_SEVERITY_WEIGHT })}
            error={errors[severity]}
            inputMode="decimal"
            className="field--narrow"
          />
        ))}
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label={t('options.weights.save')} busy={busy} unsaved={unsaved}>
          <button type="button" className="button" onClick={() => update(() => ({ minor: '', major: '', critical: '' }))}>
            {t('options.weights.clear')}
          </button>
        </SaveBar>
      </form>
    </section>
  );
}
