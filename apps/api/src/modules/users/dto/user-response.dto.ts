import { ApiProperty } from '@nestjs/swagger';

export class UserDto {
  @ApiProperty({ example: 'jake@jake.jake' })
  email: string;

  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' })
  token: string;

  @ApiProperty({ example: 'jake' })
  username: string;

  @ApiProperty({ example: 'I work at statefarm', nullable: true, type: String })
  bio: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  image: string | null;
}

export class UserResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}
