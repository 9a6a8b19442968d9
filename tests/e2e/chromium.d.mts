/** The manifest's `key` fixes the Chrome extension id. */
export const LOUPE_EXTENSION_ID: 'ilhbcfmkdehekcbfofeifpdmamkmmelh';

/** `CHROME_PATH`, then `/usr/bin/chromium`; throws an Error saying how to install one when neither exists. */
export function findChromium(env?: Record<string, string | undefined>, exists?: (path: string) => boolean): string;

/** Chromium arguments that load exactly one unpacked extension, with the quiet flags TOOLCHAIN.md lists. */
export function extensionLaunchArgs(extensionPath: string): string[];
