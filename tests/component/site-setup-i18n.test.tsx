/**
 * Site setup in the reader's language (issue 7): the panel's point-and-click setup in Vietnamese, from the locale
 * setting the worker sends when setup attaches, its picker's words sent to the page already translated; and
 * Options → Sites in Khmer. No English sentence of the setup catalog is left on either screen.
 */
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider as OptionsI18n, loadOptionsTranslator } from '../../components/options/i18n';
import { SitesSection } from '../../components/options/SitesSection';
import { loadPanelTranslator } from '../../components/panel/i18n';
import { SiteSetupFrame } from '../../components/panel/SiteSetupFrame';
import { checkSources, describePicked } from '../../lib/content/site-picker-session';
import enSetup from '../../lib/i18n/catalogs/en/setup';
import kmSetup from '../../lib/i18n/catalogs/km/setup';
import viSetup from '../../lib/i18n/catalogs/vi/setup';
import type { Messages } from '../../lib/i18n/messages';
import { DEFAULT_SETTINGS, type ItemField, type SiteProfile } from '../../lib/schemas';
import type { CheckAnswer, SetupClient, SetupConnection } from '../../lib/setup/setup-client';
import type { FieldSources, PickerWords, PickOutcome, SetupStart } from '../../lib/setup/setup-protocol';
import { renderCasebookCasePage } from '../fixtures/sites/casebook.mjs';
import { CASEBOOK_CASES } from '../fixtures/sites/catalog.mjs';

vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/**
 * The English sentences of the setup catalog that the other language says differently: none may be left on screen.
 * Messages with placeholders are matched on their fixed words around the values.
 */
function englishLeft(translated: Messages): string[] {
  const shown = document.body.textContent ?? '';
  const labels = Array.from(document.querySelectorAll('[aria-label], [title]'), (element) =>
    [element.getAttribute('aria-label') ?? '', element.getAttribute('title') ?? ''].join('\n'),
  ).join('\n');
  const left: string[] = [];
  for (const [key, english] of Object.entries(enSetup as Messages)) {
    const texts = typeof english === 'string' ? [english] : Object.values(english);
    const other = translated[key];
    for (const text of texts) {
      if (!text || (typeof other === 'string' ? other === text : Object.values(other ?? {}).includes(text))) continue;
      // The longest fixed run of words, so "Pages" or "Save" alone do not match page text by chance.
      const fixed = text.split(/\{\w+\}/).reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '').trim();
      if (fixed.length < 8) {
        const exact = Array.from(document.querySelectorAll('button, label, h1, h2, h3, legend, li, p, option'), (e) => e.textContent?.trim());
        if (!text.includes('{') && exact.includes(text)) left.push(text);
      } else if (shown.includes(fixed) || labels.includes(fixed)) {
        left.push(text);
      }
    }
  }
  return left;
}

const URL_4411 = 'http://127.0.0.1:5178/casebook/case/4411';

class FakeSetupClient implements SetupClient {
  readonly page = new DOMParser().parseFromString(renderCasebookCasePage(CASEBOOK_CASES[0]!), 'text/html');
  readonly words: Array<PickerWords | undefined> = [];
  private connection: SetupConnection = { state: 'connecting' };
  private connectionListeners = new Set<(c: SetupConnection) => void>();
  private pickListeners = new Set<(p: PickOutcome) => void>();

  onConnection(listener: (c: SetupConnection) => void) {
    this.connectionListeners.add(listener);
    listener(this.connection);
    return () => this.connectionListeners.delete(listener);
  }
  onPick(listener: (p: PickOutcome) => void) {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }
  pick(_field: ItemField | null, words?: PickerWords) {
    this.words.push(words);
  }
  async check(sources: FieldSources): Promise<CheckAnswer> {
    return { checks: checkSources(sources, URL_4411, this.page) };
  }
  async requestAccess() {
    return true;
  }
  async save(profile: SiteProfile) {
    return { ok: true as const, profile, enabled: true };
  }
  cancel() {}
  attach(start: SetupStart) {
    this.connection = { state: 'attached', start };
    act(() => {
      for (const listener of this.connectionListeners) listener(this.connection);
    });
  }
  pickOn(field: ItemField, selector: string) {
    const element = this.page.querySelector(selector)!;
    act(() => {
      for (const listener of this.pickListeners) listener({ outcome: 'picked', field, element: describePicked(element, this.page) });
    });
  }
}

