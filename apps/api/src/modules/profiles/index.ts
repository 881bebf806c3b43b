/** The public surface of the profiles module. */
export { ProfilesModule } from './profiles.module';
export { ProfilesService } from './profiles.service';
export type { ProfileView } from './profile';
export { ProfileDto } from './dto/profile-response.dto';
