/**
 * lib/i18n's React side and the pages that use it (issue 7, Languages): no provider renders English; a provider
 * loads the chosen language and marks the document with it; the options page's Language field switches every
 * page at once; the dashboard and the panel speak the stored or browser language, numbers included; an imported
 * team file never changes the person's language.
 */
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashboardApp } from '../../components/dashboard/DashboardApp';
import { useDashboardStore } from '../../components/dashboard/dashboard-store';
import { I18nProvider as OptionsI18n, useT as useOptionsT } from '../../components/options/i18n';
import { OptionsApp } from '../../components/options/OptionsApp';
import { loadPanelTranslator } from '../../components/panel/i18n';
import { Panel } from '../../components/panel/Panel';
import { LoupeDatabase } from '../../lib/db';
import { DEFAULT_SETTINGS, SETTINGS_BUNDLE_SCHEMA, type Audit } from '../../lib/schemas';
import { loadSettings, saveSettings } from '../../lib/settings-store';
import { createFakePanelClient, makePanelContext, NOW } from '../component/fake-panel-client';

let db: LoupeDatabase;
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
  useDashboardStore.getState().reset();
  document.documentElement.lang = 'en';
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

function Title() {
  const { t } = useOptionsT();
  return <h1>{t('options.title')}</h1>;
}

/** The options page's own permissions: none are asked for in these tests. */
const permissions = { contains: vi.fn(async () => true), request: vi.fn(async () => true) };