describe('site setup in the panel, in Vietnamese', () => {
  it('(the check for English left on screen finds it when it is there)', () => {
    render(<SiteSetupFrame client={new FakeSetupClient()} />);
    expect(englishLeft(viSetup)).toEqual(['Connecting to Loupe…']);
  });

  it('follows the language the worker sends, words the picker\u2019s banner for the page, and leaves no English', async () => {
    const client = new FakeSetupClient();
    const user = userEvent.setup();
    // The frame painted in English (the browser's language); the setting says Vietnamese.
    render(<SiteSetupFrame client={client} />);
    expect(screen.getByRole('status').textContent).toBe('Connecting to Loupe…');
    client.attach({ url: URL_4411, title: 'Case 4411', existing: null, takenIds: [], locale: 'vi' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Thiết lập trang web này' })).toBeTruthy();
    const steps = screen.getByRole('list', { name: 'Các bước thiết lập' });
    expect(within(steps).getAllByRole('listitem').map((step) => step.textContent)).toEqual([
      '1 Mã mục',
      '2 Người gán nhãn',
      '3 Quyết định',
      '4 Hàng đợi',
      '5 Lưu',
    ]);
    expect(screen.getByRole('heading', { level: 2, name: 'Mã mục (bắt buộc)' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Chọn trên trang' }));
    expect(client.words.at(-1)).toEqual({
      prompt: 'Bấm vào phần tử hiển thị mã mục.',
      keys: 'Tab hoặc mũi tên để di chuyển · Enter để chọn · Esc để hủy',
      cancel: 'Hủy',
      nothingThere: viSetup['picker.nothingThere'],
      nothingHighlighted: viSetup['picker.nothingHighlighted'],
      outlined: 'Đang khoanh: {label}',
    });
    expect(screen.getByText('Đang chỉ vào mã mục trên trang…')).toBeTruthy();
    client.pickOn('itemId', 'h1.cb-title');
    await waitFor(() => expect(screen.getByTestId('setup-reading').textContent).toMatch(/^Đọc được: “4411”từ “.+”$/));
    expect(screen.getByLabelText('Biểu thức chính quy (không bắt buộc)')).toBeTruthy();
    expect(englishLeft(viSetup)).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Tiếp' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Người gán nhãn (không bắt buộc)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Bỏ qua người gán nhãn' })).toBeTruthy();
    expect(englishLeft(viSetup)).toEqual([]);
  });
});

describe('Options → Sites, in Khmer', () => {
  const casebook: SiteProfile = {
    id: 'casebook',
    name: 'Casebook',
    enabled: true,
    match: ['http://127.0.0.1/casebook/*'],
    fields: { itemId: { from: 'url', pattern: '/case/(\\d+)', group: 1 } },
    keepParams: [],
  };

  it('lists the sites, edits one and offers ready-made profiles in Khmer, with no English left', async () => {
    const translator = await loadOptionsTranslator('km');
    const user = userEvent.setup();
    render(
      <OptionsI18n choice="km" initial={translator}>
        <SitesSection
          settings={{ ...DEFAULT_SETTINGS, siteProfiles: [casebook] }}
          save={async () => ({ ok: true, settings: { ...DEFAULT_SETTINGS, siteProfiles: [casebook] }, notified: false })}
          accessOf={() => 'needed'}
          grantAccess={async () => true}
        />
      </OptionsI18n>,
    );
    const sites = within(screen.getByRole('region', { name: 'គេហទំព័រ' }));
    expect(sites.getByText(kmSetup['sites.intro'])).toBeTruthy();
    expect(sites.getByText('ត្រូវការសិទ្ធិចូល')).toBeTruthy();
    expect(sites.getByRole('checkbox', { name: 'ដំណើរការ Loupe លើ Casebook' })).toBeTruthy();
    expect(sites.getByRole('list', { name: 'ទំព័ររបស់ Casebook' })).toBeTruthy();
    expect(englishLeft(kmSetup)).toEqual([]);

    // What a save says, with the note that open tabs update on reload.
    await user.click(sites.getByRole('checkbox', { name: 'ដំណើរការ Loupe លើ Casebook' }));
    await waitFor(() => expect(sites.getByText('Casebook ត្រូវបានបិទ។ Loupe លែងដំណើរការលើទំព័ររបស់វាហើយ។', { exact: false })).toBeTruthy());
    expect(document.body.textContent).toContain(translator.t('options.reloadNote'));
    expect(englishLeft(kmSetup)).toEqual([]);

    await user.click(sites.getByRole('button', { name: 'លុប Casebook' }));
    expect(sites.getByRole('group', { name: 'លុប Casebook?' })).toBeTruthy();
    expect(englishLeft(kmSetup)).toEqual([]);
    await user.click(sites.getByRole('button', { name: 'រក្សាទុកវា' }));

    await user.click(sites.getByRole('button', { name: 'កែ Casebook' }));
    const form = within(sites.getByRole('form', { name: 'កែ Casebook' }));
    expect(form.getByLabelText('លេខសម្គាល់គេហទំព័រ')).toBeTruthy();
    expect(form.getAllByRole('group').map((group) => group.querySelector('legend')?.textContent)).toEqual([
      'លេខសម្គាល់ធាតុ (ចាំបាច់)',
      'អ្នកដាក់ស្លាក',
      'ការសម្រេចរបស់អ្នកដាក់ស្លាក',
      'ជួរការងារ',
    ]);
    expect(form.getAllByLabelText('អានពី')[0]!.textContent).toContain('អាសយដ្ឋានទំព័រ (URL)');
    expect(englishLeft(kmSetup)).toEqual([]);
    await user.click(form.getByRole('button', { name: 'បោះបង់' }));

    await user.click(sites.getByRole('button', { name: 'បន្ថែមប្រូហ្វាល់ដែលមានស្រាប់' }));
    const ready = within(sites.getByRole('form', { name: 'បន្ថែមប្រូហ្វាល់ដែលមានស្រាប់' }));
    await user.clear(ready.getByLabelText('ទំព័រ'));
    await user.click(ready.getByRole('button', { name: 'បន្ថែម និងបើក' }));
    expect(ready.getByText(kmSetup['readyMade.pagesRequired'])).toBeTruthy();
    expect(englishLeft(kmSetup)).toEqual([]);
  });

  it('loads the panel\u2019s translator with the setup messages too', async () => {
    const translator = await loadPanelTranslator('km');
    expect(translator.t('setup.title')).toBe(kmSetup.title);
  });
});
