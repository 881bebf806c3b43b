import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OptionalAuth } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { ProfileResponseDto } from './dto/profile-response.dto';
import { toProfileDto } from './profile.mapper';
import { ProfilesService } from './profiles.service';

@ApiTags('Profile')
@Controller('profiles/:username')
@ApiParam({ name: 'username', example: 'jake' })
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({ operationId: 'GetProfileByUsername', summary: 'Get a profile' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiErrorResponses({ 404: 'No user with this username' })
  async get(@Param('username') username: string, @CurrentUser() viewer?: AuthUser): Promise<ProfileResponseDto> {
    return { profile: toProfileDto(await this.profiles.get(username, viewer?.id)) };
  }

  @Post('follow')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({ operationId: 'FollowUserByUsername', summary: 'Follow a user (idempotent)' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiErrorResponses({ 404: 'No user with this username', 422: 'Following yourself' })
  async follow(@Param('username') username: string, @CurrentUser() viewer: AuthUser): Promise<ProfileResponseDto> {
    return { profile: toProfileDto(await this.profiles.follow(viewer.id, username)) };
  }

  @Delete('follow')
  @Auth()
  @ApiOperation({ operationId: 'UnfollowUserByUsername', summary: 'Unfollow a user (idempotent)' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiErrorResponses({ 404: 'No user with this username' })
  async unfollow(@Param('username') username: string, @CurrentUser() viewer: AuthUser): Promise<ProfileResponseDto> {
    return { profile: toProfileDto(await this.profiles.unfollow(viewer.id, username)) };
  }
}
