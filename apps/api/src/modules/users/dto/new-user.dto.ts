import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
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
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewUserDto)
  user: NewUserDto;
}
