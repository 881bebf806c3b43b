/** A user's public profile as one viewer sees it (`following` is that viewer's). */
export interface ProfileView {
  readonly username: string;
  readonly bio: string | null;
  readonly image: string | null;
  readonly following: boolean;
}
