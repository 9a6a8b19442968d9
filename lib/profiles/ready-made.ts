/**
 * Ready-made site profiles for the labeling tools Loupe is tested against (issue 7), loadable from options
 * (Sites → "Add a ready-made profile"). Each says how to read an item off that tool's pages; where the tool runs
 * differs per team, so the pages are the one thing the person adds it confirms (`pages`, prefilled from
 * `defaultMatch`). The fixtures in tests/fixtures/sites/ are these tools' pages; tests/unit/site-setup-profiles.test.ts
 * reads them with each profile.
 */
import type { FieldSource, SiteProfile } from '../schemas';

export interface ReadyMadeProfile {
  /** Also the site id it is added under (made unique if taken). */
  id: string;
  name: string;
  /** What the tool is, for the person choosing. */
  description: string;
  /** Where the fixture copy runs; the person changes it to their own tool's address. */
  defaultMatch: readonly string[];
  fields: SiteProfile['fields'];
  keepParams: readonly string[];
}

const url = (pattern: string): FieldSource => ({ from: 'url', pattern, group: 1 });

export const READY_MADE_PROFILES: readonly ReadyMadeProfile[] = [
  {
    id: 'modqueue',
    name: 'ModQueue',
    description: 'Server-rendered moderation queue: one page per item, under /queue/<queue>/item/<id>.',
    defaultMatch: ['http://127.0.0.1/modqueue/*'],
    fields: {
      itemId: url('/item/([^/?#]+)'),
      labelerId: { from: 'dom', selector: '[data-labeler]', attribute: 'data-labeler', group: 1 },
      labelerDecision: { from: 'dom', selector: '[data-testid="labeler-decision"]', group: 1 },
      queue: url('/queue/([^/?#]+)/item/'),
    },
    keepParams: [],
  },
  {
    id: 'labeldesk',
    name: 'LabelDesk',
    description: 'Single-page labeling app: tasks change without a page load, at /task/<id> or #/task/<id>.',
    defaultMatch: ['http://127.0.0.1/labeldesk/*'],
    fields: {
      itemId: { from: 'dom', selector: '[data-testid="task-id"]', pattern: '^(LD-\\d+)$', group: 1 },
      labelerId: { from: 'dom', selector: '[data-field="labeler"] [data-testid="labeler"]', group: 1 },
      labelerDecision: { from: 'dom', selector: '[data-testid="decision"]', attribute: 'data-value', group: 1 },
      queue: { from: 'dom', selector: '[data-testid="queue-name"]', group: 1 },
    },
    keepParams: [],
  },
];

/**
 * The profile to store for a ready-made one: on `pages`, under its own id unless that is taken (then `-2`, `-3`…),
 * turned off until the browser grants its pages.
 */
export function siteProfileFrom(ready: ReadyMadeProfile, pages: readonly string[], takenIds: readonly string[]): SiteProfile {
  let id = ready.id;
  for (let n = 2; takenIds.includes(id); n += 1) id = `${ready.id}-${n}`;
  return {
    id,
    name: id === ready.id ? ready.name : `${ready.name} (${id.slice(ready.id.length + 1)})`,
    enabled: false,
    match: [...pages],
    fields: ready.fields,
    keepParams: [...ready.keepParams],
  };
}
