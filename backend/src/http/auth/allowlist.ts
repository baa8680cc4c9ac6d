// Who may use the add-on: `*`, Workspace domains (matched on the token's `hd` claim) and single emails. Empty denies everyone.

export interface AllowlistSubject {
  /** Verified by Google: callers check `email_verified` before asking. */
  readonly email: string;
  readonly hostedDomain: string | undefined;
}

export interface Allowlist {
  readonly allowsEveryone: boolean;
  allows(subject: AllowlistSubject): boolean;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `*`, a domain (`example.com` or `@example.com`) or an email; case does not matter. */
export function isAllowlistEntry(entry: string): boolean {
  return parseEntry(entry) !== undefined;
}

/** Throws on an entry that is none of `*`, a domain or an email. */
export function compileAllowlist(entries: readonly string[]): Allowlist {
  let everyone = false;
  const domains = new Set<string>();
  const emails = new Set<string>();
  for (const raw of entries) {
    const entry = parseEntry(raw);
    if (entry === undefined) throw new TypeError(`allowlist: entry ${JSON.stringify(raw)} is not "*", a domain (example.com) or an email (ana@example.com)`);
    if (entry.kind === 'everyone') everyone = true;
    else if (entry.kind === 'domain') domains.add(entry.value);
    else emails.add(entry.value);
  }
  return {
    allowsEveryone: everyone,
    allows({ email, hostedDomain }) {
      if (everyone || emails.has(email.toLowerCase())) return true;
      // A domain entry means "accounts that domain's admin manages". Anyone can register a Google account under
      // any verified email address, so the email's domain proves nothing; only Google's `hd` claim does.
      return hostedDomain !== undefined && domains.has(hostedDomain.toLowerCase());
    },
  };
}

type Entry = { readonly kind: 'everyone' } | { readonly kind: 'domain' | 'email'; readonly value: string };

function parseEntry(raw: string): Entry | undefined {
  const entry = raw.trim().toLowerCase();
  if (entry === '*') return { kind: 'everyone' };
  if (entry.startsWith('@') && DOMAIN.test(entry.slice(1))) return { kind: 'domain', value: entry.slice(1) };
  if (DOMAIN.test(entry)) return { kind: 'domain', value: entry };
  if (EMAIL.test(entry) && DOMAIN.test(entry.slice(entry.lastIndexOf('@') + 1))) return { kind: 'email', value: entry };
  return undefined;
}
