import { IsEnvelope } from '@app/errors';
import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsAccountEmail, IsImageUrl, IsPassword, IsUsername } from './user-fields';

/** Optional, but `null` is not a value for a field that cannot be empty (unlike IsOptional). */
const IsPresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'jake@jake.jake' })
  @IsPresentOrAbsent()
  @IsAccountEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'a-new-password', format: 'password' })
  @IsPresentOrAbsent()
  @IsPassword()
  password?: string;

  @ApiPropertyOptional({ example: 'jake' })
  @IsPresentOrAbsent()
  @IsUsername()
  username?: string;

  @ApiPropertyOptional({ example: 'I work at statefarm', nullable: true, type: String })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString()
  @MaxLength(10_000)
  bio?: string | null;

  @ApiPropertyOptional({ example: 'https://i.stack.imgur.com/xHWG8.jpg', nullable: true, type: String })
  @IsOptional()
  @IsImageUrl()
  image?: string | null;
}

export class UpdateUserRequestDto {
  @ApiProperty({ type: UpdateUserDto, description: 'At least one field is required' })
  @IsEnvelope(() => UpdateUserDto)
  user: UpdateUserDto;
}
