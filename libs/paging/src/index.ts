export * from './page-query.dto';
export * from './page-cursors';
