import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TagsResponseDto } from './dto/tags-response.dto';
import { TagsService } from './tags.service';

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @ApiOperation({ operationId: 'GetTags', summary: 'Get tags' })
  @ApiOkResponse({ type: TagsResponseDto })
  async list(): Promise<TagsResponseDto> {
    return { tags: await this.tags.popular() };
  }
}
