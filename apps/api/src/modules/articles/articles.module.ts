import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TagsModule } from '../tags';
import { ArticleEntity } from './article.entity';
import { ArticlesController } from './articles.controller';
import { ArticlesRepository } from './articles.repository';
import { ArticlesService } from './articles.service';
import { FavoriteEntity } from './favorite.entity';
import { FavoritesRepository } from './favorites.repository';

/** Articles, favorites and the personal feed. */
@Module({
  imports: [TypeOrmModule.forFeature([ArticleEntity, FavoriteEntity]), TagsModule],
  controllers: [ArticlesController],
  providers: [ArticlesService, ArticlesRepository, FavoritesRepository],
  exports: [ArticlesService],
})
export class ArticlesModule {}
