/** The public surface of the comments module. */
export { CommentsModule } from './comments.module';
