import type { MigrationInterface } from 'typeorm';
import { Initial1795531868078 } from './1795531868078-initial';
import { PapersHotUpdates1795540000000 } from './1795540000000-papers-hot-updates';
import { PaperSearchTable1795550000000 } from './1795550000000-paper-search-table';
import { SourcesHarvestedUntil1795560000000 } from './1795560000000-sources-harvested-until';
import { SubscriptionsPausedAt1795572000000 } from './1795572000000-subscriptions-paused-at';
import { ReadModel1795580000000 } from './1795580000000-read-model';
import { PaperSourcesOrganization1795590000000 } from './1795590000000-paper-sources-organization';
import { DeliveriesClaimedBy1795605000000 } from './1795605000000-deliveries-claimed-by';
import { PaperStages1795620000000 } from './1795620000000-paper-stages';
import { PaperSearchOffHotPath1795625000000 } from './1795625000000-paper-search-off-hot-path';
import { PaperStagesReadIndexes1795630000000 } from './1795630000000-paper-stages-read-indexes';
import { Lz4Compression1795640000000 } from './1795640000000-lz4-compression';
import { ExamplesNeedPapers1795650000000 } from './1795650000000-examples-need-papers';
import { LinksWithoutNulls1795660000000 } from './1795660000000-links-without-nulls';
import { MailServerState1795670000000 } from './1795670000000-mail-server-state';
import { PreviousSecretExpiry1795680000000 } from './1795680000000-previous-secret-expiry';
import { SubscriptionsOwnerIndex1795700000000 } from './1795700000000-subscriptions-owner-index';
import { SubscriptionIndexesTopicCounts1795710000000 } from './1795710000000-subscription-indexes-topic-counts';
import { PapersDoiIndex1795730000000 } from './1795730000000-papers-doi-index';
import { SubscriptionsSecretExpiryIndex1795750000000 } from './1795750000000-subscriptions-secret-expiry-index';
import { DropPapersTrendingScore1795800000000 } from './1795800000000-drop-papers-trending-score';
import { TopicCountsStaleAt1795860000000 } from './1795860000000-topic-counts-stale-at';
import { PaperSearchKey1796000000000 } from './1796000000000-paper-search-key';
import { TopicDays1796005000000 } from './1796005000000-topic-days';
import { TopicDaysCandidates1796010000000 } from './1796010000000-topic-days-candidates';
import { DeliveriesFailedIndex1796020000000 } from './1796020000000-deliveries-failed-index';
import { ReplayedFileDays1796050000000 } from './1796050000000-replayed-file-days';
import { ClaimTopics1796060000000 } from './1796060000000-claim-topics';
import { DeliveryLog1796070000000 } from './1796070000000-delivery-log';
import { SubscriptionsFailedMessages1796070000001 } from './1796070000001-subscriptions-failed-messages';
import { SourceFailureStreak1796080000000 } from './1796080000000-source-failure-streak';
import { PaperSourcesItemPublishedAt1796095000000 } from './1796095000000-paper-sources-item-published-at';
import { TopicDayCounts1796096000000 } from './1796096000000-topic-day-counts';
import { DeliveryAttemptHistory1796100000000 } from './1796100000000-delivery-attempt-history';
import { DigestLeftOut1796110000000 } from './1796110000000-digest-left-out';
import { ListingCounts1796120000000 } from './1796120000000-listing-counts';
import { SourceDocumentHealth1796140000000 } from './1796140000000-source-document-health';
import { PaperSourcesMedia1796150000000 } from './1796150000000-paper-sources-media';
import { PaperDaysSourceOrder1796150000001 } from './1796150000001-paper-days-source-order';
import { TextCaptureDates1796160000000 } from './1796160000000-text-capture-dates';
import { SourceServedDocumentError1796170000000 } from './1796170000000-source-served-document-error';
import { RawDocumentsPerSource1796190000000 } from './1796190000000-raw-documents-per-source';
import { SubscriptionsDisabledAt1796190000001 } from './1796190000001-subscriptions-disabled-at';
import { RawDocumentsFailedIndex1796210000000 } from './1796210000000-raw-documents-failed-index';
import { RawDocumentCounts1796220000000 } from './1796220000000-raw-document-counts';
import { PaperDaysDayOrders1796230000000 } from './1796230000000-paper-days-day-orders';
import { PaperSourcesHfExtras1796240000000 } from './1796240000000-paper-sources-hf-extras';
import { EmailSignupsAddressIndex1796250000000 } from './1796250000000-email-signups-address-index';
import { PapersListedAt1796270000000 } from './1796270000000-papers-listed-at';
import { HasCodeRepositories1796280000000 } from './1796280000000-has-code-repositories';
import { PaperStagesFirstNotified1796310000000 } from './1796310000000-paper-stages-first-notified';
import { EmailSubscriptionNames1796310000001 } from './1796310000001-email-subscription-names';
import { SearchWords1796300000000 } from './1796300000000-search-words';
import { TrendPublicOrigins1796340000000 } from './1796340000000-trend-public-origins';
import { SearchWordsSecondLetters1796350000000 } from './1796350000000-search-words-second-letters';
import { DeliveriesWaitingIndex1796390000000 } from './1796390000000-deliveries-waiting-index';
import { DeliveriesPendingPaperIndex1796400000000 } from './1796400000000-deliveries-pending-paper-index';
import { SubscriptionsEmailSendingIndex1796400000001 } from './1796400000001-subscriptions-email-sending-index';

