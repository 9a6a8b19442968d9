import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashboardApp } from '../../components/dashboard/DashboardApp';
import { useDashboardStore } from '../../components/dashboard/dashboard-store';
import { LoupeDatabase } from '../../lib/db';
import { CSV_COLUMNS } from '../../lib/leads/export';
import { DEFAULT_SETTINGS, type Audit, type Settings } from '../../lib/schemas';
import { saveSettings } from '../../lib/settings-store';

const NOW = Date.UTC(2026, 10, 22, 15); // 2026-11-22 15:00 UTC; the default dates are 2026-11-09 to 2026-11-22.
const at = (day: number, hour = 10) => Date.UTC(2026, 10, day, hour);

function audit(itemId: string, overrides: Partial<Audit>): Audit {
  const createdAt = overrides.createdAt ?? at(21);
  return {
    id: crypto.randomUUID(),
    rev: 1,
    createdAt,
    updatedAt: createdAt,
    deleted: false,
    siteId: 'labeldesk',
    itemId,
    itemUrl: `https://labeldesk.example.com/task/${itemId}`,
    auditorId: 'ana',
    verdict: 'correct',
    errorTags: [],
    taxonomyVersion: 1,
    ...overrides,
  };
}

const AUDITS: Audit[] = [
  audit('item-a1', { labelerId: 'lab-a', queue: 'hate', verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'critical', createdAt: at(20) }),
  audit('item-a2', { labelerId: 'lab-a', queue: 'spam', createdAt: at(21) }),
  audit('item-b1', {
    labelerId: 'lab-b',
    queue: 'hate',
    auditorId: 'bo',
    verdict: 'incorrect',
    errorTags: ['missed-violation', 'wrong-policy'],
    note: 'Needs "context", see thread',
    createdAt: at(21, 12),
  }),
  audit('item-b2', { labelerId: 'lab-b', queue: 'spam', verdict: 'incorrect', errorTags: ['wrong-policy'], createdAt: at(22, 9) }),
  audit('=cmd|item-c1', { labelerId: 'lab-c', queue: 'spam', createdAt: at(22, 11) }),
  audit('item-deleted', { labelerId: 'lab-d', deleted: true, deletedAt: at(22, 12), createdAt: at(22, 8) }),
  audit('item-old', { labelerId: 'lab-e', createdAt: Date.UTC(2026, 9, 1) }),
];

let db: LoupeDatabase;
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
  useDashboardStore.getState().reset();
});
afterEach(async () => {
  await db.delete();
});

async function seed(audits: Audit[] = AUDITS, taxonomy: Settings['taxonomy'] = DEFAULT_SETTINGS.taxonomy) {
  await saveSettings(db, { ...DEFAULT_SETTINGS, timeZone: 'UTC', kpiTarget: 0.9, taxonomy });
  await db.audits.bulkPut(audits);
}

function renderDashboard() {
  const downloads: Array<{ fileName: string; blob: Blob }> = [];
  const user = userEvent.setup();
  render(<DashboardApp db={db} now={() => NOW} download={(fileName, blob) => downloads.push({ fileName, blob })} />);
  return { user, downloads };
}

function labelerRows(): string[] {
  const table = within(screen.getByRole('region', { name: 'Labelers' })).getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('rowheader')[0]?.textContent ?? '');
}

