import { InitialSchema1764050000000 } from './1764050000000-initial-schema';

/** Every migration, in order. Listed explicitly so the built app needs no file globbing. */
export const MIGRATIONS = [InitialSchema1764050000000];
