import { IsEnvelope } from '@app/errors';
import { ApiProperty } from '@nestjs/swagger';

import { IsAccountEmail, IsPassword, IsUsername } from './user-fields';

export class NewUserDto {
  @ApiProperty({ example: 'jake' })
  @IsUsername()
  username: string;

  @ApiProperty({ example: 'jake@jake.jake' })
  @IsAccountEmail()
  email: string;

  @ApiProperty({ example: 'jakejake', format: 'password', minLength: 8 })
  @IsPassword()
  password: string;
}

export class NewUserRequestDto {
  @ApiProperty({ type: NewUserDto })
  @IsEnvelope(() => NewUserDto)
  user: NewUserDto;
}
