/**
 * The early media shield's bookkeeping (issue 7): beside the content script, lib/background/content-script-
 * registration.ts registers one stylesheet per shield mode for exactly the granted, enabled sites in that mode, and
 * keeps it so as modes, sites and permissions change, or the registrations vanish. Against an in-memory
 * `scripting` that keeps registrations by id as the browser does. The stylesheets themselves are read from public/
 * and applied in happy-dom; that they cover the first paint only a browser can show (tests/e2e/media-shield.e2e.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EARLY_SHIELD_STYLES,
  LABELING_SCRIPT_FILE,
  LABELING_SCRIPT_ID,
  loadSiteMediaModes,
  syncLabelingScript,
  type RegistrationApis,
  type SiteMediaModes,
} from '../../lib/background/content-script-registration';
import { isMediaElement, SHIELD_READY_ATTRIBUTE, startMediaShield } from '../../lib/content/media-shield';
import { LoupeDatabase } from '../../lib/db';
import { settingsSchema, type MediaMode, type Settings } from '../../lib/schemas';
import { saveLayout } from '../../lib/settings-store';

interface Script {
  id: string;
  matches: string[];
  js?: string[];
  css?: string[];
  runAt?: string;
  allFrames?: boolean;
  persistAcrossSessions?: boolean;
}

/** `scripting`'s registrations, kept by id; it refuses what the browser refuses (a second id, an unknown id). */
function fakeScripting() {
  const scripts = new Map<string, Script>();
  const calls: string[] = [];
  const api = {
    async getRegisteredContentScripts(filter?: { ids?: string[] }) {
      return [...scripts.values()].filter((script) => !filter?.ids || filter.ids.includes(script.id)).map((script) => structuredClone(script));
    },
    async registerContentScripts(added: Script[]) {
      for (const script of added) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        scripts.set(script.id, structuredClone(script));
        calls.push(`register ${script.id}`);
      }
    },
    async updateContentScripts(changed: Array<Partial<Script> & { id: string }>) {
      for (const script of changed) {
        const existing = scripts.get(script.id);
        if (!existing) throw new Error(`No script with ID '${script.id}'`);
        scripts.set(script.id, { ...existing, ...structuredClone(script) });
        calls.push(`update ${script.id}`);
      }
    },
    async unregisterContentScripts(filter: { ids: string[] }) {
      for (const id of filter.ids) {
        if (!scripts.delete(id)) throw new Error(`No script with ID '${id}'`);
        calls.push(`unregister ${id}`);
      }
    },
  };
  return { api, scripts, calls };
}

const profile = (id: string, match: string[], enabled = true) => ({
  id,
  name: id,
  enabled,
  match,
  fields: { itemId: { from: 'url', pattern: '/item/([^/?#]+)', group: 1 } },
});

const SETTINGS: Settings = settingsSchema.parse({
  siteProfiles: [
    profile('modqueue', ['https://modqueue.example/*']),
    profile('labeldesk', ['https://labeldesk.example/task/*', 'https://labeldesk.example/#/*']),
    profile('casebook', ['https://casebook.example/*']),
    profile('archive', ['https://archive.example/*'], false),
    profile('elsewhere', ['https://elsewhere.example/*']),
  ],
});

/** Origins the user granted: every site's but elsewhere.example's. */
const permissions: RegistrationApis['permissions'] = {
  contains: async ({ origins = [] }) => origins.every((origin) => !origin.includes('elsewhere.example')),
};

let fake: ReturnType<typeof fakeScripting>;
const apis = () => ({ scripting: fake.api, permissions }) as unknown as RegistrationApis;
const modes = (entries: Record<string, MediaMode>): SiteMediaModes => new Map(Object.entries(entries));
const matchesOf = (mode: 'blurred' | 'grey') => fake.scripts.get(EARLY_SHIELD_STYLES[mode].id)?.matches;

beforeEach(() => {
  fake = fakeScripting();
});

