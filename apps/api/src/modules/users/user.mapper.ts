import type { UserResponseDto } from './dto/user-response.dto';
import type { User } from './user';

export function toUserResponse(user: User, token: string): UserResponseDto {
  return { user: { email: user.email, token, username: user.username, bio: user.bio, image: user.image } };
}
