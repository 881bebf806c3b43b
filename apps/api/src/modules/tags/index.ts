/** The public surface of the tags module. */
export { TagsModule } from './tags.module';
export { TagsService, normalizeTagList } from './tags.service';
