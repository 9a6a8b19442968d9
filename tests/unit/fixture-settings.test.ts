import { describe, expect, it } from 'vitest';
import { settingsBundleSchema } from '../../lib/schemas';
import { matchesPattern } from '../../lib/match-pattern';
// The demo and the e2e tests import this bundle; if the schema moves on, this fails before they do.
import demoBundle from '../fixtures/sites/demo-settings.json';

describe('demo-settings.json (fixture site profiles)', () => {
  const parsed = settingsBundleSchema.safeParse(demoBundle);

  it('is a valid settings bundle', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.success).toBe(true);
  });

  it('has one enabled profile per fixture tool', () => {
    const profiles = parsed.data?.settings.siteProfiles ?? [];
    expect(profiles.map((profile) => [profile.id, profile.enabled])).toEqual([
      ['modqueue', true],
      ['labeldesk', true],
    ]);
  });

  it.each([
    ['modqueue', 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001', true],
    ['labeldesk', 'http://127.0.0.1:40123/labeldesk/task/LD-2001?lateMs=1000', true],
    ['labeldesk', 'http://127.0.0.1:5178/labeldesk/#/task/LD-2001', true],
    ['modqueue', 'http://127.0.0.1:5178/about', false],
    ['labeldesk', 'http://127.0.0.1:5178/about', false],
  ])('profile %s matches %s: %s', (id, url, expected) => {
    const profile = parsed.data?.settings.siteProfiles.find((candidate) => candidate.id === id);
    expect(profile?.match.some((pattern) => matchesPattern(pattern, url))).toBe(expected);
  });

  it('reads the ModQueue item id and queue from the URL', () => {
    const fields = parsed.data?.settings.siteProfiles.find((profile) => profile.id === 'modqueue')?.fields;
    const url = 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001';
    for (const [field, expected] of [
      [fields?.itemId, 'MQ-1001'],
      [fields?.queue, 'hate-speech'],
    ] as const) {
      if (field?.from !== 'url') throw new Error('expected a url field');
      expect(new RegExp(field.pattern, 'u').exec(url)?.[field.group]).toBe(expected);
    }
  });
});
