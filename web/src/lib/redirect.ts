import type { Location } from 'react-router-dom';
import type { MfaMethod, SessionState } from '../api';

/** Where a user goes once their session reaches the given state. */
export function pathForState(state: SessionState, from: string): string {
  if (state === 'mfa_required') return '/login/mfa';
  if (state === 'mfa_enrolment_required') return '/enrol-mfa';
  return from;
}

/** The page a guard sent the user away from, to return there after signing in. */
export function fromLocation(location: Location): string {
  const state = location.state as { from?: string } | null;
  const from = state?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

const METHODS_KEY = 'attest.mfaMethods';

export function rememberMfaMethods(methods: MfaMethod[] | undefined): void {
  try {
    if (methods?.length) window.sessionStorage.setItem(METHODS_KEY, JSON.stringify(methods));
    else window.sessionStorage.removeItem(METHODS_KEY);
  } catch {
    // ignore: the MFA page then offers every method
  }
}

export function recallMfaMethods(): MfaMethod[] {
  try {
    const raw = window.sessionStorage.getItem(METHODS_KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : null;
    if (Array.isArray(parsed) && parsed.length > 0) return parsed as MfaMethod[];
  } catch {
    // fall through
  }
  return ['totp', 'recovery', 'webauthn'];
}
