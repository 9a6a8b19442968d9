/**
 * Follows the item on a labeling page. Single-page tools swap items without a page load, so the page is read
 * again whenever the DOM or the URL changes. A MutationObserver's callback runs before the next paint, so the
 * panel hears of a new item within the frame that shows it; reads are coalesced to one per microtask turn so a
 * busy page costs a handful of `querySelector` calls, not one per mutation, and attribute changes are watched only
 * for the attributes the profile reads (benchmarks: a page that changes every frame, tests/bench/notes.perf.ts).
 */
import { extractItem, type ItemReading } from '../site-profile';
import type { SiteProfile } from '../schemas';

export interface WatchItemOptions {
  profile: SiteProfile;
  doc: Document;
  win: Window;
  /** Called with the first reading and then whenever what was read changes. */
  onReading: (reading: ItemReading, url: string) => void;
  signal: AbortSignal;
}

function fingerprint(reading: ItemReading): string {
  return JSON.stringify(reading);
}

/**
 * The attributes whose changes can change what the profile reads: those its fields read, and those its selectors
 * match on (`[name]`, `.class`, `#id`). A page that animates `style` every frame then costs no read at all.
 * Child and text changes are always watched, since any of them can bring a new item in.
 */
export function attributesRead(profile: SiteProfile): string[] {
  const names = new Set<string>();
  for (const source of Object.values(profile.fields)) {
    if (source?.from !== 'dom') continue;
    if (source.attribute) names.add(source.attribute);
    for (const match of source.selector.matchAll(/\[\s*([^\s~|^$*=\]]+)/g)) names.add(match[1]!);
    if (source.selector.includes('.')) names.add('class');
    if (source.selector.includes('#')) names.add('id');
  }
  return [...names];
}

/** The elements the profile's DOM fields read now: text changes outside them cannot change the reading. */
function elementsRead(profile: SiteProfile, doc: Document): Element[] {
  const elements: Element[] = [];
  for (const source of Object.values(profile.fields)) {
    if (source?.from !== 'dom') continue;
    try {
      const element = doc.querySelector(source.selector);
      if (element) elements.push(element);
    } catch {
      // An invalid selector is reported by the reading itself.
    }
  }
  return elements;
}

/**
 * Whether a batch of mutations can change what is read: an element added or removed anywhere (it may be, or
 * hold, a new match), a watched attribute, or any change inside an element a field reads. Text changing
 * elsewhere (a clock, a counter, a timer on the page) cannot, and costs no read.
 */
export function mayChangeReading(records: readonly MutationRecord[], read: readonly Element[]): boolean {
  for (const record of records) {
    if (record.type === 'attributes') return true;
    if (read.some((element) => element.contains(record.target))) return true;
    if (record.type !== 'childList') continue;
    for (const node of record.addedNodes) if (node.nodeType === 1) return true;
    for (const node of record.removedNodes) if (node.nodeType === 1) return true;
  }
  return false;
}

export function watchItem({ profile, doc, win, onReading, signal }: WatchItemOptions): { readNow(): void } {
  let last: string | undefined;
  let queued = false;
  let read: Element[] = [];
  let lastUrl = '';

  const readNow = () => {
    queued = false;
    if (signal.aborted) return;
    const url = win.location.href;
    lastUrl = url;
    const reading = extractItem(profile, url, doc);
    read = elementsRead(profile, doc);
    const print = fingerprint(reading);
    if (print === last) return;
    last = print;
    onReading(reading, url);
  };
  const schedule = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(readNow);
  };

  const observer = new MutationObserver((records) => {
    // The address is compared too: a pushState seen by no event (no Navigation API) shows with the next change.
    if (win.location.href !== lastUrl || mayChangeReading(records, read)) schedule();
  });
  const attributeFilter = attributesRead(profile);
  observer.observe(doc.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    ...(attributeFilter.length > 0 ? { attributeFilter } : {}),
  });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });

  // A URL change with no DOM change (pushState before a render, or a hash route) is seen through these.
  for (const type of ['popstate', 'hashchange'] as const) {
    win.addEventListener(type, schedule, { signal });
  }
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', schedule, { signal });

  readNow();
  return { readNow };
}
