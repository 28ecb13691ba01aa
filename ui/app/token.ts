/**
 * The bearer token typed into the console, kept in `sessionStorage`: it
 * lives as long as the tab, is never a cookie (so no request carries it
 * unless the console's own code adds it: no CSRF), and is never in a URL
 * except the event stream's handshake, where browsers cannot set headers.
 */
const KEY = "aion.token";

/** The stored token, or "" when none was given (a token-less loopback server). */
export function loadToken(): string {
  try {
    return sessionStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

/** Stores (or, with "", forgets) the token for this tab. */
export function saveToken(token: string): void {
  if (token === "") sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token);
}
