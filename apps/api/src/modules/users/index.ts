/** The public surface of the users module: other modules import from here only. */
export { UsersModule } from './users.module';
export { UsersService } from './users.service';
export type { User } from './user';
