// Name resolution for the page fetcher, injectable so tests can make a name "resolve" to any address without DNS.
import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address `hostname` resolves to. Rejects with the resolver's error (ENOTFOUND …) when there is none. */
export type Resolver = (hostname: string, signal: AbortSignal) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), all addresses in the order the system gives them. */
export const systemResolver: Resolver = async (hostname, signal) => {
  signal.throwIfAborted();
  const answers = await lookup(hostname, { all: true, verbatim: true });
  signal.throwIfAborted();
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};
