import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { ClientId } from '../../http/client-identity';
import { StrictRateLimit } from '../../http/rate-limit/strict-rate-limit.decorator';
import { LoginUserRequestDto } from './dto/login-user.dto';
import { NewUserRequestDto } from './dto/new-user.dto';
import { UpdateUserRequestDto } from './dto/update-user.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { toUserResponse } from './user.mapper';
import { UsersService } from './users.service';

@ApiTags('User and Authentication')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('users/login')
  @HttpCode(HttpStatus.OK)
  @StrictRateLimit()
  @ApiOperation({ operationId: 'Login', summary: 'Existing user login' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrorResponses({
    401: 'Wrong email or password (the same answer for both)',
    422: 'Malformed credentials',
    429: 'Too many attempts from this client, or too many failed logins for this account from this client; see Retry-After',
    503: 'Too many logins at once on this server (see Retry-After), or the database is temporarily unavailable',
  })
  async login(@Body() { user }: LoginUserRequestDto, @ClientId() client: string): Promise<UserResponseDto> {
    const session = await this.users.login(user.email, user.password, client);
    return toUserResponse(session.user, session.token);
  }

  @Post('users')
  @StrictRateLimit()
  @ApiOperation({ operationId: 'CreateUser', summary: 'Register a new user' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrorResponses({
    422: 'Invalid fields, or the username or email is already taken',
    429: 'Too many attempts from this client; see Retry-After',
    503: 'Too many registrations at once on this server (see Retry-After), or the database is temporarily unavailable',
  })
  async register(@Body() { user }: NewUserRequestDto): Promise<UserResponseDto> {
    const session = await this.users.register(user);
    return toUserResponse(session.user, session.token);
  }

  @Post('users/logout')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'Logout',
    summary: 'Log out: revoke the token of this request',
    description:
      "The token sent stops working at once, on every instance (a 401 from then on); the user's other tokens stay valid. " +
      'Changing the password (PUT /user) revokes every token issued before the change instead.',
  })
  @ApiNoContentResponse({ description: 'The token is revoked' })
  @ApiErrorResponses({ 503: 'The database is temporarily unavailable: the token was not revoked; retry' })
  async logout(@CurrentUser() auth: AuthUser): Promise<void> {
    await this.users.logout(auth);
  }

  @Get('user')
  @Auth()
  @ApiOperation({ operationId: 'GetCurrentUser', summary: 'Get current user' })
  @ApiOkResponse({ type: UserResponseDto })
  async current(@CurrentUser() auth: AuthUser): Promise<UserResponseDto> {
    const session = await this.users.current(auth.id);
    return toUserResponse(session.user, session.token);
  }

  @Put('user')
  @Auth()
  @ApiOperation({
    operationId: 'UpdateCurrentUser',
    summary: 'Update current user',
    description: 'A new password revokes every token issued before it, on every instance; the answer carries a fresh token.',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrorResponses({ 422: 'Invalid fields, or the new username or email is already taken' })
  async update(@CurrentUser() auth: AuthUser, @Body() { user }: UpdateUserRequestDto): Promise<UserResponseDto> {
    const session = await this.users.update(auth.id, user);
    return toUserResponse(session.user, session.token);
  }
}
