/**
 * Site setup's names that both the page's setup script and the extension pages use. Apart from
 * setup-protocol.ts, which holds zod schemas: the page's script must not carry zod (DESIGN.md).
 */

/** The Port the setup frame opens to the worker. */
export const SETUP_PORT = 'loupe-setup';

/** Posted by the page's setup script to its frame (targeted at the extension origin), as the panel's token is. */
export const SETUP_TOKEN_MESSAGE = 'loupe/setup-token';

/** The hash panel.html is opened with to show setup instead of the audit panel. */
export const SETUP_FRAME_HASH = '#setup';