describe('the provider', () => {
  it('renders English without a provider', () => {
    render(<Title />);
    expect(screen.getByRole('heading').textContent).toBe('Loupe options');
  });

  it('loads the chosen language, and sets the document’s language for screen readers and fonts', async () => {
    render(
      <OptionsI18n choice="vi">
        <Title />
      </OptionsI18n>,
    );
    expect(await screen.findByRole('heading', { name: 'Cài đặt Loupe' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');
  });

  it('follows the browser’s languages on auto, and their changes', async () => {
    const languages = vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['th-TH', 'en-US']);
    render(
      <OptionsI18n choice="auto">
        <Title />
      </OptionsI18n>,
    );
    expect(await screen.findByRole('heading', { name: 'การตั้งค่า Loupe' })).toBeTruthy();
    languages.mockReturnValue(['ms-MY']);
    act(() => {
      window.dispatchEvent(new Event('languagechange'));
    });
    expect(await screen.findByRole('heading', { name: 'Tetapan Loupe' })).toBeTruthy();
  });

  it('keeps the language it has while the setting is still being read', () => {
    render(
      <OptionsI18n choice={undefined}>
        <Title />
      </OptionsI18n>,
    );
    expect(screen.getByRole('heading').textContent).toBe('Loupe options');
  });
});

describe('the options page', () => {
  it('saves the language in Options → You and shows the page in it at once; auto is stored as no choice', async () => {
    await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana' });
    const user = userEvent.setup();
    render(<OptionsApp db={db} permissions={permissions} notifySettingsChanged={async () => undefined} />);
    const you = within(await screen.findByRole('region', { name: 'You' }));
    const language = you.getByLabelText('Language') as HTMLSelectElement;
    expect(language.value).toBe('auto');
    // Every language is listed in its own name and script.
    expect([...language.options].map((option) => option.textContent)).toEqual([
      expect.stringMatching(/^Same as the browser \(/),
      'English',
      'ខ្មែរ',
      'Tiếng Việt',
      'ไทย',
      'Bahasa Melayu',
      'Bahasa Indonesia',
    ]);
    await user.selectOptions(language, 'km');
    await user.click(you.getByRole('button', { name: 'Save your details' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'ការកំណត់ Loupe' }, { timeout: 10_000 })).toBeTruthy();
    expect((await loadSettings(db)).locale).toBe('km');
    expect(document.documentElement.lang).toBe('km');
    // Said after the save, in the language the save chose.
    expect(await screen.findByText('ព័ត៌មានរបស់អ្នកត្រូវបានរក្សាទុក។')).toBeTruthy();

    const inKhmer = within(screen.getByRole('region', { name: 'អ្នក' }));
    await user.selectOptions(inKhmer.getByLabelText('ភាសា'), 'auto');
    await user.click(inKhmer.getByRole('button', { name: 'រក្សាទុកព័ត៌មានរបស់អ្នក' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Loupe options' }, { timeout: 10_000 })).toBeTruthy();
    expect((await loadSettings(db)).locale).toBeUndefined();
  }, 40_000);

  it('keeps the person’s language when a team file is imported', async () => {
    await saveSettings(db, { ...DEFAULT_SETTINGS, locale: 'vi' });
    const user = userEvent.setup();
    render(<OptionsApp db={db} permissions={permissions} notifySettingsChanged={async () => undefined} />);
    const transfer = within(await screen.findByRole('region', { name: 'Nhập / xuất' }, { timeout: 10_000 }));
    const bundle = { schema: SETTINGS_BUNDLE_SCHEMA, settings: { ...DEFAULT_SETTINGS, kpiTarget: 0.9, locale: 'th' } };
    const file = new File([JSON.stringify(bundle)], 'team.json', { type: 'application/json' });
    await user.upload(transfer.getByLabelText('Nhập tệp cài đặt'), file);
    expect(await transfer.findByText(/Đã nhập 0 trang web, 7 thẻ lỗi/)).toBeTruthy();
    expect(await loadSettings(db)).toMatchObject({ kpiTarget: 0.9, locale: 'vi' });
  }, 40_000);
});

describe('the dashboard', () => {
  it('speaks the stored language, with the locale’s numbers', async () => {
    await saveSettings(db, { ...DEFAULT_SETTINGS, timeZone: 'UTC', kpiTarget: 0.9, locale: 'vi' });
    const audits: Audit[] = ['a', 'b', 'c'].map((id, index) => ({
      id: crypto.randomUUID(),
      rev: 1,
      createdAt: NOW - index * 3_600_000,
      updatedAt: NOW - index * 3_600_000,
      deleted: false,
      siteId: 'labeldesk',
      itemId: `item-${id}`,
      itemUrl: `https://labeldesk.example.com/task/${id}`,
      auditorId: 'ana',
      labelerId: 'lab-a',
      verdict: index === 0 ? 'incorrect' : 'correct',
      errorTags: index === 0 ? ['missed-violation'] : [],
      taxonomyVersion: 1,
    }));
    await db.audits.bulkPut(audits);
    render(<DashboardApp db={db} now={() => NOW} download={() => undefined} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Thống kê Loupe' }, { timeout: 10_000 })).toBeTruthy();
    const summary = await screen.findByRole('region', { name: 'Tóm tắt' }, { timeout: 10_000 });
    // 2 of 3: 66,7% with the Vietnamese decimal comma, its interval 20,8%–93,9% straddling the 90% target.
    expect(summary.textContent).toContain('Độ chính xác 66,7% trên 3 lượt đã kết luận (khoảng tin cậy 95% 20,8%–93,9%)');
    expect(summary.textContent).toContain('mục tiêu 90%: Chưa đủ lượt kiểm tra để kết luận.');
  }, 40_000);
});

describe('the panel', () => {
  it('renders in the language loaded before its first paint', async () => {
    const translator = await loadPanelTranslator('km');
    const client = createFakePanelClient({ context: makePanelContext(), connection: { state: 'attached' } });
    // What entrypoints/panel/main.tsx resolved the preloaded language from: the panel follows the browser.
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['km-KH']);
    render(<Panel client={client} now={() => NOW} isMac={false} translator={translator} />);
    expect(screen.getByRole('radio', { name: 'ត្រឹមត្រូវ' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'មិនត្រឹមត្រូវ' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'រក្សាទុក' })).toBeTruthy();
    await waitFor(() => expect(document.documentElement.lang).toBe('km'));
  });
});
