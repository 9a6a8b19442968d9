import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  DEFAULT_TAXONOMY,
  SETTINGS_BUNDLE_SCHEMA,
  auditSchema,
  settingsBundleSchema,
  settingsSchema,
  siteProfileSchema,
  taxonomySchema,
  type Audit,
  type SiteProfileInput,
} from '../../lib/schemas';

/** The messages of a failed parse, with their paths, so a test shows *why* input was refused. */
function issuesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const validAudit: Audit = {
  id: '0b6f1d6e-3a4c-4c1e-9b9a-2f1e7d8c5a01',
  rev: 1,
  createdAt: 1_763_798_400_000,
  updatedAt: 1_763_798_400_000,
  deleted: false,
  siteId: 'modqueue',
  itemId: 'MQ-1002',
  itemUrl: 'https://modqueue.example.com/modqueue/queue/hate-speech/item/MQ-1002',
  labelerId: 'lab-ben',
  labelerDecision: 'Approve – No violation',
  queue: 'hate-speech',
  auditorId: 'qa-maria',
  verdict: 'incorrect',
  errorTags: ['missed-violation'],
  severity: 'major',
  correctedDecision: 'Remove – Hate speech',
  note: 'ការប្រមាថ — dehumanising language about a town 😡',
  durationMs: 41_000,
  taxonomyVersion: 1,
};

describe('auditSchema', () => {
  it.each([
    ['a full incorrect audit', validAudit],
    ['a correct audit with no tags', { ...validAudit, verdict: 'correct', errorTags: [], severity: undefined }],
    ['an unsure audit with only the required fields', {
      id: validAudit.id, rev: 3, createdAt: 0, updatedAt: 5, deleted: false, siteId: 'labeldesk', itemId: 'LD-2004',
      itemUrl: 'http://127.0.0.1:8080/labeldesk/task/LD-2004?view=split', auditorId: 'qa-maria', verdict: 'unsure',
      errorTags: [], taxonomyVersion: 2,
    }],
    ['a tombstone', { ...validAudit, rev: 2, deleted: true, deletedAt: 1_763_798_500_000 }],
  ])('accepts %s', (_name, audit) => {
    expect(issuesOf(auditSchema, audit)).toEqual([]);
  });

  it.each([
    ['incorrect without a tag', { ...validAudit, errorTags: [] }, 'errorTags: an incorrect verdict needs at least one error tag'],
    ['a tag listed twice', { ...validAudit, errorTags: ['missed-violation', 'missed-violation'] }, 'errorTags: an error tag is listed twice'],
    ['an unknown verdict', { ...validAudit, verdict: 'wrong' }, 'verdict:'],
    ['a key the schema does not know', { ...validAudit, reviewer: 'x' }, 'Unrecognized key'],
    ['a javascript: item URL', { ...validAudit, itemUrl: 'javascript:alert(1)' }, 'itemUrl:'],
    ['an id that is not a UUID', { ...validAudit, id: 'audit-1' }, 'id:'],
    ['rev 0', { ...validAudit, rev: 0 }, 'rev:'],
    ['a blank item id', { ...validAudit, itemId: '   ' }, 'itemId:'],
    ['a site id with capitals', { ...validAudit, siteId: 'ModQueue' }, 'siteId: use lowercase letters'],
    ['a negative duration', { ...validAudit, durationMs: -1 }, 'durationMs:'],
  ])('rejects %s', (_name, audit, expected) => {
    const issues = issuesOf(auditSchema, audit);
    expect(issues.some((issue) => issue.includes(expected)), issues.join('\n')).toBe(true);
  });
});

