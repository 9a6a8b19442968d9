/**
 * The leads' dashboard (components/dashboard/): the source of every dashboard key; other languages translate
 * these. Calendar days stay ISO 8601 (2026-11-22) in every language: they are what the date fields, the file
 * names and the exports hold. Times, counts and percentages are written the locale's way by the translator.
 */
export default {
  title: 'Loupe dashboard',
  loading: 'Loading…',
  loadingAudits: 'Loading audits…',
  'dbError.title': 'Loupe’s database is not available',
  'dbError.text': 'The dashboard cannot read audits right now. Nothing has been changed. Reload the page to try again.',

  'range.both': 'Enter both dates.',
  'range.order': 'The start date is after the end date.',
  'range.format': 'Enter dates as YYYY-MM-DD.',

  audits: {
    one: '{count} audit',
    other: '{count} audits',
  },
  'empty.title': 'No audits from {from} to {to}',
  'empty.text': 'Audits recorded in the panel show up here. Pick other dates, or check the time zone in Loupe’s options ({zone}).',

  'summary.title': 'Summary',
  'summary.range': '{audits} from {from} to {to} ({zone}).',
  'summary.rangeFiltered': '{audits} from {from} to {to} ({zone}), filtered from {total}.',
  'summary.noMatch': 'No audits match these filters.',
  'summary.clearFilters': 'Clear filters',
  'summary.accuracy': 'Accuracy {accuracy} over {judged} (95% interval {interval}), target {target}: {verdict}.',
  'summary.judged': {
    one: '{count} judged audit',
    other: '{count} judged audits',
  },
  'summary.noWeights': 'No severity weights are set, so there is no severity-weighted accuracy. {link}.',
  'summary.setWeights': 'Set them in Loupe’s options (opens in a new tab)',
  'summary.weighted':
    'Severity-weighted accuracy {accuracy} (weights {weights}; an error with no severity counts as major).',

  'section.daily': 'Daily accuracy',
  'section.pareto': 'Error tags',
  'section.labelers': 'Labelers',
  'selection.tag': 'Error tag “{tag}”',
  'selection.day': 'Day {day}',

  'filters.label': 'Dates and filters',
  'filters.dates': 'Dates',
  'filters.from': 'From',
  'filters.to': 'To',
  'filters.filters': 'Filters',
  'filters.queue': 'Queue',
  'filters.allQueues': 'All queues',
  'filters.labeler': 'Labeler',
  'filters.allLabelers': 'All labelers',
  'filters.auditor': 'Auditor',
  'filters.allAuditors': 'All auditors',
  'filters.tag': 'Error tag',
  'filters.allTags': 'All error tags',
  'filters.severity': 'Severity',
  'filters.anySeverity': 'Any severity',
  'filters.clear': 'Clear filters',

  'export.csv': 'Export CSV',
  'export.json': 'Export JSON',
  'export.preparing': 'Preparing the {format} file…',
  'export.done': 'Exported {audits} to {file}.',
  'export.failed': 'The export failed: {error}',

  'daily.describeEmpty': 'Daily accuracy from {from} to {to}: no judged audits, target {target}.',
  'daily.describe':
    'Daily accuracy from {from} to {to}, target {target}. {judgedDays} judged audits. Lowest {lowest} on {lowestDay}, highest {highest} on {highestDay}. {belowDays} clearly below target (the whole 95% interval under it).',
  'daily.judgedDays': {
    one: '{count} day has',
    other: '{count} days have',
  },
  'daily.belowDays': {
    one: '{count} day is',
    other: '{count} days are',
  },
  'daily.accuracy': 'Accuracy',
  'daily.day': 'Day',
  'daily.target': 'Target {target}',
  'daily.legendAccuracy': 'Accuracy',
  'daily.legendInterval': '95% interval',
  'daily.legendTarget': 'Target',
  'daily.hint': 'Click a day to list its audits, or use the table of numbers.',
  'daily.caption': 'Daily accuracy and 95% interval',
  'daily.listAudits': 'List audits of {day}',

  'table.showNumbers': 'Show numbers',
  'table.day': 'Day',
  'table.judged': 'Judged',
  'table.correct': 'Correct',
  'table.incorrect': 'Incorrect',
  'table.unsure': 'Unsure',
  'table.accuracy': 'Accuracy',
  'table.interval': '95% interval',
  'table.audits': 'Audits',

  'pareto.none': 'No errors in these audits.',
  'pareto.summary': '{top}; together {share} of {errors}.',
  'pareto.topTag': '{tag} {share}',
  errors: {
    one: '{count} error',
    other: '{count} errors',
  },
  'pareto.bar': '{tag}: {errors}, {share} of errors, {cumulative} cumulative',
  'pareto.title': 'Error tags by count, with cumulative share',
  'pareto.axisErrors': 'Errors',
  'pareto.axisCumulative': 'Cumulative share',
  'pareto.legendBars': 'Errors per tag',
  'pareto.legendCumulative': 'Cumulative share',
  'pareto.hint': 'Select a bar (click, Enter or Space) to list its audits.',
  'pareto.caption': 'Errors per tag',
  'pareto.tag': 'Error tag',
  'pareto.errors': 'Errors',
  'pareto.share': 'Share',
  'pareto.cumulative': 'Cumulative share',

  'list.title': '{title}: {audits}',
  'list.clear': 'Clear selection',
  'list.truncated': 'Showing the latest {shown}. Export the audits to see all {total}.',
  'list.empty': 'No audits behind this selection with the current filters.',
  'list.caption': 'Audits for {title}',
  'list.time': 'Time',
  'list.item': 'Item',
  'list.labeler': 'Labeler',
  'list.verdict': 'Verdict',
  'list.tags': 'Error tags',
  'list.newTab': '(opens in a new tab)',

  'labelers.none': 'No audits with a labeler in this selection.',
  'labelers.caption':
    'Accuracy per labeler against the {target} target. “Below target” means the whole 95% interval is under it; with few audits the interval is wide and the sample cannot tell.',
  'labelers.labeler': 'Labeler',
  'labelers.againstTarget': 'Against target',
  'labelers.critical': 'Critical errors',
  'labelers.topTags': 'Top error tags',
  'labelers.topTag': '{tag} ({count})',

  'agreement.title': 'Agreement',
  'agreement.intro':
    'Cohen’s κ measures agreement beyond chance: 1 is full agreement, 0 is what chance alone would give, below 0 is less than chance. The words beside it are Landis & Koch’s bands (slight, fair, moderate, substantial, almost perfect): a rough guide, not a pass mark. With few pairs, one more item can move κ a lot.',
  'agreement.outcomeFiltered':
    'The error tag and severity filters keep only audits that carry them, so items where the other person saw no error drop out: read κ here with care.',
  'agreement.qaTitle': 'Auditor vs auditor',
  'agreement.qaAbout':
    'Verdicts of the first two people who audited the same item: one pair per item, the earlier audit first.',
  'agreement.qaPairs': 'Items audited by two people',
  'agreement.qaEmpty': 'No item was audited by two people in these dates.',
  'agreement.qaOneAuditor': 'The auditor filter shows one auditor’s audits only.',
  'agreement.qaLeftOut': {
    one: '{count} later audit of the same items left out: only the first two auditors of an item are compared.',
    other: '{count} later audits of the same items left out: only the first two auditors of an item are compared.',
  },
  'agreement.labelerTitle': 'Labeler vs auditor',
  'agreement.labelerAbout':
    'The labeler’s decision read from the page against the auditor’s: the same decision when the verdict is correct, the corrected decision when it is incorrect.',
  'agreement.labelerPairs': 'Audits compared',
  'agreement.labelerEmpty': 'No labeler decisions were read on these audits.',
  'agreement.labelerHowTo': 'Loupe reads them when a site profile has a “Labeler’s decision” field (Loupe’s options, Sites).',
  'agreement.labelerNoneComparable': {
    one: 'No audit with a labeler decision names a decision of the auditor’s own: {count} audit is unsure, or incorrect without a corrected decision.',
    other:
      'No audit with a labeler decision names a decision of the auditor’s own: {count} audits are unsure, or incorrect without a corrected decision.',
  },
  'agreement.labelerLeftOut': {
    one: '{count} audit with a labeler decision left out: unsure, or incorrect without a corrected decision.',
    other: '{count} audits with a labeler decision left out: unsure, or incorrect without a corrected decision.',
  },
  'agreement.kappa': 'κ = {kappa}: {band} agreement',
  'agreement.observed': 'Observed agreement',
  'agreement.expected': 'Expected by chance',
  'band.poor': 'poor (less than chance)',
  'band.slight': 'slight',
  'band.fair': 'fair',
  'band.moderate': 'moderate',
  'band.substantial': 'substantial',
  'band.almostPerfect': 'almost perfect',
} as const;
