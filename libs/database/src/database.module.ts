import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { Sql } from './sql';

/**
 * The default TypeORM data source (feature modules register their entities
 * with `forFeature`) and `Sql`, for the hot paths' prepared statements.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
    }),
  ],
  providers: [Sql],
  exports: [Sql],
})
export class DatabaseModule {}
