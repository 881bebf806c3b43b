import { Module } from '@nestjs/common';
import { PageCursors } from '@app/paging';
import { ArticlesModule } from '../articles';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

@Module({
  imports: [ArticlesModule],
  controllers: [CommentsController],
  providers: [CommentsService, CommentsRepository, PageCursors],
})
export class CommentsModule {}
