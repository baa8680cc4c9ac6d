// The verified caller a route acts for (the job owner), and where middleware leaves it on the request.
import type { IncomingMessage } from 'node:http';

export interface VerifiedCaller {
  /** Verified by Google (or the local owner in local mode). */
  readonly email: string;
  /** Google's stable account id: unlike the email, it never changes or gets reused. */
  readonly subject: string;
}

/** The one person a local-mode server (`rowfill serve`) acts for. */
export const LOCAL_CALLER: VerifiedCaller = Object.freeze({ email: 'local@localhost', subject: 'local' });

// Keyed by the request object itself, so nothing global is added to Express's Request type and nothing can spoof it.
const callers = new WeakMap<object, VerifiedCaller>();

export function rememberCaller(req: IncomingMessage, caller: VerifiedCaller): void {
  callers.set(req, caller);
}

/** The caller that `authMiddleware` verified for this request; throws if no such middleware ran first (a wiring bug). */
export function authenticatedCaller(req: IncomingMessage): VerifiedCaller {
  const caller = callers.get(req);
  if (caller === undefined) throw new Error('authenticatedCaller: no verified caller on this request; mount authMiddleware before the route');
  return caller;
}
