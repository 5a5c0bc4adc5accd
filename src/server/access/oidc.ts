/**
 * OpenID Connect sign-in (authorization code + PKCE) with oauth4webapi: discovery (cached; retried after a
 * failure), the authorization request with `state`, `nonce` and an S256 code challenge, and the callback, where
 * the library checks `state`, the `iss` response parameter when the provider sends it, and the ID token's
 * `iss`, `aud`, `azp`, `exp`, `iat` and `nonce`. The ID token arrives over TLS straight from the token endpoint,
 * which OpenID Connect Core 3.1.3.7 accepts in place of checking its signature.
 */
import * as oauth from 'oauth4webapi';
import { SignInError } from './sign-in-error.ts';
import type { OidcSettings } from './settings.ts';

export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** ms */
  exp: number;
}

export interface SignedInClaims {
  claims: oauth.IDToken;
}

const TIMEOUT_MS = 10_000;
const RETRY_DISCOVERY_MS = 10_000;

export class OidcClient {
  private as: oauth.AuthorizationServer | undefined;
  private discovering: Promise<oauth.AuthorizationServer> | undefined;
  private failedAt = -Infinity;
  private readonly client: oauth.Client;
  private readonly clientAuth: oauth.ClientAuth;
  private readonly http: { [oauth.allowInsecureRequests]?: boolean };

  constructor(
    private readonly s: OidcSettings,
    readonly redirectUri: string,
  ) {
    this.client = { client_id: s.clientId };
    this.clientAuth = s.clientSecret ? oauth.ClientSecretBasic(s.clientSecret) : oauth.None();
    this.http = s.allowInsecureIssuer ? { [oauth.allowInsecureRequests]: true } : {};
  }

  /** The provider's metadata; one discovery at a time, and none within 10 s of a failed one. */
  async server(): Promise<oauth.AuthorizationServer> {
    if (this.as) return this.as;
    if (!this.discovering && performance.now() - this.failedAt < RETRY_DISCOVERY_MS)
      throw new SignInError('discovery failed recently', this.unreachable(), 503);
    this.discovering ??= (async () => {
      const issuer = new URL(this.s.issuer);
      try {
        const res = await oauth.discoveryRequest(issuer, {
          algorithm: 'oidc',
          signal: AbortSignal.timeout(TIMEOUT_MS),
          ...this.http,
        });
        this.as = await oauth.processDiscoveryResponse(issuer, res);
        return this.as;
      } catch (err) {
        this.failedAt = performance.now();
        throw new SignInError(`discovery failed: ${describe(err)}`, this.unreachable(), 503);
      } finally {
        this.discovering = undefined;
      }
    })();
    return this.discovering;
  }

  private unreachable(): string {
    return `The identity provider (${new URL(this.s.issuer).host}) could not be reached. Try again in a minute; if it persists, check DASHBOARD_OIDC_ISSUER and the network.`;
  }

  async begin(returnTo: string, now: number): Promise<{ url: string; pending: PendingSignIn }> {
    const as = await this.server();
    if (!as.authorization_endpoint)
      throw new SignInError('no authorization_endpoint', 'The identity provider does not offer sign-in.', 502);
    const verifier = oauth.generateRandomCodeVerifier();
    const pending: PendingSignIn = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      verifier,
      returnTo,
      exp: now + 10 * 60_000,
    };
    const url = new URL(as.authorization_endpoint);
    const params = {
      response_type: 'code',
      client_id: this.s.clientId,
      redirect_uri: this.redirectUri,
      scope: this.s.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { url: url.href, pending };
  }

  /** Checks the callback and redeems the code; throws SignInError with a message fit for the page. */
  async complete(callbackSearch: string, pending: PendingSignIn): Promise<SignedInClaims> {
    const as = await this.server();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, this.client, new URLSearchParams(callbackSearch), pending.state);
    } catch (err) {
      if (err instanceof oauth.AuthorizationResponseError) {
        const denied = err.error === 'access_denied';
        throw new SignInError(
          `provider refused: ${err.error}`,
          denied
            ? 'The identity provider did not let you sign in to this dashboard (access denied).'
            : `The identity provider answered with an error (${safe(err.error)}${err.error_description ? `: ${safe(err.error_description)}` : ''}).`,
          400,
        );
      }
      throw new SignInError(
        `callback refused: ${describe(err)}`,
        'This sign-in answer does not belong to the sign-in this browser started (its state does not match). Sign in again.',
        400,
      );
    }
    try {
      const res = await oauth.authorizationCodeGrantRequest(
        as,
        this.client,
        this.clientAuth,
        params,
        this.redirectUri,
        pending.verifier,
        { signal: AbortSignal.timeout(TIMEOUT_MS), ...this.http },
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, this.client, res, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      });
      const claims = oauth.getValidatedIdTokenClaims(tokens);
      if (!claims) throw new Error('no ID token');
      return { claims };
    } catch (err) {
      if (err instanceof SignInError) throw err;
      throw new SignInError(
        `token exchange refused: ${describe(err)}`,
        'The identity provider’s answer could not be verified (its ID token is not for this dashboard, or not from the configured issuer). Sign in again; if it persists, check DASHBOARD_OIDC_ISSUER and DASHBOARD_OIDC_CLIENT_ID.',
        502,
      );
    }
  }

  /** Where sign-out continues: the provider's end-session endpoint when it has one. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    let as: oauth.AuthorizationServer;
    try {
      as = await this.server();
    } catch {
      return undefined;
    }
    if (!as.end_session_endpoint) return undefined;
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set('client_id', this.s.clientId);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return url.href;
  }
}

/** Error text for the log: the library's code and message (they never contain a token). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${err.message}`;
  }
  return String(err);
}

/** Provider-chosen text shown on our page: printable ASCII only, bounded. */
const safe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
