import { Module } from '@nestjs/common';
import { TagsModule } from '../tags';
import { ArticlesController } from './articles.controller';
import { ArticlesRepository } from './articles.repository';
import { ArticlesService } from './articles.service';
import { FavoritesRepository } from './favorites.repository';

/** Articles, favorites and the personal feed. */
@Module({
  imports: [TagsModule],
  controllers: [ArticlesController],
  providers: [ArticlesService, ArticlesRepository, FavoritesRepository],
  exports: [ArticlesService],
})
export class ArticlesModule {}