describe('the early media shield registrations', () => {
  it('registers each mode’s stylesheet for exactly the granted, enabled sites in that mode, at document_start', async () => {
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'blurred', labeldesk: 'grey', casebook: 'shown', archive: 'blurred', elsewhere: 'blurred' }));
    expect(fake.scripts.get(EARLY_SHIELD_STYLES.blurred.id)).toEqual({
      id: EARLY_SHIELD_STYLES.blurred.id,
      css: ['media-shield/blurred.css'],
      matches: ['https://modqueue.example/*'],
      runAt: 'document_start',
      allFrames: false,
      persistAcrossSessions: true,
    });
    expect(fake.scripts.get(EARLY_SHIELD_STYLES.grey.id)).toMatchObject({
      css: ['media-shield/grey.css'],
      matches: ['https://labeldesk.example/task/*', 'https://labeldesk.example/#/*'],
      runAt: 'document_start',
    });
    // The content script itself still runs on every granted, enabled site, shielded or not.
    expect(fake.scripts.get(LABELING_SCRIPT_ID)).toMatchObject({ js: [LABELING_SCRIPT_FILE], runAt: 'document_idle' });
    expect(fake.scripts.get(LABELING_SCRIPT_ID)?.matches).toHaveLength(4);
  });

  it('registers no stylesheet while every site shows its pictures, or has no layout yet', async () => {
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'shown' }));
    await syncLabelingScript(apis(), SETTINGS);
    expect([...fake.scripts.keys()]).toEqual([LABELING_SCRIPT_ID]);
  });

  it('follows a change of mode: another site added, a site moved to the other mode, the last one turned off', async () => {
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'blurred' }));
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'blurred', casebook: 'blurred' }));
    expect(matchesOf('blurred')).toEqual(['https://modqueue.example/*', 'https://casebook.example/*']);
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'grey', casebook: 'blurred' }));
    expect(matchesOf('blurred')).toEqual(['https://casebook.example/*']);
    expect(matchesOf('grey')).toEqual(['https://modqueue.example/*']);
    fake.calls.length = 0;
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'grey', casebook: 'shown' }));
    expect(fake.calls).toEqual([`unregister ${EARLY_SHIELD_STYLES.blurred.id}`]);
    expect(matchesOf('grey')).toEqual(['https://modqueue.example/*']);
  });

  it('follows the sites: one disabled, or its origin no longer granted, loses its stylesheet', async () => {
    await syncLabelingScript(apis(), SETTINGS, modes({ modqueue: 'blurred', casebook: 'blurred' }));
    const disabled = { ...SETTINGS, siteProfiles: SETTINGS.siteProfiles.map((p) => (p.id === 'casebook' ? { ...p, enabled: false } : p)) };
    await syncLabelingScript(apis(), disabled, modes({ modqueue: 'blurred', casebook: 'blurred' }));
    expect(matchesOf('blurred')).toEqual(['https://modqueue.example/*']);
    const revoked: RegistrationApis['permissions'] = { contains: async () => false };
    await syncLabelingScript({ scripting: fake.api, permissions: revoked } as unknown as RegistrationApis, SETTINGS, modes({ modqueue: 'blurred' }));
    expect([...fake.scripts.keys()]).toEqual([]);
  });

  it('leaves registrations that are as wanted alone, and re-creates those the browser lost', async () => {
    const wanted = modes({ modqueue: 'blurred', labeldesk: 'grey' });
    await syncLabelingScript(apis(), SETTINGS, wanted);
    fake.calls.length = 0;
    // The worker syncs after every layout change, most of which (the panel's side, folding it) change nothing here.
    await syncLabelingScript(apis(), SETTINGS, wanted);
    expect(fake.calls).toEqual([]);
    fake.scripts.clear(); // as seen after a browser restart (TOOLCHAIN.md)
    await syncLabelingScript(apis(), SETTINGS, wanted);
    expect(fake.calls.sort()).toEqual([`register ${LABELING_SCRIPT_ID}`, `register ${EARLY_SHIELD_STYLES.blurred.id}`, `register ${EARLY_SHIELD_STYLES.grey.id}`]);
  });

  describe('the modes, from the sites’ stored layouts', () => {
    let db: LoupeDatabase;
    beforeEach(() => {
      db = new LoupeDatabase(`loupe-shield-${crypto.randomUUID()}`);
    });
    afterEach(async () => {
      db.close();
      await db.delete();
    });

    it('reads each site’s mode, a layout stored before the shield existed as "shown"', async () => {
      await saveLayout(db, 'modqueue', { side: 'right', collapsed: false, media: 'grey' });
      await saveLayout(db, 'labeldesk', { side: 'left', collapsed: true });
      expect(await loadSiteMediaModes(db)).toEqual(new Map([['modqueue', 'grey'], ['labeldesk', 'shown']]));
    });
  });
});

