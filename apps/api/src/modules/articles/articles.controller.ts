import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OptionalAuth } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { CursorPageQueryDto } from '@app/paging';
import { ArticleView } from './article';
import { toArticle, toArticleSummary } from './article.mapper';
import { ArticleList, ArticlesService } from './articles.service';
import { MultipleArticlesResponseDto, SingleArticleResponseDto } from './dto/article-response.dto';
import { ListArticlesQueryDto } from './dto/list-articles-query.dto';
import { NewArticleRequestDto } from './dto/new-article.dto';
import { UpdateArticleRequestDto } from './dto/update-article.dto';
import { searchWords } from './search-terms';

const SLUG_PARAM = { name: 'slug', example: 'how-to-train-your-dragon' };

@ApiTags('Articles')
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({ operationId: 'GetArticles', summary: 'Get recent articles globally, newest first, or search them (q)' })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  @ApiErrorResponses({ 422: 'Invalid filter, search or paging values, a cursor this list did not issue, or a cursor with an offset' })
  async list(@Query() query: ListArticlesQueryDto, @CurrentUser() viewer?: AuthUser): Promise<MultipleArticlesResponseDto> {
    const filter = { tag: query.tag, author: query.author, favoritedBy: query.favorited, search: query.q === undefined ? undefined : searchWords(query.q) };
    return toList(await this.articles.list(filter, viewer?.id, query));
  }

  @Get('feed')
  @Auth()
  @ApiOperation({ operationId: 'GetArticlesFeed', summary: 'Get recent articles from users you follow' })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  @ApiErrorResponses({ 422: 'Invalid paging values, a cursor this feed did not issue, or a cursor with an offset' })
  async feed(@Query() page: CursorPageQueryDto, @CurrentUser() viewer: AuthUser): Promise<MultipleArticlesResponseDto> {
    return toList(await this.articles.feed(viewer.id, page));
  }

  @Get(':slug')
  @OptionalAuth()
  @ApiParam(SLUG_PARAM)
  @ApiOperation({ operationId: 'GetArticle', summary: 'Get an article' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiErrorResponses({ 404: 'No article with this slug' })
  async get(@Param('slug') slug: string, @CurrentUser() viewer?: AuthUser): Promise<SingleArticleResponseDto> {
    return toSingle(await this.articles.get(slug, viewer?.id));
  }

  @Post()
  @Auth()
  @ApiOperation({ operationId: 'CreateArticle', summary: 'Create an article' })
  @ApiCreatedResponse({ type: SingleArticleResponseDto })
  @ApiErrorResponses({ 422: 'Invalid fields' })
  async create(@Body() { article }: NewArticleRequestDto, @CurrentUser() author: AuthUser): Promise<SingleArticleResponseDto> {
    const { tagList, ...fields } = article;
    return toSingle(await this.articles.create(author.id, fields, tagList));
  }

  @Put(':slug')
  @Auth()
  @ApiParam(SLUG_PARAM)
  @ApiOperation({ operationId: 'UpdateArticle', summary: 'Update an article (author only)' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiErrorResponses({ 403: 'Not the author', 404: 'No article with this slug', 422: 'Invalid fields' })
  async update(@Param('slug') slug: string, @Body() { article }: UpdateArticleRequestDto, @CurrentUser() user: AuthUser): Promise<SingleArticleResponseDto> {
    return toSingle(await this.articles.update(user.id, slug, article));
  }

  @Delete(':slug')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiParam(SLUG_PARAM)
  @ApiOperation({ operationId: 'DeleteArticle', summary: 'Delete an article (author only), with its comments and favorites' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses({ 403: 'Not the author', 404: 'No article with this slug' })
  async delete(@Param('slug') slug: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.articles.delete(user.id, slug);
  }

  @Post(':slug/favorite')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiTags('Favorites')
  @ApiParam(SLUG_PARAM)
  @ApiOperation({ operationId: 'CreateArticleFavorite', summary: 'Favorite an article (idempotent)' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiErrorResponses({ 404: 'No article with this slug' })
  async favorite(@Param('slug') slug: string, @CurrentUser() user: AuthUser): Promise<SingleArticleResponseDto> {
    return toSingle(await this.articles.favorite(user.id, slug));
  }

  @Delete(':slug/favorite')
  @Auth()
  @ApiTags('Favorites')
  @ApiParam(SLUG_PARAM)
  @ApiOperation({ operationId: 'DeleteArticleFavorite', summary: 'Unfavorite an article (idempotent)' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiErrorResponses({ 404: 'No article with this slug' })
  async unfavorite(@Param('slug') slug: string, @CurrentUser() user: AuthUser): Promise<SingleArticleResponseDto> {
    return toSingle(await this.articles.unfavorite(user.id, slug));
  }
}

function toList(list: ArticleList): MultipleArticlesResponseDto {
  return { articles: list.articles.map(toArticleSummary), articlesCount: list.articlesCount, nextCursor: list.nextCursor };
}

function toSingle(article: ArticleView): SingleArticleResponseDto {
  return { article: toArticle(article) };
}
