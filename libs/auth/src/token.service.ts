import { createSecretKey, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JwtService } from '@nestjs/jwt';

/** Which token a request came with: what logout revokes, and what revocation is checked against. */
export interface TokenSession {
  /** The token's `jti`: random, unique per token issued. */
  readonly tokenId: string;
  /** The user's token generation when it was issued (`gen`); a password change starts a new one. */
  readonly generation: number;
  /** When the token expires, in epoch milliseconds: a revocation need not outlive it. */
  readonly expiresAt: number;
}

/** The identity a verified token proves. */
export interface AuthUser {
  readonly id: number;
  readonly session: TokenSession;
}

/** Who a token is issued to: the user and their current token generation. */
export interface TokenSubject {
  readonly id: number;
  readonly tokenGeneration: number;
}

/** The only algorithm we sign with, and the only one we accept: no `none`, no key confusion. */
const ALGORITHM = 'HS256';
/** 128 random bits, base64url: 22 characters. */
const TOKEN_ID = /^[A-Za-z0-9_-]{22}$/;
const SUBJECT = /^\d{1,10}$/;

interface Claims {
  sub?: unknown;
  jti?: unknown;
  gen?: unknown;
  exp?: unknown;
}

@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(config: AppConfig) {
    // The secret as a key object, made once: given a string, jsonwebtoken first tries to parse
    // it as a public key on every verification (an exception each time, a tenth of a request).
    this.jwt = new JwtService({
      secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
      signOptions: { algorithm: ALGORITHM, expiresIn: config.jwtTtlSeconds, issuer: config.jwtIssuer },
      verifyOptions: { algorithms: [ALGORITHM], issuer: config.jwtIssuer },
    });
  }

  sign(subject: TokenSubject): string {
    return this.jwt.sign({ gen: subject.tokenGeneration }, { subject: String(subject.id), jwtid: randomBytes(16).toString('base64url') });
  }

  /**
   * The user and session a token names, or undefined when it is forged, expired or malformed.
   * A token without `jti` and `gen` (issued before revocation existed) is malformed: it could not
   * be revoked, so it is not accepted; its holder logs in again.
   */
  verify(token: string): AuthUser | undefined {
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token);
    } catch {
      return undefined;
    }
    const { sub, jti, gen, exp } = claims;
    if (typeof sub !== 'string' || !SUBJECT.test(sub) || typeof jti !== 'string' || !TOKEN_ID.test(jti)) return undefined;
    if (!Number.isSafeInteger(gen) || (gen as number) < 0 || typeof exp !== 'number') return undefined;
    const id = Number(sub);
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    return { id, session: { tokenId: jti, generation: gen as number, expiresAt: exp * 1000 } };
  }
}
