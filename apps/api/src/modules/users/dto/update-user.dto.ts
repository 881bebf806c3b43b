import { IsEnvelope } from '@app/errors';
import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsAccountEmail, IsImageUrl, IsPassword, IsUsername } from './user-fields';

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'jake@jake.jake' })
  @IsOptional()
  @IsAccountEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'a-new-password', format: 'password' })
  @IsOptional()
  @IsPassword()
  password?: string;

  @ApiPropertyOptional({ example: 'jake' })
  @IsOptional()
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
