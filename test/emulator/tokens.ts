import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in seconds, sent as `expires_in`. */
  expiresIn: number;
}

/**
 * Opaque access and refresh tokens kept in memory with their expiry. Real Kibo tokens are JWTs, but clients must
 * treat them as opaque, and random strings make sure the gateway does.
 */
export class TokenStore {
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): IssuedToken {
    this.removeExpired();
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    this.accessTokens.set(accessToken, this.now() + this.ttlSeconds * 1000);
    this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresIn: this.ttlSeconds };
  }

  /** Tells whether `token` was issued here and has not expired. */
  isValid(token: string): boolean {
    const expiresAt = this.accessTokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  hasRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** Drops expired access tokens, so that long benchmark runs do not grow the map without bound. */
  private removeExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.accessTokens) {
      if (expiresAt <= now) {
        this.accessTokens.delete(token);
      }
    }
  }
}