export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795531868078,
  PapersHotUpdates1795540000000,
  PaperSearchTable1795550000000,
  SourcesHarvestedUntil1795560000000,
  SubscriptionsPausedAt1795572000000,
  ReadModel1795580000000,
  PaperSourcesOrganization1795590000000,
  DeliveriesClaimedBy1795605000000,
  PaperStages1795620000000,
  PaperSearchOffHotPath1795625000000,
  PaperStagesReadIndexes1795630000000,
  Lz4Compression1795640000000,
  ExamplesNeedPapers1795650000000,
  LinksWithoutNulls1795660000000,
  MailServerState1795670000000,
  PreviousSecretExpiry1795680000000,
  SubscriptionsOwnerIndex1795700000000,
  SubscriptionIndexesTopicCounts1795710000000,
  PapersDoiIndex1795730000000,
  SubscriptionsSecretExpiryIndex1795750000000,
  DropPapersTrendingScore1795800000000,
  TopicCountsStaleAt1795860000000,
  PaperSearchKey1796000000000,
  TopicDays1796005000000,
  TopicDaysCandidates1796010000000,
  DeliveriesFailedIndex1796020000000,
  ReplayedFileDays1796050000000,
  ClaimTopics1796060000000,
  DeliveryLog1796070000000,
  SubscriptionsFailedMessages1796070000001,
  SourceFailureStreak1796080000000,
  PaperSourcesItemPublishedAt1796095000000,
  TopicDayCounts1796096000000,
  DeliveryAttemptHistory1796100000000,
  DigestLeftOut1796110000000,
  ListingCounts1796120000000,
  SourceDocumentHealth1796140000000,
  PaperSourcesMedia1796150000000,
  PaperDaysSourceOrder1796150000001,
  TextCaptureDates1796160000000,
  SourceServedDocumentError1796170000000,
  RawDocumentsPerSource1796190000000,
  SubscriptionsDisabledAt1796190000001,
  RawDocumentsFailedIndex1796210000000,
  RawDocumentCounts1796220000000,
  PaperDaysDayOrders1796230000000,
  PaperSourcesHfExtras1796240000000,
  EmailSignupsAddressIndex1796250000000,
  PapersListedAt1796270000000,
  HasCodeRepositories1796280000000,
  SearchWords1796300000000,
  PaperStagesFirstNotified1796310000000,
  EmailSubscriptionNames1796310000001,
  TrendPublicOrigins1796340000000,
  SearchWordsSecondLetters1796350000000,
  DeliveriesWaitingIndex1796390000000,
  DeliveriesPendingPaperIndex1796400000000,
  SubscriptionsEmailSendingIndex1796400000001,
];
