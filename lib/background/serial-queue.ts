/**
 * Runs tasks one after another per key. The worker's handlers await storage, so two messages about one tab can
 * interleave; a task queued here starts only after the previous task for the same key has settled (whatever its
 * outcome), and its own result or error goes to its caller alone.
 */
export function createSerialQueue<K>() {
  const tails = new Map<K, Promise<unknown>>();
  return function runInOrder<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
