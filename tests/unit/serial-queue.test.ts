import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '@/lib/background/serial-queue';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createSerialQueue', () => {
  it('runs tasks of one key in the order they were queued, even when an earlier one is slower', async () => {
    const run = createSerialQueue<number>();
    const order: string[] = [];
    await Promise.all([
      run(1, async () => {
        await delay(30);
        order.push('verdict');
      }),
      run(1, async () => {
        await delay(1);
        order.push('tag');
      }),
      run(1, async () => {
        order.push('save');
      }),
    ]);
    expect(order).toEqual(['verdict', 'tag', 'save']);
  });

  it('does not make one key wait for another', async () => {
    const run = createSerialQueue<number>();
    const order: number[] = [];
    await Promise.all([
      run(1, async () => {
        await delay(30);
        order.push(1);
      }),
      run(2, async () => {
        order.push(2);
      }),
    ]);
    expect(order).toEqual([2, 1]);
  });

  it('gives a failure to its own caller and carries on with the next task', async () => {
    const run = createSerialQueue<string>();
    const failed = run('tab', async () => {
      throw new Error('refused');
    });
    const next = run('tab', async () => 'relayed');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('relayed');
  });
});
