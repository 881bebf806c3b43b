/** A user as the rest of the application sees it: no password hash, ever. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly bio: string | null;
  readonly image: string | null;
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
