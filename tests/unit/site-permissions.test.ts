import { describe, expect, it, vi } from 'vitest';
import { hasSitePermission, originsForProfile, requestSitePermission } from '../../lib/site-permissions';

describe('originsForProfile', () => {
  it.each([
    [['https://tool.example.com/review/*'], ['https://tool.example.com/*']],
    [['https://tool.example.com/review/*', 'https://tool.example.com/queue/*'], ['https://tool.example.com/*']],
    [['https://a.example.com/*', 'http://127.0.0.1:8080/task/*'], ['https://a.example.com/*', 'http://127.0.0.1/*']],
    [['*://*.example.org/x*'], ['*://*.example.org/*']],
    [['not a pattern', 'https://ok.example.com/*'], ['https://ok.example.com/*']],
    [[], []],
  ])('%j → %j', (match, expected) => {
    expect(originsForProfile({ match })).toEqual(expected);
  });
});

describe('hasSitePermission', () => {
  it('asks for every origin the profile needs', async () => {
    const contains = vi.fn(async () => true);
    await expect(hasSitePermission({ contains }, { match: ['https://a.example/*', 'https://b.example/x/*'] })).resolves.toBe(true);
    expect(contains).toHaveBeenCalledWith({ origins: ['https://a.example/*', 'https://b.example/*'] });
  });

  it('reports what the browser says', async () => {
    await expect(hasSitePermission({ contains: async () => false }, { match: ['https://a.example/*'] })).resolves.toBe(false);
  });

  it('is false when there is nothing to grant, without asking', async () => {
    const contains = vi.fn(async () => true);
    await expect(hasSitePermission({ contains }, { match: ['nonsense'] })).resolves.toBe(false);
    expect(contains).not.toHaveBeenCalled();
  });
});

describe('requestSitePermission', () => {
  it('calls permissions.request synchronously, before returning (user gesture)', () => {
    const request = vi.fn(() => new Promise<boolean>(() => {}));
    void requestSitePermission({ request }, { match: ['https://a.example/review/*'] });
    // No await happened: the request must already have been made.
    expect(request).toHaveBeenCalledTimes(1);
    expect(request).toHaveBeenCalledWith({ origins: ['https://a.example/*'] });
  });

  it.each([true, false])('resolves to the browser answer (%s)', async (answer) => {
    await expect(requestSitePermission({ request: async () => answer }, { match: ['https://a.example/*'] })).resolves.toBe(answer);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const request = () => {
      throw new Error('not implemented');
    };
    await expect(requestSitePermission({ request }, { match: ['https://a.example/*'] })).rejects.toThrow('not implemented');
  });
});
