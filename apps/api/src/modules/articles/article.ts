/** What the articles repository reads: one article with its author as seen by one viewer. */
export interface ArticleView {
  /** Internal: for the viewer overlay; never serialised. */
  readonly id: number;
  /** Internal: grows with every change of the article (cache keys). */
  readonly version: number;
  readonly authorId: number;
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  /** Absent in list reads: list items carry no body. */
  readonly body?: string;
  readonly tagList: string[];
  /** ISO-8601 with milliseconds (plain JSON, so views can be cached as they are). */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly favorited: boolean;
  readonly favoritesCount: number;
  readonly author: {
    readonly username: string;
    readonly bio: string | null;
    readonly image: string | null;
    readonly following: boolean;
  };
}

/** An article of a list page, by reference: its view comes from the cache by (id, version). */
export interface ArticleRef {
  readonly id: number;
  readonly version: number;
  /** The viewer's part, read with the page. */
  readonly favorited: boolean;
  readonly following: boolean;
}

/** The viewer's part of articles: which they favorited, which authors they follow. */
export interface ViewerState {
  readonly favoritedArticleIds: ReadonlySet<number>;
  readonly followedAuthorIds: ReadonlySet<number>;
}

/** Who may change an article. */
export interface ArticleOwnership {
  readonly id: number;
  readonly authorId: number;
  readonly slug: string;
  readonly title: string;
}

/** Filters of the article list; they combine with AND. */
export interface ArticleFilter {
  readonly tag?: string;
  readonly author?: string;
  readonly favoritedBy?: string;
  /** Only articles by authors this user follows (the feed). */
  readonly followedBy?: number;
  /** Only articles whose title, description, body or tags hold every one of these words (`searchWords`). */
  readonly search?: readonly string[];
}

export interface ArticleFields {
  readonly title: string;
  readonly description: string;
  readonly body: string;
}