describe('taxonomySchema', () => {
  const tag = (id: string, hotkey?: string) => ({ id, label: id, rootCause: 'other', ...(hotkey ? { hotkey } : {}) });
  const weighted = (severityWeights: Record<string, unknown>) => ({ version: 1, tags: [tag('spam')], severityWeights });

  it.each([
    ['the shipped default', DEFAULT_TAXONOMY],
    ['tags without hotkeys', { version: 4, tags: [tag('spam'), tag('scam')] }],
    ['severity weights', { ...DEFAULT_TAXONOMY, severityWeights: { minor: 1, major: 3, critical: 10 } }],
    ['fractional weights with a zero', { ...DEFAULT_TAXONOMY, severityWeights: { minor: 0, major: 0.5, critical: 1000 } }],
  ])('accepts %s', (_name, taxonomy) => {
    expect(issuesOf(taxonomySchema, taxonomy)).toEqual([]);
  });

  it.each([
    ['a duplicate id', { version: 1, tags: [tag('spam', 'a'), tag('spam', 'b')] }, 'tags.1.id: tag id "spam" is used twice'],
    ['a duplicate hotkey', { version: 1, tags: [tag('spam', 'a'), tag('scam', 'a')] }, 'tags.1.hotkey: hotkey "a" is used twice'],
    ['hotkeys differing only in case', { version: 1, tags: [tag('spam', 'a'), tag('scam', 'A')] }, 'tags.1.hotkey: hotkey "A" is used twice'],
    ['no tags', { version: 1, tags: [] }, 'tags:'],
    ['version 0', { version: 0, tags: [tag('spam')] }, 'version:'],
    ['an unknown root cause', { version: 1, tags: [{ ...tag('spam'), rootCause: 'laziness' }] }, 'tags.0.rootCause:'],
    ['a malformed hotkey', { version: 1, tags: [tag('spam', 'Ctrl+s')] }, 'tags.0.hotkey: write a key like'],
    ['all weights 0', weighted({ minor: 0, major: 0, critical: 0 }), 'severityWeights: give at least one severity a weight above 0'],
    ['a negative weight', weighted({ minor: -1, major: 3, critical: 10 }), 'severityWeights.minor: the minor weight cannot be below 0'],
    ['an infinite weight', weighted({ minor: 1, major: 3, critical: Infinity }), 'severityWeights.critical: the critical weight must be a finite number'],
    ['a NaN weight', weighted({ minor: 1, major: Number.NaN, critical: 10 }), 'severityWeights.major: the major weight must be a finite number'],
    ['a weight as text', weighted({ minor: '1', major: 3, critical: 10 }), 'severityWeights.minor: the minor weight must be a finite number'],
    ['a missing weight', weighted({ minor: 1, major: 3 }), 'severityWeights.critical: the critical weight must be a finite number'],
    ['a weight above the cap', weighted({ minor: 1, major: 3, critical: 1001 }), 'severityWeights.critical: the critical weight can be at most 1000'],
    ['an unknown severity', weighted({ minor: 1, major: 3, critical: 10, blocker: 20 }), 'severityWeights: Unrecognized key'],
  ])('rejects %s', (_name, taxonomy, expected) => {
    const issues = issuesOf(taxonomySchema, taxonomy);
    expect(issues.some((issue) => issue.includes(expected)), issues.join('\n')).toBe(true);
  });
});

describe('siteProfileSchema', () => {
  const validProfile: SiteProfileInput = {
    id: 'modqueue',
    name: 'ModQueue',
    enabled: true,
    match: ['https://modqueue.example.com/modqueue/*', 'http://127.0.0.1:8080/modqueue/*'],
    fields: {
      itemId: { from: 'url', pattern: '/item/([A-Z]+-\\d+)' },
      labelerId: { from: 'dom', selector: '.mq-labeler', attribute: 'data-labeler' },
      queue: { from: 'dom', selector: '.mq-breadcrumb', pattern: 'Review › (.+?) ›', group: 1 },
    },
    keepParams: ['tab'],
  };

  it('accepts a profile and fills defaults', () => {
    const parsed = siteProfileSchema.parse({ ...validProfile, keepParams: undefined });
    expect(parsed.fields.itemId).toEqual({ from: 'url', pattern: '/item/([A-Z]+-\\d+)', group: 1 });
    expect(parsed.keepParams).toEqual([]);
  });

  it.each([
    ['a regex that does not compile', { ...validProfile, fields: { itemId: { from: 'url', pattern: '/item/(' } } }, 'fields.itemId.pattern: not a valid regular expression'],
    ['a regex valid only without the u flag', { ...validProfile, fields: { itemId: { from: 'url', pattern: '\\-' } } }, 'fields.itemId.pattern: not a valid regular expression'],
    ['a bad match pattern', { ...validProfile, match: ['modqueue.example.com/*'] }, 'match.0: write a match pattern like'],
    ['no match pattern', { ...validProfile, match: [] }, 'match:'],
    ['an extra key on the profile', { ...validProfile, selector: '#x' }, 'Unrecognized key'],
    ['an extra key on a field', { ...validProfile, fields: { itemId: { from: 'url', pattern: 'x', selector: '#x' } } }, 'Unrecognized key'],
    ['an unknown field', { ...validProfile, fields: { ...validProfile.fields, reviewer: { from: 'url', pattern: 'x' } } }, 'Unrecognized key'],
    ['no itemId', { ...validProfile, fields: { labelerId: { from: 'url', pattern: 'x' } } }, 'fields.itemId:'],
    ['an unknown source', { ...validProfile, fields: { itemId: { from: 'cookie', pattern: 'x' } } }, 'fields.itemId'],
    ['a DOM source without a selector', { ...validProfile, fields: { itemId: { from: 'dom', selector: '  ' } } }, 'fields.itemId.selector:'],
    ['a group above 20', { ...validProfile, fields: { itemId: { from: 'url', pattern: 'x', group: 21 } } }, 'fields.itemId.group:'],
    ['an id with spaces', { ...validProfile, id: 'mod queue' }, 'id: use lowercase letters'],
  ])('rejects %s', (_name, input, expected) => {
    const issues = issuesOf(siteProfileSchema, input);
    expect(issues.some((issue) => issue.includes(expected)), issues.join('\n')).toBe(true);
  });
});

