import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JwtService } from '@nestjs/jwt';

/** The identity a verified token proves. */
export interface AuthUser {
  readonly id: number;
}

/** The only algorithm we sign with, and the only one we accept: no `none`, no key confusion. */
const ALGORITHM = 'HS256';

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

  sign(user: AuthUser): string {
    return this.jwt.sign({}, { subject: String(user.id) });
  }

  /** The user a token names, or undefined when it is forged, expired or malformed. */
  verify(token: string): AuthUser | undefined {
    try {
      const payload = this.jwt.verify<{ sub?: unknown }>(token);
      const id = typeof payload.sub === 'string' && /^\d{1,10}$/.test(payload.sub) ? Number(payload.sub) : NaN;
      return Number.isSafeInteger(id) && id > 0 ? { id } : undefined;
    } catch {
      return undefined;
    }
  }
}
