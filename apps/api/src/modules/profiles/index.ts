/** The public surface of the profiles module. */
export { ProfilesModule } from './profiles.module';
export { ProfilesService, toProfile } from './profiles.service';
export { ProfileDto } from './dto/profile-response.dto';
