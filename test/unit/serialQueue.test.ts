import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SerialQueue } from '../../server/src/db/serialQueue';

test('work waiting behind a stalled connection fails with its timeout at once, and later work runs', async () => {
  const queue = new SerialQueue();
  const timeout = new Error('did not answer within the statement timeout');
  const ran: string[] = [];
  const stalled = queue.run(() => {
    ran.push('stalled');
    queue.failWaiting(timeout);
    return Promise.reject(timeout);
  });
  const waiting = queue.run(() => {
    ran.push('waiting');
    return Promise.resolve('waiting');
  });
  await assert.rejects(stalled, timeout);
  await assert.rejects(waiting, timeout);
  assert.equal(await queue.run(() => Promise.resolve('later')), 'later');
  assert.deepEqual(ran, ['stalled']);
});
