/**
 * The ready-made profiles shipped for the fixture labeling tools (lib/profiles/ready-made.ts): valid, reading
 * those tools' pages (snapshots in tests/fixtures/pages/), the same as the demo settings' profiles, and knowing
 * nothing of Casebook, the tool the setup e2e test teaches Loupe from scratch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteProfileSchema } from '../../lib/schemas';
import { READY_MADE_PROFILES, siteProfileFrom } from '../../lib/profiles/ready-made';
import { extractItem, findSiteProfile } from '../../lib/site-profile';
import { LABELDESK_TASKS, MODQUEUE_ITEMS } from '../fixtures/sites/catalog.mjs';
import demoBundle from '../fixtures/sites/demo-settings.json';

function page(name: string): Document {
  const html = readFileSync(join(import.meta.dirname, '../fixtures/pages', name), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

const ready = (id: string) => {
  const found = READY_MADE_PROFILES.find((profile) => profile.id === id);
  if (!found) throw new Error(`no ready-made profile "${id}"`);
  return found;
};

describe('ready-made profiles', () => {
  it.each(READY_MADE_PROFILES.map((profile) => [profile.id, profile] as const))('%s is a valid site profile', (_id, profile) => {
    const stored = siteProfileFrom(profile, profile.defaultMatch, []);
    expect(siteProfileSchema.parse(stored)).toEqual(stored);
    expect(stored).toMatchObject({ id: profile.id, name: profile.name, enabled: false, match: profile.defaultMatch });
  });

  it('reads a ModQueue item page', () => {
    const item = MODQUEUE_ITEMS[0]!;
    const profile = siteProfileFrom(ready('modqueue'), ready('modqueue').defaultMatch, []);
    const reading = extractItem(profile, `http://127.0.0.1:5178/modqueue/queue/${item.queue}/item/${item.id}`, page('modqueue-item.html'));
    expect(reading).toMatchObject({
      status: 'found',
      item: { siteId: 'modqueue', itemId: item.id, labelerId: item.labelerId, labelerDecision: item.decision, queue: item.queue },
      problems: [],
    });
  });

  it('reads a LabelDesk task as the app renders it', () => {
    const task = LABELDESK_TASKS[0]!;
    const profile = siteProfileFrom(ready('labeldesk'), ready('labeldesk').defaultMatch, []);
    const reading = extractItem(profile, `http://127.0.0.1:5178/labeldesk/task/${task.id}`, page('labeldesk-item.html'));
    expect(reading).toMatchObject({
      status: 'found',
      item: { siteId: 'labeldesk', itemId: task.id, labelerId: task.labelerId, labelerDecision: task.decision, queue: task.queue },
      problems: [],
    });
  });

  it('says which field a LabelDesk task without a labeler lacks', () => {
    const profile = siteProfileFrom(ready('labeldesk'), ready('labeldesk').defaultMatch, []);
    const reading = extractItem(profile, 'http://127.0.0.1:5178/labeldesk/task/LD-2004', page('labeldesk-missing-labeler.html'));
    expect(reading.status).toBe('found');
    expect(reading.problems.map((problem) => problem.field)).toEqual(['labelerId']);
  });

  it('read what the demo settings\u2019 profiles read (one source of truth would drift otherwise)', () => {
    for (const demo of demoBundle.settings.siteProfiles) {
      expect(siteProfileSchema.parse(demo).fields).toEqual(siteProfileSchema.parse(siteProfileFrom(ready(demo.id), demo.match, [])).fields);
    }
  });

  it('know nothing of Casebook: setting it up starts from scratch', () => {
    const profiles = READY_MADE_PROFILES.map((profile) => siteProfileFrom(profile, profile.defaultMatch, []));
    expect(findSiteProfile(profiles.map((p) => ({ ...p, enabled: true })), 'http://127.0.0.1:5178/casebook/case/4411')).toBeUndefined();
  });

  it('are added under an id of their own when theirs is taken, on the pages the person gave', () => {
    const profile = siteProfileFrom(ready('modqueue'), ['https://mq.example.com/*'], ['modqueue', 'modqueue-2']);
    expect(profile).toMatchObject({ id: 'modqueue-3', name: 'ModQueue (3)', match: ['https://mq.example.com/*'], enabled: false });
  });
});
