/**
 * Problems the worker and lib report, in the reader's language (issue 7): the worker writes each problem's English
 * from the `problems` catalog beside its key and params; a page says a known key in its language and falls back
 * to the stored English for a row from before keys, an unknown key, or params that do not fit. Also: what the
 * protocol accepts as a problem's identity, and the sync engine's problems end to end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPopupTranslator } from '../../components/popup/i18n';
import { loadPanelTranslator } from '../../components/panel/i18n';
import { describeStorageFailure, recordVerdict, undoVerdict, UndoRefusedError } from '../../lib/audits';
import { LoupeDatabase } from '../../lib/db';
import en from '../../lib/i18n/catalogs/en/problems';
import { NOTES_UNAVAILABLE } from '../../lib/content/lazy-page-notes';
import { describeElement, describeTextRange, MAX_QUOTE_CHARS } from '../../lib/notes/describe-target';
import { createNote, editNote, NoteInvalidError } from '../../lib/notes/store';
import {
  describeFailure,
  describeProblem,
  describeSyncProblem,
  englishProblem,
  englishProblemFrom,
  problemOfError,
  type ProblemText,
} from '../../lib/problems';
import { failureSchema, syncSummarySchema } from '../../lib/protocol';
import { runSync } from '../../lib/sync/engine';
import { listRejected } from '../../lib/sync/rejected';
import { loadSyncStatus } from '../../lib/sync/status';
import { testConnection } from '../../lib/sync/test-connection';

const clock = (at: number) => `@${at}`;

describe('englishProblem', () => {
  it('writes the English message from the catalog, with the key and params beside it', () => {
    expect(englishProblem('sync.noPermission', { host: 'qa.example.com' })).toEqual({
      key: 'sync.noPermission',
      params: { host: 'qa.example.com' },
      message: 'Loupe may not reach qa.example.com: save the endpoint again in Options to grant access.',
    });
    expect(englishProblem('undo.notYours')).toEqual({ key: 'undo.notYours', message: en['undo.notYours'] });
  });

  it('builds failures the protocol accepts', () => {
    const failure = { code: 'storage-unavailable' as const, ...englishProblem('storage.unavailable', { detail: 'disk I/O error' }) };
    expect(failureSchema.parse(failure)).toEqual(failure);
    expect(failure.message).toBe('Not saved: Loupe’s database could not be written (disk I/O error). Your verdict is still here; try saving again.');
  });
});

describe('describeFailure', () => {
  it('says a known failure in the page’s language, with its params', async () => {
    const vi = await loadPanelTranslator('vi');
    const failure = { code: 'invalid' as const, ...englishProblem('verdict.unknownTags', { tags: '"spam"' }) };
    expect(describeFailure(failure, vi)).toBe('Thẻ lỗi không xác định "spam": danh sách thẻ lỗi đã thay đổi; hãy chọn lại thẻ.');
    const km = await loadPanelTranslator('km');
    expect(describeFailure({ code: 'refused', ...englishProblem('undo.notYours') }, km)).toBe(
      'មានតែអ្នកត្រួតពិនិត្យដែលបានរក្សាទុកការវិនិច្ឆ័យប៉ុណ្ណោះ ទើបអាចដកវាវិញបាន។',
    );
  });

  it('says it in English on an English page, as it always did', async () => {
    const english = await loadPanelTranslator('en');
    const failure = describeStorageFailure(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }));
    expect(failure.key).toBe('storage.full');
    expect(describeFailure(failure, english)).toBe(failure.message);
  });

  it.each([
    ['a failure from before keys', { message: 'Not saved: old words.' }],
    ['a key this version does not know', { message: 'Not saved: newer words.', key: 'storage.someday' }],
    ['a key of another namespace', { message: 'Fallback.', key: 'save' }],
    ['a placeholder without its param', { message: 'Not saved: the English.', key: 'storage.unavailable' }],
    ['a param of the wrong type', { message: 'Not saved: the English.', key: 'storage.unavailable', params: { other: 'x' } }],
  ])('falls back to the stored English for %s', async (_case, failure) => {
    const km = await loadPanelTranslator('km');
    expect(describeFailure(failure, km)).toBe(failure.message);
  });

  it('refuses identities that do not fit the protocol', () => {
    const base = { code: 'invalid', message: 'x' };
    expect(failureSchema.safeParse({ ...base, key: 'sync.http', params: { reason: 'HTTP 503' } }).success).toBe(true);
    expect(failureSchema.safeParse({ ...base, key: 'has space' }).success).toBe(false);
    expect(failureSchema.safeParse({ ...base, key: 'x'.repeat(65) }).success).toBe(false);
    const tags = Array.from({ length: 32 }, (_, i) => `"${String(i).padEnd(64, 'x')}"`).join(', ');
    expect(failureSchema.safeParse({ ...base, key: 'verdict.unknownTags', params: { tags } }).success).toBe(true);
    expect(failureSchema.safeParse({ ...base, params: { detail: 'x'.repeat(2501) } }).success).toBe(false);
    expect(failureSchema.safeParse({ ...base, params: { detail: { nested: true } } }).success).toBe(false);
    expect(failureSchema.safeParse({ ...base, params: { 'not a name': 'x' } }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, i]));
    expect(failureSchema.safeParse({ ...base, params: many }).success).toBe(false);
  });
});

describe('describeSyncProblem', () => {
  it('writes the retry time the page’s way, not as the worker wrote it', async () => {
    const th = await loadPopupTranslator('th');
    const problem = { kind: 'server' as const, ...englishProblem('sync.http', { reason: 'HTTP 503: down', time: '10:42 AM' }), retryAt: 1234 };
    expect(problem.message).toBe('Server problem: HTTP 503: down, retrying at 10:42 AM.');
    expect(describeSyncProblem(problem, th, clock)).toBe('เซิร์ฟเวอร์มีปัญหา: HTTP 503: down จะลองใหม่เวลา @1234');
  });

  it('counts in the page’s language', async () => {
    const id = await loadPopupTranslator('id');
    const english = await loadPopupTranslator('en');
    const problem = { ...englishProblem('sync.noneConfirmed', { count: 1500, time: 't' }), retryAt: 5 };
    expect(describeSyncProblem(problem, id, clock)).toContain('dari 1.500 data yang dikirim');
    expect(describeProblem({ ...englishProblem('sync.noneConfirmed', { count: 1, time: 't' }) }, english)).toContain('none of the 1 record sent');
  });

  it('shows a status row stored before keys as it was written', async () => {
    const km = await loadPopupTranslator('km');
    const old = { kind: 'offline' as const, message: 'Offline: verdicts wait here and are sent when the connection is back, retrying at 10:42.', retryAt: 9 };
    expect(syncSummarySchema.shape.problem.parse(old)).toEqual(old);
    expect(describeSyncProblem(old, km, clock)).toBe(old.message);
  });
});

describe('what the lib reports', () => {
  let db: LoupeDatabase;
  beforeEach(() => {
    db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
  });
  afterEach(async () => {
    await db.delete();
  });

  async function recordOne() {
    const item = { siteId: 'modqueue', itemId: 'IT-1', itemUrl: 'https://tool.example.com/item/IT-1' };
    await recordVerdict(db, { item, input: { verdict: 'correct', errorTags: [] }, auditorId: 'qa-1', taxonomyVersion: 1 }, 1);
  }

  it('stores a sync problem with its identity, said in Vietnamese at display', async () => {
    await recordOne();
    const fetch503: typeof fetch = async () => new Response(JSON.stringify({ error: 'maintenance' }), { status: 500 });
    const report = await runSync({ db, fetch: fetch503, now: () => 1_000, random: () => 0.5 }, { endpoint: 'https://qa.example.com', token: null, clientId: 'c' });
    const { problem } = await loadSyncStatus(db);
    expect(report.stoppedBy).toEqual(problem);
    expect(problem).toMatchObject({ kind: 'server', key: 'sync.http', params: { reason: 'HTTP 500: maintenance' } });
    expect(problem!.message).toMatch(/^Server problem: HTTP 500: maintenance, retrying at .+\.$/);
    const vi = await loadPanelTranslator('vi');
    expect(describeSyncProblem(problem!, vi, clock)).toBe(`Lỗi máy chủ: HTTP 500: maintenance, sẽ thử lại lúc @${problem!.retryAt}.`);
  });

  it('says a refused token in the page’s language', async () => {
    await recordOne();
    const fetch401: typeof fetch = async () => new Response('', { status: 401 });
    await runSync({ db, fetch: fetch401, now: () => 1_000 }, { endpoint: 'https://qa.example.com', token: 't', clientId: 'c' });
    const { problem } = await loadSyncStatus(db);
    const ms = await loadPanelTranslator('ms');
    expect(describeSyncProblem(problem!, ms, clock)).toBe('Endpoint menolak token (HTTP 401). Penyegerakan dijeda sehingga token ditukar dalam Tetapan.');
  });

  it('refuses an undo with a key the panel translates', async () => {
    const error = await undoVerdict(db, crypto.randomUUID(), 1, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndoRefusedError);
    const refused = error as UndoRefusedError;
    expect(refused.problem).toEqual({ key: 'undo.gone', message: 'That verdict is no longer stored; nothing was undone.' });
    const th = await loadPanelTranslator('th');
    expect(describeFailure({ code: refused.code, ...refused.problem }, th)).toBe('ผลการตัดสินนั้นไม่ได้ถูกเก็บไว้แล้ว ไม่มีสิ่งใดถูกถอน');
  });

  it('parks a record too large for the server with Loupe’s words by key, the server’s own words kept as they are', async () => {
    await recordOne();
    const fetch413: typeof fetch = async () => new Response(JSON.stringify({ error: 'body over 1 MB' }), { status: 413 });
    await runSync({ db, fetch: fetch413, now: () => 1_000 }, { endpoint: 'https://qa.example.com', token: null, clientId: 'c' });
    const [parked] = await listRejected(db);
    expect(parked).toMatchObject({
      reason: 'too large for the server (HTTP 413: body over 1 MB)',
      reasonKey: 'sync.tooLarge',
      reasonParams: { reason: 'HTTP 413: body over 1 MB' },
    });
    const problem = { message: parked!.reason, key: parked!.reasonKey, params: parked!.reasonParams };
    const km = await loadPopupTranslator('km');
    expect(describeProblem(problem, km)).toBe('ធំពេកសម្រាប់ម៉ាស៊ីនមេ (HTTP 413: body over 1 MB)');
    expect(describeProblem(problem, await loadPopupTranslator('en'))).toBe(parked!.reason);
  });

  it('refuses an invalid note with the field named in the panel’s language, zod’s words in the English only', async () => {
    const item = { siteId: 'modqueue', itemId: 'IT-1', itemUrl: 'https://tool.example.com/item/IT-1' };
    const target = { kind: 'text' as const, quote: { type: 'TextQuoteSelector' as const, exact: 'spam' } };
    const tooLong = await createNote(db, { item, authorId: 'mentor-1', target, body: 'x'.repeat(5001) }).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(NoteInvalidError);
    // As the worker hands it to the panel (lib/background/note-handlers.ts).
    const failure = failureSchema.parse({ code: 'invalid', ...problemOfError(tooLong) });
    expect(failure).toMatchObject({ key: 'note.invalidText', message: expect.stringMatching(/^Not saved: the note is not valid \(body: .*5000.*\)\.$/) as string });
    const vi = await loadPanelTranslator('vi');
    expect(describeFailure(failure, vi)).toBe('Chưa lưu: nội dung ghi chú trống hoặc quá dài. Ghi chú của bạn vẫn còn ở đây.');

    // A field no message names: its path, in the sentence of the page's language.
    const note = await createNote(db, { item, authorId: 'mentor-1', target, body: 'spam' });
    const acknowledged = await editNote(db, note.id, 'mentor-1', { acknowledged: true }).catch((e: unknown) => e);
    const other = failureSchema.parse({ code: 'invalid', ...problemOfError(acknowledged) });
    expect(other).toMatchObject({ key: 'note.invalid', params: { field: 'acknowledged' } });
    const th = await loadPanelTranslator('th');
    expect(describeFailure(other, th)).toBe('ไม่ได้บันทึก: โน้ตไม่ถูกต้อง (acknowledged) โน้ตของคุณยังอยู่ที่นี่');
  });

  it('gives the connection test’s answer an identity too', async () => {
    const result = await testConnection('https://qa.example.com', null, async () => new Response('', { status: 401 }));
    expect(result).toMatchObject({ ok: false, key: 'test.tokenWanted', params: { status: '401' } });
    const km = await loadPanelTranslator('km');
    expect(describeProblem(result, km)).toBe('endpoint ត្រូវការ token (HTTP 401)៖ សូមបន្ថែម token រួចសាកល្បងម្ដងទៀត');
  });
});

describe('the content script’s words', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  /** Every refusal annotate mode can give, as the content script writes it without the catalog. */
  function refusals(): ProblemText[] {
    const html = `<main><p id="post">Spam spam  <b>eggs</b></p><p id="long">${'word '.repeat(MAX_QUOTE_CHARS / 4)}</p></main><aside>Elsewhere</aside><loupe-notes><p>Ours</p></loupe-notes>`;
    const parsed = new DOMParser().parseFromString(html, 'text/html');
    document.body.replaceChildren(...Array.from(parsed.body.childNodes, (node) => document.importNode(node, true)));
    const root = document.querySelector('main')!;
    const range = (node: Node, start: number, end: number) => {
      const r = document.createRange();
      r.setStart(node, start);
      r.setEnd(node, end);
      return r;
    };
    const post = document.querySelector('#post')!.firstChild!;
    const all = document.createRange();
    all.selectNodeContents(document.querySelector('#long')!);
    const results = [
      describeTextRange(range(post, 0, 0), root),
      describeTextRange(range(post, 9, 11), root),
      describeTextRange(all, root),
      describeTextRange(range(document.querySelector('aside')!.firstChild!, 0, 4), root),
      describeTextRange(range(document.querySelector('loupe-notes p')!.firstChild!, 0, 4), document.body),
      describeElement(document.querySelector('aside')!, root),
      describeElement(document.querySelector('loupe-notes p')!, document.body),
    ];
    return [...results.flatMap((result) => (result.ok ? [] : [result])), NOTES_UNAVAILABLE];
  }

  it('match the catalog’s English, so a page in English reads the same either way', () => {
    const found = refusals();
    expect(new Set(found.map((problem) => problem.key))).toEqual(
      new Set(['pin.empty', 'pin.whitespace', 'pin.tooLong', 'pin.selectOnPage', 'pin.insideLoupe', 'pin.pickOnPage', 'pin.unavailable']),
    );
    for (const problem of found) expect(englishProblemFrom(problem.key as never, problem.params).message).toBe(problem.message);
  });

  it('are said in the panel’s language', async () => {
    const id = await loadPanelTranslator('id');
    const tooLong = refusals().find((problem) => problem.key === 'pin.tooLong')!;
    expect(describeProblem(tooLong, id)).toBe('Pilihan terlalu panjang untuk disematkan catatan: pilih paling banyak 2.000 karakter.');
  });
});
