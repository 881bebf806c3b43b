import { ApiProperty } from '@nestjs/swagger';

export class ProfileDto {
  @ApiProperty({ example: 'jake' })
  username: string;

  @ApiProperty({ example: 'I work at statefarm', nullable: true, type: String })
  bio: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  image: string | null;

  @ApiProperty({ example: false, description: 'Whether the authenticated user follows this profile (false when anonymous)' })
  following: boolean;
}

export class ProfileResponseDto {
  @ApiProperty({ type: ProfileDto })
  profile: ProfileDto;
}