describe('Dashboard', () => {
  it('shows the last 14 days by default, without tombstones or older audits', async () => {
    await seed();
    renderDashboard();
    expect(screen.getByRole('status').textContent).toContain('Loading');
    await screen.findByRole('heading', { name: 'Labelers' });
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('2026-11-09');
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe('2026-11-22');
    expect(labelerRows()).toEqual(['lab-a', 'lab-b', 'lab-c']);
    const chart = screen.getByRole('img', { name: /Daily accuracy from 2026-11-09 to 2026-11-22, target 90.0%/ });
    expect(chart.getAttribute('aria-labelledby')).toBeTruthy();
    expect(screen.getByText(/5 audits from 2026-11-09 to 2026-11-22/)).toBeTruthy();
  });

  it('narrows the labeler table with the filters, whose options come from the audits in range', async () => {
    await seed();
    const { user } = renderDashboard();
    await screen.findByRole('heading', { name: 'Labelers' });
    const labeler = screen.getByRole('combobox', { name: 'Labeler' });
    expect(within(labeler).getAllByRole('option').map((option) => option.textContent)).toEqual(['All labelers', 'lab-a', 'lab-b', 'lab-c']);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Queue' }), 'hate');
    expect(labelerRows()).toEqual(['lab-a', 'lab-b']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Auditor' }), 'bo');
    expect(labelerRows()).toEqual(['lab-b']);
    expect(screen.getByText(/1 audit from .* filtered from 5/)).toBeTruthy();

    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(labelerRows()).toEqual(['lab-a', 'lab-b', 'lab-c']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'critical');
    expect(labelerRows()).toEqual(['lab-a']);
  });

  it('lists the audits behind a Pareto bar, chosen by click or by Enter', async () => {
    await seed();
    const { user } = renderDashboard();
    await screen.findByRole('heading', { name: 'Error tags' });
    const missed = screen.getByRole('button', { name: /^Missed violation: 2 errors, 50.0% of errors, 50.0% cumulative/ });
    await user.click(missed);
    expect(missed.getAttribute('aria-pressed')).toBe('true');
    const list = screen.getByRole('region', { name: /Missed violation.*2 audits/ });
    const links = within(list).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual(['item-b1 (opens in a new tab)', 'item-a1 (opens in a new tab)']);
    expect(links[0]?.getAttribute('href')).toBe('https://labeldesk.example.com/task/item-b1');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(within(list).getAllByText('lab-b')).toHaveLength(1);

    const wrongPolicy = screen.getByRole('button', { name: /^Wrong policy: 2 errors/ });
    wrongPolicy.focus();
    await user.keyboard('{Enter}');
    const next = screen.getByRole('region', { name: /Wrong policy.*2 audits/ });
    expect(within(next).getAllByRole('link').map((link) => link.textContent)).toEqual([
      'item-b2 (opens in a new tab)',
      'item-b1 (opens in a new tab)',
    ]);
    await user.click(within(next).getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('region', { name: /Wrong policy/ })).toBeNull();
  });

  it('lists a day’s audits from the table of numbers', async () => {
    await seed();
    const { user } = renderDashboard();
    const daily = await screen.findByRole('region', { name: 'Daily accuracy' });
    await user.click(within(daily).getByText('Show numbers'));
    await user.click(within(daily).getByRole('button', { name: 'List audits of 2026-11-22' }));
    const list = screen.getByRole('region', { name: /Day 2026-11-22: 2 audits/ });
    expect(within(list).getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual([
      'https://labeldesk.example.com/task/=cmd|item-c1',
      'https://labeldesk.example.com/task/item-b2',
    ]);
  });

  it('exports the filtered audits as CSV and JSON', async () => {
    await seed();
    const { user, downloads } = renderDashboard();
    await screen.findByRole('heading', { name: 'Labelers' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Queue' }), 'spam');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText('Exported 3 audits to loupe-audits-2026-11-09-to-2026-11-22.csv.');

    expect(downloads).toHaveLength(1);
    const { fileName, blob } = downloads[0]!;
    expect(fileName).toBe('loupe-audits-2026-11-09-to-2026-11-22.csv');
    expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = (await blob.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(3);
    const itemIds = rows.map((row) => row.split(',')[CSV_COLUMNS.indexOf('itemId')]);
    expect(itemIds.sort()).toEqual(["'=cmd|item-c1", 'item-a2', 'item-b2']);
    expect(rows.every((row) => row.split(',')[CSV_COLUMNS.indexOf('queue')] === 'spam')).toBe(true);
    expect(rows.find((row) => row.includes('item-b2'))).toContain(',incorrect,,wrong-policy,Wrong policy,');

    await user.click(screen.getByRole('button', { name: 'Export JSON' }));
    await screen.findByText('Exported 3 audits to loupe-audits-2026-11-09-to-2026-11-22.json.');
    const json = JSON.parse(await downloads[1]!.blob.text()) as Audit[];
    expect(json.map((entry) => entry.itemId).sort()).toEqual(['=cmd|item-c1', 'item-a2', 'item-b2']);
  });

  it('says so when there are no audits in the dates, and reads other dates when they change', async () => {
    await seed();
    const { user } = renderDashboard();
    await screen.findByRole('heading', { name: 'Labelers' });
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-10-01');
    const to = screen.getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2026-10-02');
    expect(await screen.findByText(/1 audit from 2026-10-01 to 2026-10-02/)).toBeTruthy();
    expect(labelerRows()).toEqual(['lab-e']);

    await user.clear(to);
    await user.type(to, '2026-10-03');
    await user.clear(from);
    await user.type(from, '2026-10-02');
    expect(await screen.findByRole('heading', { name: 'No audits from 2026-10-02 to 2026-10-03' })).toBeTruthy();
  });

  it('says when the start date is after the end date', async () => {
    await seed();
    const { user } = renderDashboard();
    await screen.findByRole('heading', { name: 'Labelers' });
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-12-01');
    expect((await screen.findByRole('alert')).textContent).toContain('The start date is after the end date.');
    expect(screen.queryByRole('heading', { name: 'Labelers' })).toBeNull();
  });

  it('shows an empty state for a database without audits', async () => {
    await seed([]);
    renderDashboard();
    expect(await screen.findByRole('heading', { name: 'No audits from 2026-11-09 to 2026-11-22' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
  });

  it('explains when the database cannot be opened', async () => {
    // A newer version on disk than this build knows: Dexie refuses to open it (VersionError).
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(db.name, 1000);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    renderDashboard();
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Loupe’s database is not available' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
  });
});

/**
 * Items audited twice (ana and bo) with the labeler's decision read on most. Expected values, worked by hand:
 *
 * Auditor vs auditor, first auditor (earlier) as rater A: q1 (c,c), q2 (i,i), q3 (c,i), q4 (u,c) → n = 4,
 * 2 agree → pₒ = 1/2 = 50.0%. A: c 2, i 1, u 1; B: c 2, i 2 → pₑ = (2·2 + 1·2) / 16 = 6/16 = 37.5%.
 * κ = (1/2 − 3/8) / (5/8) = 1/5 = 0.20: slight.  Queue "hate" only (q1, q2): pₒ = 1, pₑ = (1·1 + 1·1)/4 = 50.0%,
 * κ = 1.00: almost perfect.
 *
 * Labeler vs auditor: q1 ana (A,A), q1 bo (A,A), q2 ana (A,R), q2 bo incorrect without a correction (left out),
 * q3 ana (R,R), q3 bo (R,A), q4 no decision read → n = 5, 3 agree → pₒ = 3/5 = 60.0%. Labeler: A 3, R 2;
 * auditor: A 3, R 2 → pₑ = (3·3 + 2·2) / 25 = 13/25 = 52.0%. κ = (15/25 − 13/25) / (12/25) = 1/6 = 0.17: slight.
 *
 * Severity-weighted accuracy with weights 1 / 3 / 10: trials n = 4 correct + 3 incorrect = 7 (q4 bo is unsure);
 * penalty = critical 10 (q2 ana) + major 3 (q2 bo, no severity) + minor 1 (q3 bo) = 14;
 * 1 − 14 / (7 · 10) = 0.8 = 80.0%, beside plain accuracy 4/7 = 57.1%.
 */
const PAIRED: Audit[] = [
  audit('q1', { queue: 'hate', labelerId: 'lab-a', labelerDecision: 'Approve', createdAt: at(20, 9) }),
  audit('q1', { queue: 'hate', labelerId: 'lab-a', labelerDecision: 'Approve', auditorId: 'bo', createdAt: at(20, 10) }),
  audit('q2', {
    queue: 'hate',
    labelerId: 'lab-a',
    labelerDecision: 'Approve',
    verdict: 'incorrect',
    errorTags: ['missed-violation'],
    severity: 'critical',
    correctedDecision: 'Remove',
    createdAt: at(20, 11),
  }),
  audit('q2', { queue: 'hate', labelerId: 'lab-a', labelerDecision: 'Approve', auditorId: 'bo', verdict: 'incorrect', errorTags: ['missed-violation'], createdAt: at(20, 12) }),
  audit('q3', { queue: 'spam', labelerId: 'lab-b', labelerDecision: 'Remove', createdAt: at(21, 9) }),
  audit('q3', {
    queue: 'spam',
    labelerId: 'lab-b',
    labelerDecision: 'Remove',
    auditorId: 'bo',
    verdict: 'incorrect',
    errorTags: ['over-enforcement'],
    severity: 'minor',
    correctedDecision: 'Approve',
    createdAt: at(21, 10),
  }),
  audit('q4', { queue: 'spam', labelerId: 'lab-b', auditorId: 'bo', verdict: 'unsure', createdAt: at(21, 11) }),
  audit('q4', { queue: 'spam', labelerId: 'lab-b', createdAt: at(21, 12) }),
];

const WEIGHTED_TAXONOMY: Settings['taxonomy'] = { ...DEFAULT_SETTINGS.taxonomy, severityWeights: { minor: 1, major: 3, critical: 10 } };

/** A card's figures as "term: value" lines, as a screen reader pairs them. */
function figures(card: HTMLElement): string[] {
  return [...card.querySelectorAll('dt')].map((term) => `${term.textContent}: ${term.nextElementSibling?.textContent ?? ''}`);
}

describe('Agreement', () => {
  it('shows κ with observed and chance agreement, the pairs and a band, for both comparisons', async () => {
    await seed(PAIRED);
    renderDashboard();
    const agreement = await screen.findByRole('region', { name: 'Agreement' });
    expect(within(agreement).getByText(/rough guide/)).toBeTruthy();

    const qa = within(agreement).getByRole('region', { name: 'Auditor vs auditor' });
    expect(qa.querySelector('.agreement__kappa')?.textContent).toBe('κ = 0.20: slight agreement');
    expect(figures(qa)).toEqual(['Observed agreement: 50.0%', 'Expected by chance: 37.5%', 'Items audited by two people: 4']);

    const labeler = within(agreement).getByRole('region', { name: 'Labeler vs auditor' });
    expect(labeler.querySelector('.agreement__kappa')?.textContent).toBe('κ = 0.17: slight agreement');
    expect(figures(labeler)).toEqual(['Observed agreement: 60.0%', 'Expected by chance: 52.0%', 'Audits compared: 5']);
    expect(within(labeler).getByText(/^1 audit with a labeler decision left out: unsure, or incorrect without a corrected decision/)).toBeTruthy();
  });

  it('follows the filters', async () => {
    await seed(PAIRED);
    const { user } = renderDashboard();
    const agreement = await screen.findByRole('region', { name: 'Agreement' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Queue' }), 'hate');
    const qa = within(agreement).getByRole('region', { name: 'Auditor vs auditor' });
    expect(qa.querySelector('.agreement__kappa')?.textContent).toBe('κ = 1.00: almost perfect agreement');
    expect(figures(qa)).toEqual(['Observed agreement: 100.0%', 'Expected by chance: 50.0%', 'Items audited by two people: 2']);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Auditor' }), 'bo');
    expect(within(qa).getByText('No item was audited by two people in these dates.')).toBeTruthy();
    expect(within(qa).getByText('The auditor filter shows one auditor’s audits only.')).toBeTruthy();
    expect(within(agreement).queryByText(/read κ here with care/)).toBeNull();

    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'critical');
    expect(within(agreement).getByText(/read κ here with care/)).toBeTruthy();
  });

  it('says when nothing was audited by two people and no labeler decision was read', async () => {
    await seed();
    renderDashboard();
    const agreement = await screen.findByRole('region', { name: 'Agreement' });
    expect(within(agreement).getByRole('heading', { level: 3, name: 'Auditor vs auditor' })).toBeTruthy();
    expect(within(agreement).getByText('No item was audited by two people in these dates.')).toBeTruthy();
    expect(within(agreement).getByText('No labeler decisions were read on these audits.')).toBeTruthy();
    expect(within(agreement).queryByText(/κ =/)).toBeNull();
  });

  it('says when decisions were read but no audit names one of the auditor’s own', async () => {
    await seed([audit('u1', { labelerDecision: 'Approve', verdict: 'unsure' })]);
    renderDashboard();
    const labeler = await screen.findByRole('region', { name: 'Labeler vs auditor' });
    expect(labeler.textContent).toContain('1 audit is unsure, or incorrect without a corrected decision');
    expect(within(labeler).queryByText('No labeler decisions were read on these audits.')).toBeNull();
  });
});

describe('Severity-weighted accuracy', () => {
  it('stands beside accuracy when the taxonomy weights severities', async () => {
    await seed(PAIRED, WEIGHTED_TAXONOMY);
    renderDashboard();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary.textContent).toContain('Accuracy 57.1% over 7 judged audits');
    expect(summary.textContent).toContain(
      'Severity-weighted accuracy 80.0% (weights minor 1, major 3, critical 10; an error with no severity counts as major).',
    );
    expect(within(summary).queryByRole('link', { name: /Set them in Loupe’s options/ })).toBeNull();
  });

  it('follows the filters', async () => {
    // Queue "spam": q3 ana correct, q3 bo incorrect minor, q4 ana correct (q4 bo unsure) → n = 3, penalty 1:
    // 1 − 1 / (3 · 10) = 29/30 = 96.7%.
    await seed(PAIRED, WEIGHTED_TAXONOMY);
    const { user } = renderDashboard();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Queue' }), 'spam');
    expect(summary.textContent).toContain('Severity-weighted accuracy 96.7%');
  });

  it('says where to set weights when there are none', async () => {
    await seed(PAIRED);
    renderDashboard();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary.textContent).not.toContain('Severity-weighted accuracy');
    const link = within(summary).getByRole('link', { name: /Set them in Loupe’s options/ });
    expect(link.getAttribute('href')).toBe('/options.html#severity-weights');
    expect(summary.textContent).toContain('No severity weights are set');
  });
});