/** Where WXT takes files from as they are: the stylesheets are registered by these paths. */
const PUBLIC = join(import.meta.dirname, '../../public');

describe('the early stylesheets', () => {
  const read = (mode: 'blurred' | 'grey') => readFile(join(PUBLIC, EARLY_SHIELD_STYLES[mode].file), 'utf8');

  afterEach(() => {
    document.documentElement.removeAttribute(SHIELD_READY_ATTRIBUTE);
    document.body.replaceChildren();
    document.body.removeAttribute('style');
  });

  /**
   * The stylesheet's one rule, as selector list and declarations. happy-dom's cascade does not check a selector's
   * ancestors (`:root:not(…) img` applies whatever the root), so which elements the rule reaches is asked of
   * `matches`, which does.
   */
  async function ruleOf(mode: 'blurred' | 'grey') {
    const css = (await read(mode)).replace(/\/\*[\s\S]*?\*\//g, '');
    const rules = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map(([, selector = '', declarations = '']) => ({ selector: selector.trim(), declarations: declarations.trim() }));
    expect(rules).toHaveLength(1);
    return rules[0]!;
  }

  it.each([
    ['blurred', 'filter: blur(28px) brightness(0.7) !important;'],
    ['grey', 'filter: grayscale(1) !important;'],
  ] as const)('%s: filters the pictures the shield covers until the shield marks the root, and nothing else', async (mode, declarations) => {
    const rule = await ruleOf(mode);
    // Only a filter: the tool's layout, and where its pointer events go, are left as they are.
    expect(rule.declarations).toBe(declarations);
    document.body.replaceChildren(
      document.createRange().createContextualFragment(`
        <img id="photo" src="/a.svg" alt=""><video id="clip"></video><canvas id="drawing"></canvas>
        <div id="thumb" style="background-image: url('/t.jpg')"><span>0:32</span></div>
        <div id="gradient" style="background-image: linear-gradient(red, blue)"></div>
        <p id="text">words</p><button id="approve">Approve</button>`),
    );
    const ids = ['photo', 'clip', 'drawing', 'thumb', 'gradient', 'text', 'approve'];
    const filtered = () => ids.filter((id) => document.getElementById(id)!.matches(rule.selector));
    // The pictures the content script takes for pictures, no more. (What it also weighs, a background element's
    // text and every element's size, a selector cannot: until it runs, a text block with an inline background
    // picture is filtered too, and so are icons.)
    expect(filtered()).toEqual(ids.filter((id) => isMediaElement(document.getElementById(id)!, window)));
    expect(filtered()).toEqual(['photo', 'clip', 'drawing', 'thumb']);
    expect(document.body.matches(rule.selector)).toBe(false);
    document.body.style.backgroundImage = "url('/texture.png')";
    expect(document.body.matches(rule.selector)).toBe(false);
    startMediaShield({ doc: document, win: window, signal: new AbortController().signal, mode });
    expect(document.documentElement.hasAttribute(SHIELD_READY_ATTRIBUTE)).toBe(true);
    expect(filtered()).toEqual([]);
  });

  it('steps aside on a site that shows its pictures as well', () => {
    startMediaShield({ doc: document, win: window, signal: new AbortController().signal, mode: 'shown' });
    expect(document.documentElement.hasAttribute(SHIELD_READY_ATTRIBUTE)).toBe(true);
  });
});
