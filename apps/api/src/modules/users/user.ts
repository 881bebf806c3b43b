/** A user as the rest of the application sees it: no password hash, ever. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly bio: string | null;
  readonly image: string | null;
  /** Tokens are issued in this generation; a password change moves it on, revoking older tokens. */
  readonly tokenGeneration: number;
}

export interface NewUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
}

export interface UserChanges {
  readonly username?: string;
  readonly email?: string;
  readonly password?: string;
  readonly bio?: string | null;
  readonly image?: string | null;
}
