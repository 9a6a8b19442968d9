/**
 * The live panel Ports, one per tab. Only a cache of connections: losing it (the worker stops) loses nothing,
 * since every panel re-attaches with its secret. (Keys typed on the page do not pass through here: they reach the
 * panel on a channel of their own, lib/content/panel-frame.ts.)
 */
import type { browser as Browser } from 'wxt/browser';

type Port = Browser.runtime.Port;

export class PanelPorts {
  #ports = new Map<number, Port>();

  get(tabId: number): Port | undefined {
    return this.#ports.get(tabId);
  }

  tabIds(): number[] {
    return [...this.#ports.keys()];
  }

  /** Makes `port` the tab's panel (a previous one is disconnected). */
  attach(tabId: number, port: Port): void {
    const previous = this.#ports.get(tabId);
    if (previous && previous !== port) previous.disconnect();
    this.#ports.set(tabId, port);
    port.onDisconnect.addListener(() => {
      if (this.#ports.get(tabId) === port) this.#ports.delete(tabId);
    });
  }

  forget(tabId: number): void {
    this.#ports.delete(tabId);
  }
}
