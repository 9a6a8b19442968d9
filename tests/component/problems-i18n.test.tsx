/**
 * What the worker reports, in the reader's language (issue 7): the panel says a sync problem, a failed save, a note
 * that is not valid and a refused panel in Vietnamese; the popup says the sync status's own sentence and a record
 * too large for the server in Khmer, and why the team numbers did not load in Vietnamese; the options page's
 * connection test answers in Thai; and a problem written before problems had keys still shows its English.
 */
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncConnectionTest } from '../../components/options/SyncConnectionTest';
import { I18nProvider as OptionsI18n, loadOptionsTranslator } from '../../components/options/i18n';
import { loadPanelTranslator } from '../../components/panel/i18n';
import { Panel } from '../../components/panel/Panel';
import { Popup } from '../../components/popup/Popup';
import { LoupeDatabase } from '../../lib/db';
import { recordVerdict } from '../../lib/audits';
import { NoteInvalidError } from '../../lib/notes/store';
import { englishProblem, problemOfError, ProblemError, type ProblemText } from '../../lib/problems';
import { DEFAULT_SETTINGS, type SiteProfile } from '../../lib/schemas';
import { saveSettings } from '../../lib/settings-store';
import { claimOutboxBatch, parkClaimed } from '../../lib/sync/outbox';
import { updateSyncStatus } from '../../lib/sync/status';
import { createFakePanelClient, makePanelContext, makeSyncSummary, NOW, QUOTE_TARGET } from './fake-panel-client';

let db: LoupeDatabase;
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.delete();
});

async function renderVietnamesePanel(overrides: Parameters<typeof makePanelContext>[0] = {}) {
  const translator = await loadPanelTranslator('vi');
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['vi-VN']);
  const client = createFakePanelClient({ context: makePanelContext(overrides), connection: { state: 'attached' } });
  const user = userEvent.setup();
  render(<Panel client={client} now={() => NOW} isMac={false} translator={translator} />);
  return { client, user };
}

describe('the panel, in Vietnamese', () => {
  it('says the sync problem the worker stored in Vietnamese, its time written the panel’s way', async () => {
    const retryAt = NOW + 90_000;
    const problem = { kind: 'server' as const, ...englishProblem('sync.http', { reason: 'HTTP 503: busy', time: '3:01 PM' }), retryAt };
    await renderVietnamesePanel({ sync: makeSyncSummary({ pending: 2, problem }) });
    const title = screen.getByTestId('sync-line').getAttribute('title') ?? '';
    const time = new Intl.DateTimeFormat('vi', { hour: 'numeric', minute: '2-digit' }).format(retryAt);
    expect(title).toContain(`Lỗi máy chủ: HTTP 503: busy, sẽ thử lại lúc ${time}.`);
    expect(title).not.toContain('Server problem');
  });

  it('keeps the English of a sync problem stored before problems had keys', async () => {
    const message = 'Server problem: HTTP 502, retrying at 3:01 PM.';
    await renderVietnamesePanel({ sync: makeSyncSummary({ problem: { kind: 'server', message, retryAt: NOW + 60_000 } }) });
    expect(screen.getByTestId('sync-line').getAttribute('title')).toContain(message);
  });

  it('says why a verdict was not saved in Vietnamese, and keeps the draft', async () => {
    const { client, user } = await renderVietnamesePanel();
    client.requests.recordVerdict.answer = { kind: 'fail', error: { code: 'storage-full', ...englishProblem('storage.full') } };
    await user.keyboard('1{Enter}');
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Chưa lưu: trình duyệt không còn chỗ cho dữ liệu của Loupe. Hãy giải phóng dung lượng ổ đĩa rồi lưu lại; kết luận của bạn vẫn còn ở đây.',
      ),
    );
    expect(screen.getByRole('radio', { name: 'Đúng' }).getAttribute('aria-checked')).toBe('true');
  });

  it('says which part of a note is not valid in Vietnamese, and keeps the note', async () => {
    const { client, user } = await renderVietnamesePanel();
    // What the store throws for a note whose text is too long, as the worker hands it on (lib/background/note-handlers.ts).
    const invalid = new NoteInvalidError('body', 'Too big: expected string to have <=5000 characters');
    client.requests.saveNote.answer = { kind: 'fail', error: { code: 'invalid', ...problemOfError(invalid) } };
    await act(() => client.pushCommand({ kind: 'annotate' }));
    await act(() => client.pushPageNoteEvent({ kind: 'captured', target: QUOTE_TARGET }));
    await user.keyboard('giữ lại{Control>}{Enter}{/Control}');
    const form = await screen.findByRole('form');
    await waitFor(() =>
      expect(within(form).getByRole('alert').textContent).toBe('Chưa lưu: nội dung ghi chú trống hoặc quá dài. Ghi chú của bạn vẫn còn ở đây.'),
    );
    expect((within(form).getByRole('textbox') as HTMLTextAreaElement).value).toBe('giữ lại');
  });

  it('shows a failure of unknown identity in the English it came with', async () => {
    const { client, user } = await renderVietnamesePanel();
    client.requests.recordVerdict.answer = {
      kind: 'fail',
      error: { code: 'storage-unavailable', message: 'Not saved: a newer Loupe said this.', key: 'storage.fromTheFuture' },
    };
    await user.keyboard('1{Enter}');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Not saved: a newer Loupe said this.'));
  });

  it('says why it was refused in Vietnamese', async () => {
    const translator = await loadPanelTranslator('vi');
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['vi-VN']);
    const { message, key } = englishProblem('panel.notOurs');
    const client = createFakePanelClient({ connection: { state: 'refused', reason: message, key } });
    render(<Panel client={client} now={() => NOW} isMac={false} translator={translator} />);
    expect(screen.getByText('Bảng này không phải do Loupe mở trên trang này, nên không hiển thị gì.')).toBeTruthy();
  });
});

