/** The public surface of the articles module. */
export { ArticlesModule } from './articles.module';
export { ArticlesService } from './articles.service';
