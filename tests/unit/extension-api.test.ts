/**
 * The content script's own way to the extension APIs (issue 6: no webextension-polyfill on labeling pages): the
 * native namespace each browser offers, and the worker's refusals still arriving as rejections.
 */
import { describe, expect, it } from 'vitest';
import { contentRuntime, sendToWorker, type ContentRuntime } from '@/lib/content/extension-api';

function fakeRuntime(id: string | undefined, reply: unknown = { ok: true }): ContentRuntime & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    id,
    sent,
    sendMessage: async (message) => {
      sent.push(message);
      return reply;
    },
    getURL: (path) => `chrome-extension://abc${path}`,
    onMessage: { addListener: () => undefined, removeListener: () => undefined },
  };
}

describe('contentRuntime', () => {
  it.each([
    ['Firefox: `browser`, promise-based', { browser: { runtime: fakeRuntime('loupe@x') }, chrome: { runtime: fakeRuntime('loupe@x') } }, 'browser'],
    ['Chrome: `chrome` (MV3 returns promises)', { chrome: { runtime: fakeRuntime('abc') } }, 'chrome'],
    ['a `browser` global that is not an extension\u2019s', { browser: { runtime: fakeRuntime(undefined) }, chrome: { runtime: fakeRuntime('abc') } }, 'chrome'],
  ] as const)('uses %s', (_name, world, expected) => {
    const runtime = contentRuntime(world);
    expect(runtime).toBe((world as Record<string, { runtime: ContentRuntime }>)[expected]!.runtime);
  });

  it('says clearly when there is no extension runtime at all', () => {
    expect(() => contentRuntime({})).toThrow(/no extension runtime/);
  });
});

describe('sendToWorker', () => {
  it('resolves with the worker\u2019s reply', async () => {
    const runtime = fakeRuntime('abc', { enabled: false });
    await expect(sendToWorker({ type: 'content/hello', url: 'http://127.0.0.1/' }, runtime)).resolves.toEqual({ enabled: false });
    expect(runtime.sent).toEqual([{ type: 'content/hello', url: 'http://127.0.0.1/' }]);
  });

  it('rejects with the worker\u2019s reason when the worker\u2019s polyfill sent a refusal back', async () => {
    const runtime = fakeRuntime('abc', { __mozWebExtensionPolyfillReject__: true, message: 'Loupe refused a message: it came from a frame inside the page' });
    await expect(sendToWorker({ type: 'content/load-notes' }, runtime)).rejects.toThrow('Loupe refused a message: it came from a frame inside the page');
  });

  it('rejects when the browser could not deliver the message at all', async () => {
    const runtime = { ...fakeRuntime('abc'), sendMessage: () => Promise.reject(new Error('Extension context invalidated.')) };
    await expect(sendToWorker({ type: 'content/load-notes' }, runtime)).rejects.toThrow('Extension context invalidated.');
  });
});
