/**
 * The live panel Ports, one per tab. Only a cache of connections: losing it (the worker stops) loses nothing,
 * since every panel re-attaches with its secret. A key typed on the page while its panel is re-attaching waits
 * here for the Port instead of being dropped.
 */
import type { browser as Browser } from 'wxt/browser';

type Port = Browser.runtime.Port;

export class PanelPorts {
  #ports = new Map<number, Port>();
  #waiters = new Map<number, Set<(port: Port | undefined) => void>>();

  get(tabId: number): Port | undefined {
    return this.#ports.get(tabId);
  }

  tabIds(): number[] {
    return [...this.#ports.keys()];
  }

  /** Makes `port` the tab's panel (a previous one is disconnected) and hands it to anyone waiting. */
  attach(tabId: number, port: Port): void {
    const previous = this.#ports.get(tabId);
    if (previous && previous !== port) previous.disconnect();
    this.#ports.set(tabId, port);
    port.onDisconnect.addListener(() => {
      if (this.#ports.get(tabId) === port) this.#ports.delete(tabId);
    });
    for (const deliver of [...(this.#waiters.get(tabId) ?? [])]) deliver(port);
  }

  forget(tabId: number): void {
    this.#ports.delete(tabId);
  }

  /** The tab's Port now, or once one attaches; undefined after `timeoutMs`. */
  waitFor(tabId: number, timeoutMs: number): Promise<Port | undefined> {
    const current = this.#ports.get(tabId);
    if (current) return Promise.resolve(current);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(tabId) ?? new Set();
      const done = (port: Port | undefined) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(tabId);
        resolve(port);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(done);
      this.#waiters.set(tabId, waiters);
    });
  }
}
