import { Module } from '@nestjs/common';
import { ClaimsController } from '../claims/claims.controller';
import { PapersController } from './papers.controller';
import { PapersService } from './papers.service';

/** /v1/papers and /v1/claims: the papers and claims actions over the read data source. */
@Module({
  controllers: [PapersController, ClaimsController],
  providers: [PapersService],
  exports: [PapersService],
})
export class PapersModule {}