describe('settingsSchema', () => {
  it('fills every default from an empty object', () => {
    expect(settingsSchema.parse({})).toEqual(DEFAULT_SETTINGS);
    // No weights by default: the dashboard then shows no severity-weighted figure.
    expect(DEFAULT_SETTINGS.taxonomy).not.toHaveProperty('severityWeights');
    expect(DEFAULT_SETTINGS).toMatchObject({ kpiTarget: 0.95, undoWindowMs: 10_000, siteProfiles: [], sync: { enabled: false } });
  });

  it.each([
    ['an https endpoint', { sync: { enabled: true, endpoint: 'https://qa.example.com/loupe' } }],
    ['http on 127.0.0.1 with a port', { sync: { enabled: true, endpoint: 'http://127.0.0.1:8080' } }],
    ['http on localhost', { sync: { enabled: true, endpoint: 'http://localhost:3000/api' } }],
    ['a time zone', { timeZone: 'Asia/Phnom_Penh' }],
    ['a tag key that no command uses', { taxonomy: { version: 2, tags: [{ id: 'spam', label: 'Spam', hotkey: 'x', rootCause: 'other' }] } }],
  ])('accepts %s', (_name, input) => {
    expect(issuesOf(settingsSchema, input)).toEqual([]);
  });

  it.each([
    ['http to another host', { sync: { enabled: true, endpoint: 'http://example.com' } }, 'sync.endpoint: use an https:// address'],
    ['an endpoint with a query', { sync: { enabled: true, endpoint: 'https://qa.example.com/?token=x' } }, 'sync.endpoint:'],
    ['an endpoint with credentials', { sync: { enabled: true, endpoint: 'https://user:pw@qa.example.com/' } }, 'sync.endpoint:'],
    ['an endpoint that is not a URL', { sync: { enabled: true, endpoint: 'qa.example.com' } }, 'sync.endpoint:'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone: not a time zone this browser knows'],
    ['a KPI target above 1', { kpiTarget: 95 }, 'kpiTarget:'],
    [
      'a tag key that is a command key',
      { taxonomy: { version: 2, tags: [{ id: 'spam', label: 'Spam', hotkey: '1', rootCause: 'other' }] } },
      'taxonomy.tags.0.hotkey: "1" is already the key for correct',
    ],
    [
      'a tag key that is a command key in another case',
      { hotkeys: { ...DEFAULT_SETTINGS.hotkeys, help: 'h' }, taxonomy: { version: 2, tags: [{ id: 'spam', label: 'Spam', hotkey: 'H', rootCause: 'other' }] } },
      'taxonomy.tags.0.hotkey: "H" is already the key for help',
    ],
    ['two commands on one key', { hotkeys: { ...DEFAULT_SETTINGS.hotkeys, unsure: '1' } }, 'hotkeys.unsure: "1" is already the key for correct'],
    [
      'two profiles with one id',
      { siteProfiles: [0, 1].map(() => ({ id: 'modqueue', name: 'ModQueue', enabled: true, match: ['https://mq.example.com/*'], fields: { itemId: { from: 'url', pattern: 'x' } } })) },
      'siteProfiles.1.id: site id "modqueue" is used twice',
    ],
    ['a sync token (never part of settings)', { sync: { enabled: true, token: 'secret' } }, 'Unrecognized key'],
  ])('rejects %s', (_name, input, expected) => {
    const issues = issuesOf(settingsSchema, input);
    expect(issues.some((issue) => issue.includes(expected)), issues.join('\n')).toBe(true);
  });
});

describe('settingsBundleSchema', () => {
  it.each([
    ['an export of the defaults', { schema: SETTINGS_BUNDLE_SCHEMA, exportedAt: '2026-11-22T08:00:00.000Z', settings: DEFAULT_SETTINGS }],
    ['a hand-written bundle relying on defaults', { schema: 'loupe.settings/1', settings: { auditorId: 'qa-maria' } }],
    [
      'a bundle with severity weights',
      { schema: SETTINGS_BUNDLE_SCHEMA, settings: { taxonomy: { ...DEFAULT_TAXONOMY, severityWeights: { minor: 1, major: 3, critical: 10 } } } },
    ],
  ])('accepts %s', (_name, bundle) => {
    expect(issuesOf(settingsBundleSchema, bundle)).toEqual([]);
  });

  it.each([
    ['a wrong schema string', { schema: 'loupe.settings/2', settings: {} }, 'schema:'],
    ['no schema string', { settings: {} }, 'schema:'],
    ['a batch document', { schema: 'loupe.batch/1', settings: {} }, 'schema:'],
    ['an exportedAt that is not ISO', { schema: SETTINGS_BUNDLE_SCHEMA, exportedAt: 'yesterday', settings: {} }, 'exportedAt:'],
    ['invalid settings inside', { schema: SETTINGS_BUNDLE_SCHEMA, settings: { timeZone: 'Nowhere/Land' } }, 'settings.timeZone:'],
    ['an extra top-level key', { schema: SETTINGS_BUNDLE_SCHEMA, settings: {}, token: 'secret' }, 'Unrecognized key'],
  ])('rejects %s', (_name, bundle, expected) => {
    const issues = issuesOf(settingsBundleSchema, bundle);
    expect(issues.some((issue) => issue.includes(expected)), issues.join('\n')).toBe(true);
  });
});
