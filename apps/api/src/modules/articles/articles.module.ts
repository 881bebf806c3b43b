import { Module } from '@nestjs/common';
import { PageCursors } from '@app/paging';
import { CacheModule } from '@app/cache';
import { TagsModule } from '../tags';
import { ArticlesController } from './articles.controller';
import { ArticlesRepository } from './articles.repository';
import { ArticlesService } from './articles.service';
import { FavoritesRepository } from './favorites.repository';

declare module '@app/cache/cache-generations' {
  interface CacheGenerations {
    /** Anything an article view shows (every article write, favorites included). */
    articles: true;
    /** Which articles exist and how they are tagged (create, delete, tag changes): lists, counts, popular tags. */
    publications: true;
    /** Who favorited what. */
    favorites: true;
  }
}

/** Articles, favorites and the personal feed. */
@Module({
  imports: [TagsModule, CacheModule.forFeature(['articles', 'publications', 'favorites'])],
  controllers: [ArticlesController],
  providers: [ArticlesService, ArticlesRepository, FavoritesRepository, PageCursors],
  exports: [ArticlesService],
})
export class ArticlesModule {}
