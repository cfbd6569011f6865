import { Module } from '@nestjs/common';
import { DigestPageController } from '../digests/digest-page.controller';
import { HomeController } from '../home/home.controller';
import { ListingsModule } from '../listings/listings.module';
import { PapersModule } from '../papers/papers.module';
import { PaperPageController } from './paper-page.controller';
import { SiteController } from './site.controller';
import { SimilarService } from './similar.service';

/**
 * The reader's HTML pages: the home page (listings, search, Subscribe box), a paper's page, a digest's left-out papers,
 * and what crawlers read.
 */
@Module({
  imports: [ListingsModule, PapersModule],
  controllers: [HomeController, PaperPageController, SiteController, DigestPageController],
  providers: [SimilarService],
})
export class PagesModule {}
