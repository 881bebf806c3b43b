import { ApiProperty } from '@nestjs/swagger';

export class TagsResponseDto {
  @ApiProperty({ type: [String], example: ['dragons', 'training'], description: 'Tags in use, most used first (at most 100)' })
  tags: string[];
}
