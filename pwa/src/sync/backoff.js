// Retry delays for the sync loop. Pure: the random source and the clock are passed in.

export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60000;
export const PERIODIC_MS = 30000;

/**
 * Delay before retry number `attempt` (0 = first retry): exponential, capped at 60 s,
 * with "equal jitter" so that a fleet of tills coming back online does not hit the server
 * in lockstep, while a retry never comes sooner than half the nominal delay.
 */
export function backoffDelay(attempt, random = Math.random) {
  const n = Math.max(0, Math.min(Math.floor(attempt) || 0, 16));
  const nominal = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** n);
  const half = nominal / 2;
  return Math.round(Math.min(MAX_DELAY_MS, half + random() * half));
}

/** Errors worth retrying later: network failures, 503 and other 5xx, 429, 408. */
export function isRetryable(error) {
  if (!error) return false;
  const status = error.status ?? 0;
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/**
 * Small state machine around backoffDelay: `failure()` returns the delay to wait,
 * `success()` resets it.
 */
export function createBackoff(random = Math.random) {
  let attempt = 0;
  return {
    get attempt() {
      return attempt;
    },
    failure() {
      const delay = backoffDelay(attempt, random);
      attempt += 1;
      return delay;
    },
    success() {
      attempt = 0;
    },
  };
}
