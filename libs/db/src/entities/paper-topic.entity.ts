import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BooleanColumn, DefaultNowColumn, JsonbColumn, TextColumn, typedColumn } from './columns';
import { PaperEntity } from './paper.entity';
import { TopicEntity } from './topic.entity';

const RealColumn = typedColumn('real');

@Entity({ name: 'paper_topics' })
@Index('idx_paper_topics_topic', ['topicSlug', 'score'])
export class PaperTopicEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid' })
  paperId: string;

  @PrimaryColumn({ name: 'topic_slug', type: 'text' })
  topicSlug: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id' })
  paper?: PaperEntity;

  @ManyToOne(() => TopicEntity, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'topic_slug' })
  topic?: TopicEntity;

  @RealColumn() score: number;
  @BooleanColumn({ default: false }) isPrimary: boolean;
  @JsonbColumn({ default: () => "'[]'" }) evidence: string[];
  @TextColumn() modelVersion: string;
  @TextColumn() contentHash: string;
  @DefaultNowColumn() classifiedAt: Date;
}
