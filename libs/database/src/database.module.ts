import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { Sql } from './sql';
import { Transactions } from './transaction';

/**
 * The TypeORM data source (the connection pool; no entities), `Sql`, which
 * every repository runs its statements with, and `Transactions`.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
    }),
  ],
  providers: [Sql, Transactions],
  exports: [Sql, Transactions],
})
export class DatabaseModule {}
