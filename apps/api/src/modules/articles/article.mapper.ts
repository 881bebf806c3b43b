import type { ArticleView } from './article';
import type { ArticleDto, ArticleSummaryDto } from './dto/article-response.dto';

/** Field order follows the RealWorld spec; timestamps are ISO-8601 with milliseconds. */
export function toArticleSummary(article: ArticleView): ArticleSummaryDto {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.tagList,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    favorited: article.favorited,
    favoritesCount: article.favoritesCount,
    author: { ...article.author },
  };
}

export function toArticle(article: ArticleView): ArticleDto {
  const { slug, title, description, ...rest } = toArticleSummary(article);
  return { slug, title, description, body: article.body ?? '', ...rest };
}
