// Name resolution for the stand-in's web: every host under rowfill.test is loopback, every other name does not exist.
import { STANDIN_DOMAIN } from './corpus.js';

export interface StandInAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Shaped like the page fetcher's `resolve` option, so a research job against the stand-ins never asks real DNS and
 * can reach no host but the page server (the fetcher still needs `allowLoopback: true` to connect to it).
 */
export function standInResolver(hostname: string): Promise<readonly StandInAddress[]> {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === STANDIN_DOMAIN || name.endsWith(`.${STANDIN_DOMAIN}`)) return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (the search stand-in resolves only *.${STANDIN_DOMAIN})`), { code: 'ENOTFOUND' }));
}
