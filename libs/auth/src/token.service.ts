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
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  sign(user: AuthUser): string {
    return this.jwt.sign(
      {},
      {
        subject: String(user.id),
        algorithm: ALGORITHM,
        expiresIn: this.config.jwtTtlSeconds,
        issuer: this.config.jwtIssuer,
        secret: this.config.jwtSecret,
      },
    );
  }

  /** The user a token names, or undefined when it is forged, expired or malformed. */
  verify(token: string): AuthUser | undefined {
    try {
      const payload = this.jwt.verify<{ sub?: unknown }>(token, {
        algorithms: [ALGORITHM],
        issuer: this.config.jwtIssuer,
        secret: this.config.jwtSecret,
      });
      const id = typeof payload.sub === 'string' && /^\d{1,10}$/.test(payload.sub) ? Number(payload.sub) : NaN;
      return Number.isSafeInteger(id) && id > 0 ? { id } : undefined;
    } catch {
      return undefined;
    }
  }
}
