/**
 * The media shield's control and key in the panel (issue 7): choosing how the site's pictures are shown saves it
 * in the site's layout through the client, by pointer or keyboard; the shield key from the page or typed in the
 * panel turns it on and off and says so; a refused save is said and the choice goes back to what is stored.
 */
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { MediaShieldToggle, nextMediaMode, useMediaShieldKey } from '@/components/panel/MediaShieldToggle';
import { createPanelStore, PanelStoreContext, usePanelStore } from '@/components/panel/panel-store';
import type { PanelClient } from '@/lib/panel-client';
import type { PanelContext } from '@/lib/protocol';
import type { PanelLayout } from '@/lib/schemas';
import { createFakePanelClient, makePanelContext, type FakePanelClient } from './fake-panel-client';

/** What <Panel> does with these two: the hook at the top, the control where the context is known. */
function ShieldInPanel({ client }: { client: PanelClient }) {
  const [context, setContext] = useState<PanelContext | null>(null);
  useEffect(() => client.onContext(setContext), [client]);
  useMediaShieldKey({ client, context, isMac: false });
  const notice = usePanelStore((s) => s.notice);
  if (!context) return null;
  return (
    <>
      <MediaShieldToggle client={client} layout={context.layout} hotkeys={context.hotkeys} isMac={false} />
      <textarea aria-label="Note" />
      <p role="status">{notice?.kind === 'status' ? notice.text : ''}</p>
      <p role="alert">{notice?.kind === 'alert' ? notice.text : ''}</p>
    </>
  );
}

function renderShield(layout: PanelLayout = { side: 'right', collapsed: false }) {
  const client = createFakePanelClient({ context: makePanelContext({ layout }), connection: { state: 'attached' } });
  const user = userEvent.setup();
  render(
    <PanelStoreContext.Provider value={createPanelStore()}>
      <ShieldInPanel client={client} />
    </PanelStoreContext.Provider>,
  );
  return { client, user };
}

const select = () => screen.getByRole<HTMLSelectElement>('combobox', { name: 'Media' });
const checkedOption = () => select().value;
/** The worker stores the layout and pushes it back with the next context. */
const storeLayout = (client: FakePanelClient, layout: PanelLayout) => act(() => client.pushContext(makePanelContext({ layout })));

describe('nextMediaMode', () => {
  it.each([
    [undefined, 'blurred'],
    ['shown', 'blurred'],
    ['blurred', 'shown'],
    ['grey', 'shown'],
  ] as const)('%s → %s', (current, next) => {
    expect(nextMediaMode(current)).toBe(next);
  });
});

describe('MediaShieldToggle', () => {
  it('shows the stored choice, "Shown" for a layout stored before the shield existed', () => {
    renderShield();
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['Shown', 'Blurred', 'Grey']);
    expect(checkedOption()).toBe('shown');
    expect(select().getAttribute('aria-keyshortcuts')).toBe('Alt+B');
  });

  it('saves a choice in the site layout, keeping the rest of it, and shows it at once', async () => {
    const { client, user } = renderShield({ side: 'left', collapsed: false });
    client.requests.setLayout.answer = { kind: 'pending' };
    await user.selectOptions(select(), 'Grey');
    expect(client.requests.setLayout.args).toEqual([{ side: 'left', collapsed: false, media: 'grey' }]);
    expect(checkedOption()).toBe('grey');
    expect(screen.getByRole('status').textContent).toBe('');
    await act(async () => client.requests.setLayout.calls[0]?.resolveOk());
    expect(screen.getByRole('status').textContent).toBe('Pictures on this site: grey');
    storeLayout(client, { side: 'left', collapsed: false, media: 'grey' });
    expect(checkedOption()).toBe('grey');
  });

  it('is reached by keyboard and keeps the keys a select needs (arrow keys choose in a browser: the e2e)', async () => {
    const { client, user } = renderShield({ side: 'right', collapsed: false, media: 'blurred' });
    await user.tab();
    expect(document.activeElement).toBe(select());
    await user.selectOptions(select(), 'grey');
    expect(client.requests.setLayout.args).toEqual([{ side: 'right', collapsed: false, media: 'grey' }]);
  });

  it('says why a choice could not be saved and shows the stored one again', async () => {
    const { client, user } = renderShield({ side: 'right', collapsed: false, media: 'blurred' });
    client.requests.setLayout.answer = { kind: 'fail', error: { code: 'storage-full', message: 'The disk is full.' } };
    await user.selectOptions(select(), 'Shown');
    expect(screen.getByRole('alert').textContent).toBe('The disk is full.');
    expect(checkedOption()).toBe('blurred');
  });

  it('takes the pointer and the shield key on the page as the same thing: a change of the stored layout', async () => {
    const { client } = renderShield({ side: 'right', collapsed: true, media: 'grey' });
    await act(async () => client.pushCommand({ kind: 'shield-media' }));
    expect(client.requests.setLayout.args).toEqual([{ side: 'right', collapsed: true, media: 'shown' }]);
    expect(screen.getByRole('status').textContent).toBe('Pictures on this site: shown');

    storeLayout(client, { side: 'right', collapsed: true, media: 'shown' });
    await act(async () => client.pushCommand({ kind: 'shield-media' }));
    expect(client.requests.setLayout.args[1]).toEqual({ side: 'right', collapsed: true, media: 'blurred' });
    expect(screen.getByRole('status').textContent).toBe('Pictures on this site: blurred');
  });

  it('answers the shield key typed in the panel, also while typing in a field (it is a chord)', async () => {
    const { client, user } = renderShield();
    await user.click(screen.getByRole('textbox', { name: 'Note' }));
    await user.keyboard('{Alt>}b{/Alt}');
    expect(client.requests.setLayout.args).toEqual([{ side: 'right', collapsed: false, media: 'blurred' }]);
    // A plain "b" is typing.
    await user.keyboard('b');
    expect(client.requests.setLayout.args).toHaveLength(1);
  });

  it('says so when the key could not change the layout', async () => {
    const { client } = renderShield();
    client.requests.setLayout.answer = { kind: 'reject', error: new Error('Extension context invalidated.') };
    await act(async () => client.pushCommand({ kind: 'shield-media' }));
    expect(screen.getByRole('alert').textContent).toBe('Extension context invalidated.');
  });
});
