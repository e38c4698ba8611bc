// The router's answer to a hash change during a slow render: the new screen renders at once,
// the slow one learns it is superseded and its late cleanup runs instead of being kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRouter, parseHash } from '../src/router.js';

function fakeWindow(hash) {
  const listeners = [];
  return {
    location: { hash },
    addEventListener: (type, fn) => { if (type === 'hashchange') listeners.push(fn); },
    change(next) {
      this.location.hash = next;
      return Promise.all(listeners.map((fn) => fn()));
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a slow screen superseded by a hash change is told so, and its late cleanup runs at once', async () => {
  const win = fakeWindow('#/day/3/2026-12-02');
  const log = [];
  let releaseDay;
  const dayDone = new Promise((resolve) => { releaseDay = resolve; });
  let dayIsCurrent = null;
  const render = async (route, isCurrent) => {
    log.push(`start ${route.name}`);
    if (route.name === 'day') {
      dayIsCurrent = isCurrent;
      await dayDone; // the day screen still loading its data
    }
    log.push(`end ${route.name} current=${isCurrent()}`);
    return () => log.push(`cleanup ${route.name}`);
  };
  const first = startRouter(render, win);
  await tick();
  assert.equal(dayIsCurrent(), true);
  await win.change('#/alerts');
  assert.equal(dayIsCurrent(), false, 'the day render knows it was superseded');
  assert.deepEqual(log, ['start day', 'start alerts', 'end alerts current=true'], 'alerts did not wait for the day');
  releaseDay();
  await first;
  assert.deepEqual(log.slice(3), ['end day current=false', 'cleanup day'], 'the late cleanup ran at once');
  await win.change('#/help');
  assert.deepEqual(log.slice(5), ['cleanup alerts', 'start help', 'end help current=true'],
    'the cleanup kept is the current screen\'s');
});

test('parseHash reads the day route', () => {
  assert.deepEqual(parseHash('#/day/3/2026-12-02'), { name: 'day', params: { registerId: 3, date: '2026-12-02' }, query: {} });
});
