import { setPriority } from 'node:os';

/**
 * Gives the worker process the CPU niceness WORKER_NICE asks for. On a host it shares with the
 * api, the api's request handling then goes first whenever the cores are busy, and the worker's
 * jobs take what is left. 0 changes nothing. A refusal (a negative niceness without the
 * privilege) is reported, never fatal: the worker runs as well at the niceness it has.
 */
export function applyWorkerNice(
  nice: number,
  log: (message: string) => void,
  set: (priority: number) => void = (p) => setPriority(p),
): void {
  if (nice === 0) return;
  try {
    set(nice);
    log(`CPU niceness ${nice} (WORKER_NICE)`);
  } catch (err) {
    log(`WORKER_NICE=${nice} not applied: ${(err as Error).message}`);
  }
}
