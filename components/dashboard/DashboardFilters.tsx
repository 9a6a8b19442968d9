/** The dates and the filters. Options come from the audits in the dates, so none of them leads nowhere. */
import { useId } from 'react';
import type { AuditFilter, DateRange, FilterField, FilterOptions } from '../../lib/leads/audit-filter';
import type { Severity, Taxonomy } from '../../lib/schemas';
import { tagLabel } from './format';
import { useT } from './i18n';

interface DashboardFiltersProps {
  range: DateRange;
  rangeError: string | null;
  onRangeChange: (range: DateRange) => void;
  filter: AuditFilter;
  options: FilterOptions;
  taxonomy: Pick<Taxonomy, 'tags'>;
  onFilterChange: <F extends FilterField>(field: F, value: AuditFilter[F] | undefined) => void;
  onClearFilters: () => void;
}

interface SelectProps {
  label: string;
  allLabel: string;
  value: string | undefined;
  choices: readonly { value: string; label: string }[];
  onChange: (value: string | undefined) => void;
}

function FilterSelect({ label, allLabel, value, choices, onChange }: SelectProps) {
  const id = useId();
  // A value chosen earlier may have no audits in newly picked dates; keep it listed so the select tells the truth.
  const listed = value === undefined || choices.some((choice) => choice.value === value) ? choices : [...choices, { value, label: value }];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{allLabel}</option>
        {listed.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const asChoices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

export function DashboardFilters({
  range,
  rangeError,
  onRangeChange,
  filter,
  options,
  taxonomy,
  onFilterChange,
  onClearFilters,
}: DashboardFiltersProps) {
  const { t } = useT();
  const fromId = useId();
  const toId = useId();
  const errorId = useId();
  const invalid = rangeError ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
  const anyFilter = Object.keys(filter).length > 0;
  return (
    <form className="filters" aria-label={t('dashboard.filters.label')} onSubmit={(event) => event.preventDefault()}>
      <fieldset className="filters__dates">
        <legend>{t('dashboard.filters.dates')}</legend>
        <div className="field">
          <label htmlFor={fromId}>{t('dashboard.filters.from')}</label>
          <input id={fromId} type="date" value={range.from} max={range.to} required {...invalid} onChange={(event) => onRangeChange({ ...range, from: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={toId}>{t('dashboard.filters.to')}</label>
          <input id={toId} type="date" value={range.to} min={range.from} required {...invalid} onChange={(event) => onRangeChange({ ...range, to: event.target.value })} />
        </div>
        {rangeError ? (
          <p id={errorId} className="field__error" role="alert">
            {rangeError}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="filters__fields">
        <legend>{t('dashboard.filters.filters')}</legend>
        <FilterSelect
          label={t('dashboard.filters.queue')}
          allLabel={t('dashboard.filters.allQueues')}
          value={filter.queue}
          choices={asChoices(options.queues)}
          onChange={(value) => onFilterChange('queue', value)}
        />
        <FilterSelect
          label={t('dashboard.filters.labeler')}
          allLabel={t('dashboard.filters.allLabelers')}
          value={filter.labelerId}
          choices={asChoices(options.labelerIds)}
          onChange={(value) => onFilterChange('labelerId', value)}
        />
        <FilterSelect
          label={t('dashboard.filters.auditor')}
          allLabel={t('dashboard.filters.allAuditors')}
          value={filter.auditorId}
          choices={asChoices(options.auditorIds)}
          onChange={(value) => onFilterChange('auditorId', value)}
        />
        <FilterSelect
          label={t('dashboard.filters.tag')}
          allLabel={t('dashboard.filters.allTags')}
          value={filter.tagId}
          choices={options.tagIds.map((tagId) => ({ value: tagId, label: tagLabel(taxonomy, tagId) }))}
          onChange={(value) => onFilterChange('tagId', value)}
        />
        <FilterSelect
          label={t('dashboard.filters.severity')}
          allLabel={t('dashboard.filters.anySeverity')}
          value={filter.severity}
          choices={options.severities.map((severity) => ({ value: severity, label: t(`common.severity.${severity}`) }))}
          onChange={(value) => onFilterChange('severity', value as Severity | undefined)}
        />
        <button type="button" className="button filters__clear" onClick={onClearFilters} aria-disabled={!anyFilter || undefined}>
          {t('dashboard.filters.clear')}
        </button>
      </fieldset>
    </form>
  );
}
