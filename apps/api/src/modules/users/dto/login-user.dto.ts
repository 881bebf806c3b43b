import { IsEnvelope } from '@app/errors';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from './user-fields';

/** Only shape is checked here: a login must not reveal which rules an account's fields follow. */
export class LoginUserDto {
  @ApiProperty({ example: 'jake@jake.jake' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'jakejake', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class LoginUserRequestDto {
  @ApiProperty({ type: LoginUserDto })
  @IsEnvelope(() => LoginUserDto)
  user: LoginUserDto;
}
