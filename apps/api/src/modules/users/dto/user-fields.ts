import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export const USERNAME_MAX_LENGTH = 64;
export const PASSWORD_MIN_LENGTH = 8;
/** argon2 accepts longer inputs, but hashing megabytes is a denial-of-service lever. */
export const PASSWORD_MAX_LENGTH = 256;

/** Usernames appear in URLs (/profiles/:username): letters, digits, `_`, `-` and `.` only. */
export const IsUsername = () =>
  applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(USERNAME_MAX_LENGTH),
    Matches(/^[\p{L}\p{N}_.-]+$/u, { message: 'username may contain only letters, digits, "_", "-" and "."' }),
  );

export const IsAccountEmail = () => applyDecorators(IsString(), MaxLength(254), IsEmail({}, { message: 'email must be a valid email address' }));

export const IsPassword = () => applyDecorators(IsString(), MinLength(PASSWORD_MIN_LENGTH), MaxLength(PASSWORD_MAX_LENGTH));

/** An http(s) URL or null/empty (meaning "no image"); other schemes (javascript:, data:) are refused. */
export const IsImageUrl = () =>
  applyDecorators(
    ValidateIf((_object, value) => value !== null && value !== ''),
    IsString(),
    MaxLength(2048),
    Matches(/^https?:\/\/[^\s]+$/i, { message: 'image must be an http or https URL' }),
  );
