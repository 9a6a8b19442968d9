import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BreakReminder, breakIsDue } from '../../components/panel/BreakReminder';
import { Panel } from '../../components/panel/Panel';
import { createFakePanelClient, makePanelContext, NOW } from './fake-panel-client';

const MIN = 60_000;
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('break reminder', () => {
  it('is due once the stretch has lasted the configured time, never when off or after a break', () => {
    const at = (minutes: number, breakAfterMinutes = 50) => ({ viewed: 0, activeSince: NOW - minutes * MIN, breakAfterMinutes });
    expect(breakIsDue(at(49), NOW)).toBe(false);
    expect(breakIsDue(at(50), NOW)).toBe(true);
    expect(breakIsDue(at(120, 0), NOW)).toBe(false);
    expect(breakIsDue({ viewed: 0, activeSince: null, breakAfterMinutes: 50 }, NOW)).toBe(false);
  });

  it('appears by itself when the time comes, says how long it has been, and is dismissed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = NOW;
    const onDismiss = vi.fn();
    render(<BreakReminder wellbeing={{ viewed: 3, activeSince: NOW - 49 * MIN, breakAfterMinutes: 50 }} now={() => clock} onDismiss={onDismiss} />);
    expect(screen.queryByRole('status')).toBeNull();
    clock += 2 * MIN;
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    expect(screen.getByRole('status').textContent).toContain('You have been auditing for 51 minutes');
    vi.useRealTimers();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Remind me later' }));
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it('is shown in the panel with the items viewed today, and tells the worker when dismissed', async () => {
    const client = createFakePanelClient({
      context: makePanelContext({ wellbeing: { viewed: 42, activeSince: NOW - 55 * MIN, breakAfterMinutes: 50 } }),
    });
    render(<Panel client={client} now={() => NOW} isMac={false} />);
    expect((await screen.findByText(/viewed 42/)).title).toContain('never synced');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Remind me later' }));
    expect(client.dismissBreakCalls).toBe(1);
  });
});