const SITE: SiteProfile = {
  id: 'labeldesk',
  name: 'LabelDesk',
  enabled: true,
  match: ['https://labeldesk.example.com/task/*'],
  fields: { itemId: { from: 'url', pattern: '/task/(\\w+)', group: 1 } },
  keepParams: [],
};

describe('the popup, in Khmer', () => {
  const saveKhmerSyncSettings = () =>
    saveSettings(db, {
      ...DEFAULT_SETTINGS,
      auditorId: 'ana',
      siteProfiles: [SITE],
      sync: { enabled: true, endpoint: 'http://127.0.0.1:8787' },
      locale: 'km',
    });

  it('says the worker’s sentence about a refused token in Khmer', async () => {
    await saveKhmerSyncSettings();
    await updateSyncStatus(db, { pausedForAuth: true, problem: { kind: 'auth', ...englishProblem('sync.auth', { reason: 'HTTP 401' }) } });
    render(<Popup db={db} now={() => NOW} openOptions={vi.fn(async () => {})} requestSync={vi.fn(async () => ({ ok: true }))} download={vi.fn()} />);
    const problem = await screen.findByTestId('sync-problem', {}, { timeout: 10_000 });
    await waitFor(() =>
      expect(problem.textContent).toContain('endpoint បានបដិសេធ token (HTTP 401)។ សមកាលកម្មត្រូវបានផ្អាក រហូតដល់ token ត្រូវបានប្ដូរនៅក្នុងការកំណត់។'),
    );
    expect(problem.textContent).not.toContain('Sync is paused');
  }, 20_000);

  it('lists a record too large for the server in Khmer with the server’s own words, and an older row in its English', async () => {
    await saveKhmerSyncSettings();
    const park = async (itemId: string, reason: ProblemText) => {
      const item = { siteId: 'labeldesk', itemId, itemUrl: `https://labeldesk.example.com/task/${itemId}` };
      await recordVerdict(db, { item, input: { verdict: 'correct', errorTags: [] }, auditorId: 'ana', taxonomyVersion: 1 }, NOW - 60_000);
      const [claim] = await claimOutboxBatch(db, NOW - 50_000);
      await parkClaimed(db, claim!, reason, NOW - 40_000);
    };
    // As the engine parks one now (lib/sync/engine.ts), twice; and as an earlier version did, its English alone.
    await park('T-1', englishProblem('sync.tooLarge', { reason: 'HTTP 413: body over 1 MB' }));
    await park('T-2', englishProblem('sync.tooLarge', { reason: 'HTTP 413: body over 1 MB' }));
    await park('T-3', { message: 'too large for the server (HTTP 413: Payload Too Large)' });
    render(<Popup db={db} now={() => NOW} openOptions={vi.fn(async () => {})} requestSync={vi.fn(async () => ({ ok: true }))} download={vi.fn()} />);
    const list = await screen.findByRole('list', { name: 'មូលហេតុ' }, { timeout: 10_000 });
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
        'ធំពេកសម្រាប់ម៉ាស៊ីនមេ (HTTP 413: body over 1 MB) × 2',
        'too large for the server (HTTP 413: Payload Too Large) × 1',
      ]),
    );
  }, 20_000);
});

describe('the popup’s team numbers, in Vietnamese', () => {
  it('says why the team summary could not be loaded in Vietnamese', async () => {
    await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana', siteProfiles: [SITE], timeZone: 'UTC', locale: 'vi' });
    await db.audits.add({
      id: crypto.randomUUID(),
      rev: 1,
      createdAt: NOW - 60_000,
      updatedAt: NOW - 60_000,
      deleted: false,
      siteId: 'labeldesk',
      itemId: 'T-1',
      itemUrl: 'https://labeldesk.example.com/task/1',
      auditorId: 'ana',
      verdict: 'correct',
      errorTags: [],
      taxonomyVersion: 1,
    });
    const teamSource = () => Promise.reject(new ProblemError(englishProblem('team.noAnswer', { host: '127.0.0.1:8787' })));
    const user = userEvent.setup();
    render(<Popup db={db} now={() => NOW} openOptions={vi.fn(async () => {})} teamSource={teamSource} />);
    const today = within(await screen.findByRole('region', { name: 'Tổng quan hôm nay' }, { timeout: 10_000 }));
    await user.click(today.getByRole('radio', { name: 'Nhóm' }));
    await waitFor(() =>
      expect(today.getByTestId('scope-note').textContent).toBe(
        'Mọi người kiểm tra trên trình duyệt này: không tải được tổng hợp của nhóm (Không có phản hồi từ 127.0.0.1:8787)',
      ),
    );
  }, 20_000);
});

describe('the options page’s connection test, in Thai', () => {
  it('says what the endpoint answered in Thai', async () => {
    const translator = await loadOptionsTranslator('th');
    const permissions = { contains: vi.fn(async () => true), request: vi.fn(async () => true) };
    const fetchFn: typeof fetch = async () => new Response('', { status: 503 });
    const user = userEvent.setup();
    render(
      <OptionsI18n choice="th" initial={translator}>
        <SyncConnectionTest endpoint="http://127.0.0.1:8787" db={db} permissions={permissions} fetchFn={fetchFn} />
      </OptionsI18n>,
    );
    await user.click(screen.getByRole('button', { name: translator.t('options.test.button') }));
    expect((await screen.findByTestId('sync-test-result')).textContent).toBe(
      'endpoint มีข้อผิดพลาดของเซิร์ฟเวอร์ (HTTP 503): โปรดลองใหม่ภายหลัง',
    );
  });
});
