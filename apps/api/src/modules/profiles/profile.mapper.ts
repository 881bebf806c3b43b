import type { ProfileDto } from './dto/profile-response.dto';
import type { ProfileView } from './profile';

export function toProfileDto(profile: ProfileView): ProfileDto {
  return { username: profile.username, bio: profile.bio, image: profile.image, following: profile.following };
}
