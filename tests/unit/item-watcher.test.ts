import { afterEach, describe, expect, it, vi } from 'vitest';
import { attributesRead, watchItem } from '@/lib/content/item-watcher';
import type { SiteProfile } from '@/lib/schemas';
import type { ItemReading } from '@/lib/site-profile';

const profile: SiteProfile = {
  id: 'labeldesk',
  name: 'LabelDesk',
  enabled: true,
  match: ['http://localhost/*'],
  fields: {
    itemId: { from: 'dom', selector: '[data-task-id]', attribute: 'data-task-id', group: 1 },
    labelerId: { from: 'dom', selector: '.task-meta #labeler', group: 1 },
  },
  keepParams: [],
};

afterEach(() => {
  document.body.replaceChildren();
});

describe('attributesRead', () => {
  it('names the attributes the fields read and their selectors match on', () => {
    expect(attributesRead(profile).sort()).toEqual(['class', 'data-task-id', 'id']);
  });

  it('names none for a profile that reads only the address', () => {
    expect(attributesRead({ ...profile, fields: { itemId: { from: 'url', pattern: '/task/(\\w+)', group: 1 } } })).toEqual([]);
  });
});

describe('watchItem', () => {
  it('reads again when a read attribute changes, and not for attributes nobody reads', async () => {
    const task = document.createElement('div');
    task.setAttribute('data-task-id', 'T-1');
    task.setAttribute('style', 'opacity: 1');
    document.body.replaceChildren(task);
    const readings: ItemReading[] = [];
    const controller = new AbortController();
    let reads = 0;
    watchItem({
      profile: { ...profile, fields: { itemId: profile.fields.itemId } },
      doc: document,
      win: window,
      signal: controller.signal,
      onReading: (reading) => {
        reads += 1;
        readings.push(reading);
      },
    });
    const lookups = vi.spyOn(document, 'querySelector');
    for (let frame = 0; frame < 20; frame += 1) {
      task.setAttribute('style', `opacity: ${frame / 20}`);
      await Promise.resolve();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(reads).toBe(1);
    expect(lookups).not.toHaveBeenCalled(); // the page was not even read
    task.setAttribute('data-task-id', 'T-2');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(readings.map((r) => (r.status === 'found' ? r.item.itemId : null))).toEqual(['T-1', 'T-2']);
    expect(lookups).toHaveBeenCalled();
    controller.abort();
  });
});

describe('which changes are read', () => {
  function setUp() {
    const task = document.createElement('div');
    task.setAttribute('data-task-id', 'T-1');
    const labeler = document.createElement('span');
    labeler.id = 'labeler';
    labeler.textContent = 'lab-ana';
    const meta = document.createElement('div');
    meta.className = 'task-meta';
    meta.append(labeler);
    const clock = document.createElement('span');
    clock.textContent = '10:00:00';
    document.body.replaceChildren(task, meta, clock);
    const readings: ItemReading[] = [];
    const controller = new AbortController();
    watchItem({ profile, doc: document, win: window, signal: controller.signal, onReading: (reading) => readings.push(reading) });
    return { task, labeler, clock, readings, stop: () => controller.abort() };
  }
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('does not read the page when only text outside the fields changes', async () => {
    const { clock, stop } = setUp();
    const lookups = vi.spyOn(document, 'querySelector');
    for (let second = 1; second < 10; second += 1) {
      clock.textContent = `10:00:0${second}`;
      await tick();
    }
    expect(lookups).not.toHaveBeenCalled();
    stop();
  });

  it('reads a field whose text changed, and an element the app adds', async () => {
    const { task, labeler, readings, stop } = setUp();
    labeler.textContent = 'lab-bo';
    await tick();
    expect(readings.at(-1)).toMatchObject({ item: { labelerId: 'lab-bo' } });
    const next = document.createElement('div');
    next.setAttribute('data-task-id', 'T-2');
    task.replaceWith(next);
    await tick();
    expect(readings.at(-1)).toMatchObject({ item: { itemId: 'T-2' } });
    stop();
  });
});
